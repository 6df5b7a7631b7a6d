/**
 * What changed between two versions of the policy list, for the admin's history view: policies
 * added and removed (by key), field-level changes of the rest, and whether their order moved
 * (first match wins, so order matters). Pure.
 */
import type { StoredPolicy } from './escalation.js';
import type { TargetDefinition } from './policy.js';

export interface FieldChange {
  path: string;
  from: unknown;
  to: unknown;
}

export interface PolicyDiff {
  added: string[];
  removed: string[];
  changed: { key: string; changes: FieldChange[] }[];
  orderChanged: boolean;
}

/** A target's identity inside a policy: its kind, told apart by when it applies. */
const targetKey = (t: TargetDefinition) =>
  t.kind + (t.onlyInsideWorkingHours ? '@in_hours' : t.onlyOutsideWorkingHours ? '@off_hours' : '');

/** Leaves of a JSON value by dotted path; arrays of scalars are leaves, targets are keyed. */
function flatten(value: unknown, path: string, out: Map<string, unknown>): void {
  if (Array.isArray(value) && path.endsWith('targets')) {
    for (const t of value as TargetDefinition[]) flatten(t, `${path}.${targetKey(t)}`, out);
  } else if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  } else if (value !== undefined) {
    out.set(path, value);
  }
}

function fieldChanges(a: StoredPolicy, b: StoredPolicy): FieldChange[] {
  const fa = new Map<string, unknown>();
  const fb = new Map<string, unknown>();
  flatten(a, '', fa);
  flatten(b, '', fb);
  const paths = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  return paths
    .filter((p) => JSON.stringify(fa.get(p) ?? null) !== JSON.stringify(fb.get(p) ?? null))
    .map((p) => ({ path: p, from: fa.get(p) ?? null, to: fb.get(p) ?? null }));
}

export function diffPolicies(from: StoredPolicy[], to: StoredPolicy[]): PolicyDiff {
  const before = new Map(from.map((p) => [p.key, p]));
  const after = new Map(to.map((p) => [p.key, p]));
  const common = (list: StoredPolicy[], other: Map<string, StoredPolicy>) =>
    list.filter((p) => other.has(p.key)).map((p) => p.key);
  return {
    added: to.filter((p) => !before.has(p.key)).map((p) => p.key),
    removed: from.filter((p) => !after.has(p.key)).map((p) => p.key),
    changed: to
      .filter((p) => before.has(p.key))
      .map((p) => ({ key: p.key, changes: fieldChanges(before.get(p.key)!, p) }))
      .filter((c) => c.changes.length > 0),
    orderChanged: common(from, after).join('\n') !== common(to, before).join('\n'),
  };
}
