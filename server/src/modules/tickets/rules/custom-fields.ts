/**
 * Custom ticket fields (admin-defined, typed): checking submitted values against the
 * definitions. Pure — the service loads the definitions and stores the result.
 *
 * Values arrive as a map by field key; `null` (or '' / [] for text and lists) clears a value.
 * Stable error codes: `unknown_field`, `not_applicable` (the field is limited to other
 * categories), `wrong_type`, `not_an_option`, `too_long`, `required`.
 */
export const FIELD_TYPES = ['text', 'number', 'date', 'select', 'multiselect', 'boolean'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const TEXT_MAX = 2000;

export interface FieldDefinition {
  key: string;
  type: FieldType;
  options: readonly { value: string }[];
  required: boolean;
  active: boolean;
  /** Empty: every category. */
  categories: readonly string[];
}

export type FieldValue = string | number | boolean | string[];

export interface FieldProblem {
  path: string;
  code:
    'unknown_field' | 'not_applicable' | 'wrong_type' | 'not_an_option' | 'too_long' | 'required';
  message: string;
}

export const appliesTo = (def: FieldDefinition, category: string) =>
  def.active && (def.categories.length === 0 || def.categories.includes(category));

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

type Checked = { ok: true; value: FieldValue | null } | { ok: false; problem: FieldProblem };

/** One value against its definition; `null` means "no value". */
export function checkValue(def: FieldDefinition, raw: unknown): Checked {
  const path = `customFields.${def.key}`;
  const wrong = (expected: string): Checked => ({
    ok: false,
    problem: { path, code: 'wrong_type', message: `expected ${expected}` },
  });
  if (raw === null || raw === undefined) return { ok: true, value: null };
  const options = new Set(def.options.map((o) => o.value));
  switch (def.type) {
    case 'text': {
      if (typeof raw !== 'string') return wrong('text');
      const text = raw.trim();
      if (text.length > TEXT_MAX)
        return {
          ok: false,
          problem: { path, code: 'too_long', message: `at most ${TEXT_MAX} characters` },
        };
      return { ok: true, value: text === '' ? null : text };
    }
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw)
        ? { ok: true, value: raw }
        : wrong('a number');
    case 'date':
      return typeof raw === 'string' && isCalendarDate(raw)
        ? { ok: true, value: raw }
        : wrong('a date YYYY-MM-DD');
    case 'boolean':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : wrong('true or false');
    case 'select':
      if (typeof raw !== 'string') return wrong('one option value');
      if (raw === '') return { ok: true, value: null };
      return options.has(raw)
        ? { ok: true, value: raw }
        : {
            ok: false,
            problem: { path, code: 'not_an_option', message: `${raw} is not an option` },
          };
    case 'multiselect': {
      if (!Array.isArray(raw) || !raw.every((v): v is string => typeof v === 'string'))
        return wrong('a list of option values');
      const bad = raw.find((v) => !options.has(v));
      if (bad !== undefined)
        return {
          ok: false,
          problem: { path, code: 'not_an_option', message: `${bad} is not an option` },
        };
      const unique = [...new Set(raw)];
      return { ok: true, value: unique.length ? unique : null };
    }
  }
}

export interface FieldCheckInput {
  definitions: readonly FieldDefinition[];
  /** The ticket's category (after this change). */
  category: string;
  /** Values already stored (empty on creation). */
  current: Readonly<Record<string, unknown>>;
  /** What the caller sends: keys to set, `null` to clear. */
  submitted: Readonly<Record<string, unknown>>;
  /** Creation checks every required field; an edit only refuses clearing one. */
  mode: 'create' | 'update';
}

export type FieldCheckResult =
  | { ok: true; values: Record<string, FieldValue>; changed: string[] }
  | { ok: false; errors: FieldProblem[] };

/**
 * The values to store after applying `submitted` to `current`, or every problem at once.
 * Stored values of fields that were deactivated or limited away are kept untouched (history);
 * only fields the caller sends are checked for being known and applicable.
 */
export function applyCustomFields(input: FieldCheckInput): FieldCheckResult {
  const byKey = new Map(input.definitions.map((d) => [d.key, d]));
  const errors: FieldProblem[] = [];
  const values: Record<string, FieldValue> = {};
  for (const [key, v] of Object.entries(input.current)) values[key] = v as FieldValue;
  const changed: string[] = [];

  for (const [key, raw] of Object.entries(input.submitted)) {
    const path = `customFields.${key}`;
    const def = byKey.get(key);
    if (!def || !def.active) {
      errors.push({ path, code: 'unknown_field', message: `no active custom field ${key}` });
      continue;
    }
    if (!appliesTo(def, input.category)) {
      errors.push({
        path,
        code: 'not_applicable',
        message: `${key} is not used for category ${input.category}`,
      });
      continue;
    }
    const checked = checkValue(def, raw);
    if (!checked.ok) {
      errors.push(checked.problem);
      continue;
    }
    const before = values[key] ?? null;
    if (checked.value === null) delete values[key];
    else values[key] = checked.value;
    if (JSON.stringify(before) !== JSON.stringify(checked.value)) changed.push(key);
  }

  for (const def of input.definitions) {
    if (!def.required || !appliesTo(def, input.category)) continue;
    const missing = values[def.key] === undefined;
    const touched = Object.hasOwn(input.submitted, def.key);
    const alreadyReported = errors.some((e) => e.path === `customFields.${def.key}`);
    if (missing && !alreadyReported && (input.mode === 'create' || touched))
      errors.push({ path: `customFields.${def.key}`, code: 'required', message: 'is required' });
  }
  return errors.length ? { ok: false, errors } : { ok: true, values, changed };
}

/** A list filter `key:value` (select, multiselect, boolean) → the JSON documents to contain. */
export function containmentDocs(key: string, value: string): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [{ [key]: value }, { [key]: [value] }];
  if (value === 'true' || value === 'false') docs.push({ [key]: value === 'true' });
  return docs;
}
