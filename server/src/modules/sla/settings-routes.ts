import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { dataOf } from '../../lib/http.js';
import { slaPolicy } from './policy.js';
import {
  getSlaSettings,
  slaSettingsPatch,
  slaSettingsSchema,
  updateSlaSettings,
} from './settings.js';

/** The SLA engine's workspace settings: the off-hours acknowledgement, breach e-mail. */
export async function slaSettingsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['sla'];

  r.get('/sla/settings', {
    config: { permission: slaPolicy.read },
    schema: {
      tags,
      summary: 'The off-hours acknowledgement (channels, zh/en text) and breach e-mail settings',
      response: { 200: dataOf(slaSettingsSchema) },
    },
    handler: async () => ({ data: await getSlaSettings(db) }),
  });

  r.patch('/sla/settings', {
    config: { permission: slaPolicy.settingsWrite },
    schema: {
      tags,
      summary: 'Change the SLA settings (administrators; audited)',
      body: slaSettingsPatch,
      response: { 200: dataOf(slaSettingsSchema) },
    },
    handler: async (req) => ({ data: await updateSlaSettings(db, req.auditContext(), req.body) }),
  });
}
