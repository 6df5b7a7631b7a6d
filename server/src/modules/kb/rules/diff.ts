import { diffLines } from 'diff';

/** One row of a side-by-side comparison; `null` on the side where the line does not exist. */
export interface DiffRow {
  kind: 'same' | 'add' | 'remove' | 'change';
  left: { line: number; text: string } | null;
  right: { line: number; text: string } | null;
}

export interface SideBySide {
  rows: DiffRow[];
  added: number;
  removed: number;
}

const linesOf = (value: string) => {
  const lines = value.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
};

/**
 * Line diff of two texts (the `diff` package's Myers diff), laid out side by side: a removed
 * block followed by an added block is paired line by line as changes.
 */
export function sideBySide(before: string, after: string): SideBySide {
  const parts = diffLines(
    before.endsWith('\n') ? before : `${before}\n`,
    after.endsWith('\n') ? after : `${after}\n`,
  );
  const rows: DiffRow[] = [];
  let left = 0;
  let right = 0;
  let added = 0;
  let removed = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const lines = linesOf(part.value);
    if (!part.added && !part.removed) {
      for (const text of lines)
        rows.push({ kind: 'same', left: { line: ++left, text }, right: { line: ++right, text } });
      continue;
    }
    if (part.removed) {
      const next = parts[i + 1];
      const adds = next?.added ? linesOf(next.value) : [];
      if (next?.added) i += 1;
      removed += lines.length;
      added += adds.length;
      const n = Math.max(lines.length, adds.length);
      for (let k = 0; k < n; k++) {
        const l = lines[k];
        const r = adds[k];
        rows.push({
          kind: l !== undefined && r !== undefined ? 'change' : l !== undefined ? 'remove' : 'add',
          left: l === undefined ? null : { line: ++left, text: l },
          right: r === undefined ? null : { line: ++right, text: r },
        });
      }
      continue;
    }
    added += lines.length;
    for (const text of lines)
      rows.push({ kind: 'add', left: null, right: { line: ++right, text } });
  }
  return { rows, added, removed };
}
