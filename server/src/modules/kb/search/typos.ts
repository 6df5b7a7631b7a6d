import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../../db/client.js';
import { buildSoundIndex, DEFAULT_TYPO_POLICY, type SoundIndex } from '../rules/pinyin.js';

/** A cache lifetime on the monotonic timer (not business time). The sound index is rebuilt at most this often (in the background after the first build). */
const TTL_MS = 10 * 60_000;

let generation = 0;

interface Entry {
  index: SoundIndex;
  at: number;
  generation: number;
  refreshing?: Promise<void>;
}

const byDb = new WeakMap<Db, Entry>();
const pending = new WeakMap<Db, Promise<SoundIndex>>();

/** Han words of 2–4 characters in the live index with their document frequency. */
async function load(db: Db): Promise<SoundIndex> {
  const rows = rowsOf<{ word: string; ndoc: number }>(
    await db.execute(sql`
      SELECT word, ndoc FROM ts_stat('SELECT vector FROM kb_search WHERE language <> ''en-US''')
      WHERE ndoc >= ${DEFAULT_TYPO_POLICY.minDf} AND word ~ '^[一-鿿]{2,4}$'`),
  );
  return buildSoundIndex(rows.map((r) => ({ word: r.word, df: Number(r.ndoc) })));
}

/**
 * The index vocabulary grouped by pinyin, for typo candidates. Built on first use (one pass over
 * the narrow search table), then served while a rebuild runs in the background every ten minutes
 * or after a publication (`forgetSoundIndex`).
 */
export async function soundIndex(db: Db, now = performance.now()): Promise<SoundIndex> {
  const entry = byDb.get(db);
  if (entry) {
    if ((now - entry.at > TTL_MS || entry.generation !== generation) && !entry.refreshing) {
      const started = generation;
      entry.refreshing = load(db)
        .then((index) => void byDb.set(db, { index, at: performance.now(), generation: started }))
        .catch(() => void (entry.refreshing = undefined));
    }
    return entry.index;
  }
  let first = pending.get(db);
  if (!first) {
    const started = generation;
    first = load(db).then((index) => {
      byDb.set(db, { index, at: performance.now(), generation: started });
      return index;
    });
    pending.set(db, first);
    first.finally(() => pending.delete(db)).catch(() => undefined);
  }
  return first;
}

/** A publication changed the vocabulary: the next search rebuilds the index in the background. */
export function forgetSoundIndex(): void {
  generation += 1;
}
