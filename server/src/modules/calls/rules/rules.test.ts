import { describe, expect, it } from 'vitest';
import { connectionRate, inPeak, localClock, peakWindowErrors } from './peak.js';
import { checkSignature, signBody } from './signature.js';

describe('webhook signature', () => {
  const secret = 'shh';
  const body = '{"eventId":"1"}';
  const now = 1_800_000_000_000;
  const ts = String(now / 1000);
  const base = { secret, body, nowMs: now, windowSeconds: 300, timestamp: ts };

  it('accepts the HMAC of timestamp.body', () => {
    expect(checkSignature({ ...base, signature: signBody(secret, ts, body) })).toBe('ok');
  });
  it('refuses another secret, another body, another timestamp', () => {
    expect(checkSignature({ ...base, signature: signBody('other', ts, body) })).toBe(
      'bad_signature',
    );
    expect(checkSignature({ ...base, signature: signBody(secret, ts, `${body} `) })).toBe(
      'bad_signature',
    );
    expect(checkSignature({ ...base, signature: signBody(secret, Number(ts) - 1, body) })).toBe(
      'bad_signature',
    );
  });
  it('refuses a timestamp outside the replay window, either side', () => {
    for (const off of [-301, 301]) {
      const t2 = String(Number(ts) + off);
      expect(
        checkSignature({ ...base, timestamp: t2, signature: signBody(secret, t2, body) }),
      ).toBe('stale');
    }
    const t3 = String(Number(ts) - 300);
    expect(checkSignature({ ...base, timestamp: t3, signature: signBody(secret, t3, body) })).toBe(
      'ok',
    );
  });
  it('missing or malformed headers are malformed', () => {
    expect(checkSignature({ ...base, signature: undefined })).toBe('malformed');
    expect(checkSignature({ ...base, signature: 'sha1=abc' })).toBe('malformed');
    expect(
      checkSignature({ ...base, timestamp: 'soon', signature: signBody(secret, ts, body) }),
    ).toBe('malformed');
  });
});

describe('peak windows', () => {
  const windows = [{ start: '09:00', end: '11:00' }];
  // 2026-12-01 is a Tuesday; 01:00 UTC = 09:00 in Shanghai.
  const tue9 = Date.UTC(2026, 11, 1, 1, 0);
  it('reads the local clock', () => {
    expect(localClock(tue9, 'Asia/Shanghai')).toEqual({ day: 2, hhmm: '09:00' });
  });
  it('start inclusive, end exclusive, working days by default', () => {
    expect(inPeak(tue9, windows, 'Asia/Shanghai')).toBe(true);
    expect(inPeak(tue9 - 60_000, windows, 'Asia/Shanghai')).toBe(false);
    expect(inPeak(tue9 + 2 * 3_600_000, windows, 'Asia/Shanghai')).toBe(false);
    expect(inPeak(tue9 + 4 * 86_400_000, windows, 'Asia/Shanghai')).toBe(false); // Saturday
    expect(inPeak(tue9 + 4 * 86_400_000, [{ ...windows[0]!, days: [6] }], 'Asia/Shanghai')).toBe(
      true,
    );
  });
  it('checks windows', () => {
    expect(peakWindowErrors(windows)).toEqual([]);
    expect(peakWindowErrors([{ start: '11:00', end: '09:00' }])[0]?.path).toBe('peakWindows.0.end');
    expect(peakWindowErrors([{ start: '9:00', end: '24:00' }])).toHaveLength(2);
    expect(peakWindowErrors([{ start: '09:00', end: '10:00', days: [0] }])[0]?.path).toBe(
      'peakWindows.0.days',
    );
  });
  it('connection rate', () => {
    expect(connectionRate(17, 20)).toBe(85);
    expect(connectionRate(2, 3)).toBe(66.67);
    expect(connectionRate(0, 0)).toBeNull();
  });
});
