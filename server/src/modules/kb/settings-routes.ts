import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf } from '../../lib/http.js';
import { kbPolicy } from './policy.js';
import { getKbSettings, updateKbSettings } from './settings.js';

const kbSettingsSchema = z
  .object({
    // Same bounds as the column's CHECK (migration 0010).
    feedbackReplyWorkingDays: z.number().int().min(1).max(365),
  })
  .meta({ id: 'KbSettings' });

/** GET/PATCH /kb/settings: the people who run the feedback queue (knowledge editors, admins). */
export async function kbSettingsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['kb'];

  r.get('/kb/settings', {
    config: { permission: kbPolicy.feedbackQueue },
    schema: {
      tags,
      summary: 'Knowledge-base settings: feedback reply deadline in working days',
      response: { 200: dataOf(kbSettingsSchema) },
    },
    handler: async () => ({ data: await getKbSettings(db) }),
  });

  r.patch('/kb/settings', {
    config: { permission: kbPolicy.feedbackQueue },
    schema: {
      tags,
      summary: 'Change the knowledge-base settings (knowledge editors, administrators)',
      body: kbSettingsSchema.partial().strict(),
      response: { 200: dataOf(kbSettingsSchema) },
    },
    handler: async (req) => ({
      data: await db.transaction((tx) => updateKbSettings(tx, req.auditContext(), req.body)),
    }),
  });
}
