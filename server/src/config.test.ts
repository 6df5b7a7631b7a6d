import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      KEFU_DATA_DIR: './data',
      KEFU_DEMO: true,
      KEFU_SESSION_TTL_HOURS: 12,
    });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('stops with one line naming the variable and what it expects', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(
      /^Invalid configuration: PORT="eighty" — expected/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL=.*postgres:\/\//);
    expect(() => loadConfig({ KEFU_DEMO: 'maybe' })).toThrow(/KEFU_DEMO/);
  });

  it('has one base URL for links, PUBLIC_URL; the retired KEFU_PUBLIC_URL stops start-up', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://kefu.example.com' }).PUBLIC_URL).toBe(
      'https://kefu.example.com',
    );
    expect(() => loadConfig({ KEFU_PUBLIC_URL: 'https://kefu.example.com' })).toThrow(
      /^Invalid configuration: KEFU_PUBLIC_URL is no longer read — set PUBLIC_URL instead/,
    );
  });

  it('reads booleans and numbers', () => {
    expect(loadConfig({ KEFU_DEMO: '0', PORT: '8080' })).toMatchObject({
      KEFU_DEMO: false,
      PORT: 8080,
    });
  });

  it('keeps metrics off unless KEFU_METRICS says on or names a port', () => {
    expect(loadConfig({}).KEFU_METRICS).toBe('off');
    expect(loadConfig({ KEFU_METRICS: 'on' }).KEFU_METRICS).toBe('on');
    expect(loadConfig({ KEFU_METRICS: '9464' }).KEFU_METRICS).toBe('9464');
    expect(() => loadConfig({ KEFU_METRICS: 'yes' })).toThrow(
      /KEFU_METRICS="yes" — expected off, on/,
    );
    expect(() => loadConfig({ KEFU_METRICS: '70000' })).toThrow(/KEFU_METRICS/);
  });
});
