import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('.', import.meta.url));

function flatten(value: unknown, prefix: string, into: Map<string, string>): Map<string, string> {
  if (typeof value === 'string') into.set(prefix, value);
  else if (value && typeof value === 'object')
    for (const [key, child] of Object.entries(value))
      flatten(child, prefix ? `${prefix}.${key}` : key, into);
  return into;
}

// i18next plural forms differ by language (Chinese has one form, English two): compare the base key.
const basePluralKey = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

function load(locale: string): Map<string, string> {
  const all = new Map<string, string>();
  for (const file of readdirSync(`${root}/${locale}`).filter((name) => name.endsWith('.json'))) {
    const area = file.replace(/\.json$/, '');
    flatten(JSON.parse(readFileSync(`${root}/${locale}/${file}`, 'utf8')), area, all);
  }
  return new Map([...all].map(([key, text]) => [basePluralKey(key), text]));
}

const variables = (text: string) => [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();

describe('UI text', () => {
  const zh = load('zh-CN');
  const en = load('en-US');

  it('has the same keys in zh-CN and en-US', () => {
    expect([...zh.keys()].filter((key) => !en.has(key))).toEqual([]);
    expect([...en.keys()].filter((key) => !zh.has(key))).toEqual([]);
  });

  it('uses the same interpolation variables in both languages, and no empty texts', () => {
    const mismatched = [...zh.entries()]
      .filter(
        ([key, text]) => en.has(key) && variables(text).join() !== variables(en.get(key)!).join(),
      )
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
    expect(
      [...zh.entries(), ...en.entries()].filter(([, text]) => text.trim() === '').map(([k]) => k),
    ).toEqual([]);
  });

  it('splits every language into the same public and staff parts (public.ts, staff.ts)', () => {
    for (const part of ['public.ts', 'staff.ts'])
      expect(readFileSync(`${root}/en-US/${part}`, 'utf8')).toBe(
        readFileSync(`${root}/zh-CN/${part}`, 'utf8'),
      );
  });
});
