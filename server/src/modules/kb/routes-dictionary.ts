import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf, noContent } from '../../lib/http.js';
import { kbPolicy } from './policy.js';
import { idParams } from './schemas.js';
import {
  addDictionaryWord,
  listDictionary,
  removeDictionaryWord,
  updateDictionarySynonyms,
  type DictionaryEntry,
} from './search/dictionary.js';

const entrySchema = z
  .object({
    id: z.uuid(),
    word: z.string(),
    synonyms: z.array(z.string()),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'KbDictionaryWord' });

// Same bounds as the column's CHECK (migration 0027): 2–20 characters, no spaces.
const term = z
  .string()
  .trim()
  .min(2)
  .max(20)
  .regex(/^[^\s]+$/, 'one word, no spaces')
  .regex(/[\p{L}\p{N}]/u, 'must contain letters or digits');

/** Other names for the word (migration 0047): at most ten (repeats and the word itself are
 * refused by the service, with codes the web app translates). */
const synonymList = z.array(term).max(10);

const wordBody = z.strictObject({ word: term, synonyms: synonymList.optional() });

const synonymsBody = z.strictObject({ synonyms: synonymList });

const present = (e: DictionaryEntry) => ({
  id: e.id,
  word: e.word,
  synonyms: e.synonyms,
  createdAt: e.createdAt.toISOString(),
});

/**
 * The search dictionary: product and brand names the Chinese segmenter must keep whole (花呗,
 * 借呗 …), each with the other names customers use for it (借记卡 for 储蓄卡), searched as one
 * group. Knowledge editors and administrators; adding or removing a word or synonym re-indexes
 * the live articles that contain it.
 */
export async function kbDictionaryRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['kb'];

  r.get('/kb/dictionary', {
    config: { permission: kbPolicy.dictionary },
    schema: {
      tags,
      summary: 'Words added to the search dictionary',
      response: { 200: dataOf(z.array(entrySchema)) },
    },
    handler: async () => ({ data: (await listDictionary(db)).map(present) }),
  });

  r.post('/kb/dictionary', {
    config: { permission: kbPolicy.dictionary },
    schema: {
      tags,
      summary: 'Add a word to the search dictionary (re-indexes articles containing it)',
      body: wordBody,
      response: {
        201: dataOf(entrySchema.extend({ reindexed: z.number().int() })),
      },
    },
    handler: async (req, reply) => {
      const { word, synonyms } = req.body;
      const { entry, reindexed } = await addDictionaryWord(db, req.auditContext(), word, synonyms);
      return reply.code(201).send({ data: { ...present(entry), reindexed } });
    },
  });

  r.patch('/kb/dictionary/:id', {
    config: { permission: kbPolicy.dictionary },
    schema: {
      tags,
      summary: "Replace a word's synonyms (re-indexes articles containing one added or dropped)",
      params: idParams,
      body: synonymsBody,
      response: { 200: dataOf(entrySchema.extend({ reindexed: z.number().int() })) },
    },
    handler: async (req) => {
      const { entry, reindexed } = await updateDictionarySynonyms(
        db,
        req.auditContext(),
        req.params.id,
        req.body.synonyms,
      );
      return { data: { ...present(entry), reindexed } };
    },
  });

  r.delete('/kb/dictionary/:id', {
    config: { permission: kbPolicy.dictionary },
    schema: {
      tags,
      summary: 'Remove a word from the search dictionary',
      params: idParams,
      response: { 204: noContent },
    },
    handler: async (req, reply) => {
      await removeDictionaryWord(db, req.auditContext(), req.params.id);
      return reply.code(204).send(null);
    },
  });
}
