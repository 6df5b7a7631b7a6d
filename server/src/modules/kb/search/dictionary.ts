import { asc, eq, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { rowsOf, type Db, type Executor } from '../../../db/client.js';
import { isUniqueViolation } from '../../../db/errors.js';
import { kbArticles, kbDictionary } from '../../../db/schema/index.js';
import { problems } from '../../../lib/problem.js';
import { recordAudit, type AuditContext } from '../../audit/service.js';
import { searchColumns } from './indexing.js';
import { forgetTermStats } from './service.js';
import { useDictionary } from './segment.js';

export interface DictionaryEntry {
  id: string;
  word: string;
  createdAt: Date;
}

/** How long an instance trusts its copy of the dictionary before reading it again. */
const RELOAD_MS = 30_000;
const fresh = new LRUCache<Db, true>({ max: 16, ttl: RELOAD_MS });

async function reload(ex: Executor): Promise<void> {
  const words = await ex.select({ word: kbDictionary.word }).from(kbDictionary);
  if (useDictionary(words.map((w) => w.word))) forgetTermStats();
}

/**
 * Makes this instance segment with the administrators' current words: read at most every
 * RELOAD_MS (another instance may have changed them), cheap otherwise. Called before searching.
 */
export async function ensureDictionary(db: Db): Promise<void> {
  if (fresh.has(db)) return;
  fresh.set(db, true);
  try {
    await reload(db);
  } catch (err) {
    fresh.delete(db);
    throw err;
  }
}

export function listDictionary(ex: Executor): Promise<DictionaryEntry[]> {
  return ex
    .select({ id: kbDictionary.id, word: kbDictionary.word, createdAt: kbDictionary.createdAt })
    .from(kbDictionary)
    .orderBy(asc(kbDictionary.word));
}

/**
 * Re-indexes the live articles whose title, tags or body contain `word`, with the dictionary as
 * it now is (adding 花呗 turns 花 / 呗 into one word in exactly those articles).
 */
async function reindexContaining(ex: Executor, word: string): Promise<number> {
  const rows = rowsOf<{ id: string; title: string; tags: string[]; body: string }>(
    await ex.execute(sql`
      SELECT a.id, v.title, a.tags, v.body FROM kb_articles a
      JOIN kb_versions v ON v.id = a.live_version_id
      WHERE strpos(v.title, ${word}) > 0 OR strpos(v.body, ${word}) > 0
         OR strpos(array_to_string(a.tags, ' '), ${word}) > 0`),
  );
  for (const r of rows)
    await ex
      .update(kbArticles)
      .set(searchColumns(r.title, r.tags, r.body))
      .where(eq(kbArticles.id, r.id));
  forgetTermStats();
  return rows.length;
}

export async function addDictionaryWord(
  db: Db,
  ctx: AuditContext,
  word: string,
): Promise<{ entry: DictionaryEntry; reindexed: number }> {
  try {
    return await db.transaction(async (tx) => {
      const [entry] = await tx
        .insert(kbDictionary)
        .values({ word, createdAt: ctx.at, createdBy: ctx.actorId })
        .returning({
          id: kbDictionary.id,
          word: kbDictionary.word,
          createdAt: kbDictionary.createdAt,
        });
      await recordAudit(tx, ctx, {
        action: 'kb_dictionary.add',
        targetType: 'kb_dictionary',
        targetId: entry!.id,
        before: null,
        after: { word },
      });
      await reload(tx);
      return { entry: entry!, reindexed: await reindexContaining(tx, word) };
    });
  } catch (err) {
    fresh.delete(db); // the segmenter may hold a word that was rolled back
    if (isUniqueViolation(err))
      throw problems.conflict('word_exists', `“${word}” is already in the dictionary.`, [
        { path: 'word', message: 'already in the dictionary', code: 'word_exists' },
      ]);
    throw err;
  }
}

export async function removeDictionaryWord(
  db: Db,
  ctx: AuditContext,
  id: string,
): Promise<{ reindexed: number }> {
  try {
    return await db.transaction(async (tx) => {
      const [gone] = await tx
        .delete(kbDictionary)
        .where(eq(kbDictionary.id, id))
        .returning({ word: kbDictionary.word });
      if (!gone) throw problems.notFound('Dictionary word', 'id');
      await recordAudit(tx, ctx, {
        action: 'kb_dictionary.remove',
        targetType: 'kb_dictionary',
        targetId: id,
        before: { word: gone.word },
        after: null,
      });
      await reload(tx);
      return { reindexed: await reindexContaining(tx, gone.word) };
    });
  } catch (err) {
    fresh.delete(db);
    throw err;
  }
}
