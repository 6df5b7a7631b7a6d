import { asc, eq, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { rowsOf, textArray, type Db, type Executor } from '../../../db/client.js';
import { isUniqueViolation } from '../../../db/errors.js';
import { kbArticles, kbDictionary } from '../../../db/schema/index.js';
import { problems } from '../../../lib/problem.js';
import { recordAudit, type AuditContext } from '../../audit/service.js';
import { searchColumns } from './indexing.js';
import { forgetTermStats } from './service.js';
import { useDictionary } from './segment.js';
import { synonymMap, type SynonymMap } from '../rules/query.js';

export interface DictionaryEntry {
  id: string;
  word: string;
  /** Other names customers use for it (借记卡 for 储蓄卡): searched as one group with it. */
  synonyms: string[];
  createdAt: Date;
}

const entryColumns = {
  id: kbDictionary.id,
  word: kbDictionary.word,
  synonyms: kbDictionary.synonyms,
  createdAt: kbDictionary.createdAt,
};

/** How long an instance trusts its copy of the dictionary before reading it again. */
const RELOAD_MS = 30_000;
const fresh = new LRUCache<Db, true>({ max: 16, ttl: RELOAD_MS });

let synonyms: SynonymMap = synonymMap([]);
let synonymsKey = '';

/** The built-in synonym groups joined with the administrators' (as last loaded). */
export const synonymsInUse = (): SynonymMap => synonyms;

async function reload(ex: Executor): Promise<void> {
  const rows = await ex
    .select({ word: kbDictionary.word, synonyms: kbDictionary.synonyms })
    .from(kbDictionary)
    .orderBy(asc(kbDictionary.word));
  // The segmenter keeps synonyms whole too: 借记卡 must reach the query as one word.
  const wordsChanged = useDictionary(rows.flatMap((r) => [r.word, ...r.synonyms]));
  const groups = rows.filter((r) => r.synonyms.length).map((r) => [r.word, ...r.synonyms]);
  const key = JSON.stringify(groups);
  const synonymsChanged = key !== synonymsKey;
  if (synonymsChanged) {
    synonyms = synonymMap(groups);
    synonymsKey = key;
  }
  if (wordsChanged || synonymsChanged) forgetTermStats();
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
  return ex.select(entryColumns).from(kbDictionary).orderBy(asc(kbDictionary.word));
}

/**
 * Re-indexes the live articles whose title, tags or body contain one of `words`, with the
 * dictionary as it now is (adding 花呗 turns 花 / 呗 into one word in exactly those articles).
 */
async function reindexContaining(ex: Executor, words: readonly string[]): Promise<number> {
  if (!words.length) return 0;
  const rows = rowsOf<{ id: string; title: string; tags: string[]; body: string }>(
    await ex.execute(sql`
      SELECT a.id, v.title, a.tags, v.body FROM kb_articles a
      JOIN kb_versions v ON v.id = a.live_version_id
      WHERE EXISTS (SELECT 1 FROM unnest(${textArray(words)}::text[]) w
        WHERE strpos(v.title, w) > 0 OR strpos(v.body, w) > 0
           OR strpos(array_to_string(a.tags, ' '), w) > 0)`),
  );
  for (const r of rows)
    await ex
      .update(kbArticles)
      .set(searchColumns(r.title, r.tags, r.body))
      .where(eq(kbArticles.id, r.id));
  forgetTermStats();
  return rows.length;
}

/** Each synonym once and never the word itself: 422 with a code per offending entry. */
function checkSynonyms(word: string, list: readonly string[]): void {
  const errors = list.flatMap((w, i) =>
    w === word
      ? [
          {
            path: `synonyms.${i}`,
            message: 'must differ from the word itself',
            code: 'same_as_word',
          },
        ]
      : list.indexOf(w) < i
        ? [{ path: `synonyms.${i}`, message: 'is listed twice', code: 'duplicate_synonym' }]
        : [],
  );
  if (errors.length) throw problems.invalid(errors);
}

export async function addDictionaryWord(
  db: Db,
  ctx: AuditContext,
  word: string,
  synonymsOf: string[] = [],
): Promise<{ entry: DictionaryEntry; reindexed: number }> {
  checkSynonyms(word, synonymsOf);
  try {
    return await db.transaction(async (tx) => {
      const [entry] = await tx
        .insert(kbDictionary)
        .values({ word, synonyms: synonymsOf, createdAt: ctx.at, createdBy: ctx.actorId })
        .returning(entryColumns);
      await recordAudit(tx, ctx, {
        action: 'kb_dictionary.add',
        targetType: 'kb_dictionary',
        targetId: entry!.id,
        before: null,
        after: { word, synonyms: synonymsOf },
      });
      await reload(tx);
      return { entry: entry!, reindexed: await reindexContaining(tx, [word, ...synonymsOf]) };
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
        .returning({ word: kbDictionary.word, synonyms: kbDictionary.synonyms });
      if (!gone) throw problems.notFound('Dictionary word', 'id');
      await recordAudit(tx, ctx, {
        action: 'kb_dictionary.remove',
        targetType: 'kb_dictionary',
        targetId: id,
        before: { word: gone.word, synonyms: gone.synonyms },
        after: null,
      });
      await reload(tx);
      return { reindexed: await reindexContaining(tx, [gone.word, ...gone.synonyms]) };
    });
  } catch (err) {
    fresh.delete(db);
    throw err;
  }
}

/** Replaces a word's synonyms; articles containing a synonym added or dropped are re-indexed. */
export async function updateDictionarySynonyms(
  db: Db,
  ctx: AuditContext,
  id: string,
  next: string[],
): Promise<{ entry: DictionaryEntry; reindexed: number }> {
  try {
    return await db.transaction(async (tx) => {
      const [before] = await tx
        .select(entryColumns)
        .from(kbDictionary)
        .where(eq(kbDictionary.id, id))
        .for('update');
      if (!before) throw problems.notFound('Dictionary word', 'id');
      checkSynonyms(before.word, next);
      const [entry] = await tx
        .update(kbDictionary)
        .set({ synonyms: next })
        .where(eq(kbDictionary.id, id))
        .returning(entryColumns);
      await recordAudit(tx, ctx, {
        action: 'kb_dictionary.update',
        targetType: 'kb_dictionary',
        targetId: id,
        before: { synonyms: before.synonyms },
        after: { synonyms: next },
      });
      await reload(tx);
      const changed = [
        ...next.filter((w) => !before.synonyms.includes(w)),
        ...before.synonyms.filter((w) => !next.includes(w)),
      ];
      return { entry: entry!, reindexed: await reindexContaining(tx, changed) };
    });
  } catch (err) {
    fresh.delete(db);
    throw err;
  }
}
