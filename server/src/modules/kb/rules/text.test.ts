import { describe, expect, it } from 'vitest';
import { snippetText } from './text.js';

describe('snippet text', () => {
  it('drops Mermaid and other fenced blocks whole, keeps the prose around them', () => {
    const md = [
      '# 退货流程',
      '',
      '客户提出退货后按下图处理：',
      '',
      '```mermaid',
      'flowchart TD',
      '  A[客户申请] --> B{是否在 7 天内}',
      '  B -- 是 --> C[退货]',
      '```',
      '',
      '审核通过后 3 个工作日内退款。',
      '',
      '~~~bash',
      'curl https://example.com',
      '~~~',
      '完。',
    ].join('\n');
    const text = snippetText(md);
    expect(text).toContain('客户提出退货后按下图处理');
    expect(text).toContain('审核通过后 3 个工作日内退款');
    expect(text).toContain('完。');
    expect(text).not.toMatch(/flowchart|-->|客户申请|curl/);
  });

  it('drops an unclosed fence to the end', () => {
    expect(snippetText('说明\n```mermaid\ngraph LR\nA-->B')).toBe('说明');
  });
});
