import { describe, expect, it } from 'vitest';
import { loggingSmsSender, smsSenderFor, surveySmsText } from './sms.js';

describe('SMS senders', () => {
  it('the logging provider logs neither the number, nor the text, nor the link', async () => {
    const lines: unknown[] = [];
    const sender = loggingSmsSender({ info: (obj: unknown) => void lines.push(obj) } as never);
    const text = surveySmsText('zh-CN', 'https://kefu.example.com/survey/SECRET_token', false);
    await sender.send({ to: '13912345678', text, ref: 'inv-1' });
    const logged = JSON.stringify(lines);
    expect(logged).toContain('inv-1');
    expect(logged).not.toContain('13912345678');
    expect(logged).not.toContain('SECRET_token');
    expect(logged).not.toContain('邀请');
  });

  it('is chosen by configuration; Chinese first', () => {
    expect(smsSenderFor('log').name).toBe('log');
    expect(smsSenderFor('none').name).toBe('none');
    expect(surveySmsText('zh-CN', 'u', true)).toBe('【客服中心】提醒：邀请您评价本次服务：u');
    expect(surveySmsText('en-US', 'u', false)).toContain('please rate our service: u');
  });
});
