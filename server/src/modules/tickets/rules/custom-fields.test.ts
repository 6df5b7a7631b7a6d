import { describe, expect, it } from 'vitest';
import {
  applyCustomFields,
  checkValue,
  containmentDocs,
  FIELD_TYPES,
  TEXT_MAX,
  type FieldDefinition,
  type FieldType,
} from './custom-fields.js';

const def = (
  key: string,
  type: FieldType,
  more: Partial<FieldDefinition> = {},
): FieldDefinition => ({
  key,
  type,
  options: type === 'select' || type === 'multiselect' ? [{ value: 'a' }, { value: 'b' }] : [],
  required: false,
  active: true,
  categories: [],
  ...more,
});

describe('checkValue: every type', () => {
  const good: Record<FieldType, unknown[]> = {
    text: ['x', ' 型号 A1 '],
    number: [0, -3.5, 1e6],
    date: ['2026-11-25', '2024-02-29'],
    select: ['a', 'b'],
    multiselect: [['a'], ['a', 'b', 'a']],
    boolean: [true, false],
  };
  const bad: Record<FieldType, unknown[]> = {
    text: [1, true, ['x'], {}],
    number: ['1', Number.NaN, Number.POSITIVE_INFINITY, true],
    date: ['2026-13-01', '2025-02-29', '2026-1-5', '2026-11-25T00:00:00Z', 20261125],
    select: [1, ['a'], true],
    multiselect: ['a', [1], [null], {}],
    boolean: ['true', 0, 'yes'],
  };
  for (const type of FIELD_TYPES) {
    it(`${type}: accepts its values`, () => {
      for (const v of good[type]) expect(checkValue(def('f', type), v).ok, String(v)).toBe(true);
    });
    it(`${type}: refuses other values as wrong_type`, () => {
      for (const v of bad[type]) {
        const r = checkValue(def('f', type), v);
        expect(r.ok, JSON.stringify(v)).toBe(false);
        if (!r.ok) expect(r.problem).toMatchObject({ path: 'customFields.f', code: 'wrong_type' });
      }
    });
    it(`${type}: null is "no value"`, () => {
      expect(checkValue(def('f', type), null)).toEqual({ ok: true, value: null });
    });
  }

  it('trims text, empty text and empty lists clear, lists are de-duplicated', () => {
    expect(checkValue(def('f', 'text'), '  hi ')).toEqual({ ok: true, value: 'hi' });
    expect(checkValue(def('f', 'text'), '   ')).toEqual({ ok: true, value: null });
    expect(checkValue(def('f', 'select'), '')).toEqual({ ok: true, value: null });
    expect(checkValue(def('f', 'multiselect'), [])).toEqual({ ok: true, value: null });
    expect(checkValue(def('f', 'multiselect'), ['b', 'a', 'b'])).toEqual({
      ok: true,
      value: ['b', 'a'],
    });
  });

  it('text longer than the limit is too_long', () => {
    const r = checkValue(def('f', 'text'), 'x'.repeat(TEXT_MAX + 1));
    expect(r).toMatchObject({ ok: false, problem: { code: 'too_long' } });
    expect(checkValue(def('f', 'text'), 'x'.repeat(TEXT_MAX)).ok).toBe(true);
  });

  it('a value outside the options is not_an_option (select and multiselect)', () => {
    expect(checkValue(def('f', 'select'), 'z')).toMatchObject({
      ok: false,
      problem: { code: 'not_an_option' },
    });
    expect(checkValue(def('f', 'multiselect'), ['a', 'z'])).toMatchObject({
      ok: false,
      problem: { code: 'not_an_option', message: 'z is not an option' },
    });
  });
});

describe('applyCustomFields', () => {
  const definitions = [
    def('model', 'text', { required: true }),
    def('region', 'select', { categories: ['after_sales'] }),
    def('old', 'boolean', { active: false }),
    def('vip', 'boolean', { required: true, categories: ['complaint'] }),
  ];
  const base = { definitions, category: 'after_sales', current: {} } as const;

  it('creation: stores checked values, reports every problem at once with stable codes', () => {
    expect(
      applyCustomFields({ ...base, mode: 'create', submitted: { model: 'A1', region: 'a' } }),
    ).toEqual({ ok: true, values: { model: 'A1', region: 'a' }, changed: ['model', 'region'] });
    const r = applyCustomFields({
      ...base,
      mode: 'create',
      submitted: { nope: 1, old: true, region: 'z' },
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => [e.path, e.code])).toEqual([
        ['customFields.nope', 'unknown_field'],
        ['customFields.old', 'unknown_field'],
        ['customFields.region', 'not_an_option'],
        ['customFields.model', 'required'],
      ]);
  });

  it('fields limited to other categories are not_applicable, and not required there', () => {
    const r = applyCustomFields({
      ...base,
      category: 'consultation',
      mode: 'create',
      submitted: { model: 'x', region: 'a' },
    });
    expect(r).toMatchObject({
      ok: false,
      errors: [{ path: 'customFields.region', code: 'not_applicable' }],
    });
    // `vip` is required for complaints only.
    expect(applyCustomFields({ ...base, mode: 'create', submitted: { model: 'x' } }).ok).toBe(true);
    expect(
      applyCustomFields({
        ...base,
        category: 'complaint',
        mode: 'create',
        submitted: { model: 'x' },
      }),
    ).toMatchObject({ ok: false, errors: [{ path: 'customFields.vip', code: 'required' }] });
  });

  it('update: merges into current values, null clears, unchanged values are not "changed"', () => {
    const current = { model: 'A1', region: 'a', legacy: 'kept' };
    expect(
      applyCustomFields({ ...base, current, mode: 'update', submitted: { region: null } }),
    ).toEqual({ ok: true, values: { model: 'A1', legacy: 'kept' }, changed: ['region'] });
    expect(
      applyCustomFields({ ...base, current, mode: 'update', submitted: { model: ' A1 ' } }),
    ).toEqual({ ok: true, values: current, changed: [] });
  });

  it('update: a required field may not be cleared, but an old ticket without it can be edited', () => {
    expect(
      applyCustomFields({
        ...base,
        current: { model: 'A1' },
        mode: 'update',
        submitted: { model: '' },
      }),
    ).toMatchObject({ ok: false, errors: [{ path: 'customFields.model', code: 'required' }] });
    expect(
      applyCustomFields({ ...base, current: {}, mode: 'update', submitted: { region: 'b' } }),
    ).toEqual({ ok: true, values: { region: 'b' }, changed: ['region'] });
  });

  it('nothing submitted on update changes nothing', () => {
    expect(
      applyCustomFields({ ...base, current: { model: 'x' }, mode: 'update', submitted: {} }),
    ).toEqual({ ok: true, values: { model: 'x' }, changed: [] });
  });
});

describe('containmentDocs (list filter)', () => {
  it('matches a select value or a multiselect containing it', () => {
    expect(containmentDocs('region', 'east')).toEqual([{ region: 'east' }, { region: ['east'] }]);
  });
  it('true/false also match booleans', () => {
    expect(containmentDocs('vip', 'true')).toContainEqual({ vip: true });
    expect(containmentDocs('vip', 'false')).toContainEqual({ vip: false });
  });
});
