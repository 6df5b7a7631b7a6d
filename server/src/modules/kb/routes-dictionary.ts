import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf, noContent } from '../../lib/http.js';
import { kbPolicy } from './policy.js';
import { idParams } from './schemas.js';
import { addDictionaryWord, listDictionary, removeDictionaryWord } from './search/dictionary.js';

const entrySchema = z
  .object({ id: z.uuid(), word: z.string(), createdAt: z.iso.datetime() })
  .meta({ id: 'KbDictionaryWord' });

const wordBody = z.strictObject({
  // Same bounds as the column's CHECK (migration 0027): 2–20 characters, no spaces.
  word: z
    .string()
    .trim()
    .min(2)
    .max(20)
    .regex(/^[^\s]+$/, 'one word, no spaces')
    .regex(/[\p{L}\p{N}]/u, 'must contain letters or digits'),
});

const present = (e: { id: string; word: string; createdAt: Date }) => ({
  id: e.id,
  word: e.word,
  createdAt: e.createdAt.toISOString(),
});

/**
 * The search dictionary: product and brand names the Chinese segmenter must keep whole (花呗,
 * 借呗 …). Knowledge editors and administrators; adding or removing a word re-indexes the live
 * articles that contain it.
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
      const { entry, reindexed } = await addDictionaryWord(db, req.auditContext(), req.body.word);
      return reply.code(201).send({ data: { ...present(entry), reindexed } });
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
