import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf, noContent, pageOf } from '../../lib/http.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import { idParams } from '../users/schemas.js';
import { secretKeyFor } from '../../lib/secret-box.js';
import { sealStoredChannels } from './outbox.js';
import { alertsPolicy } from './policy.js';
import {
  alertSettingsPatch,
  alertSettingsSchema,
  smsTestBody,
  smsTestResult,
  channelBody,
  channelPatch,
  channelQuery,
  channelSchema,
  deliveryQuery,
  deliverySchema,
} from './schemas.js';
import {
  createChannel,
  deleteChannel,
  listChannels,
  listDeliveries,
  testChannel,
  updateChannel,
} from './service.js';
import { getAlertSettings, testSms, updateAlertSettings } from './settings.js';

const testResult = z
  .object({
    deliveryId: z.uuid(),
    ok: z.boolean(),
    statusCode: z.number().int().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'AlertTestResult' });

export async function alertsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.deps;
  const key = secretKeyFor(config, app.log);
  app.addHook('onReady', async () => {
    const n = await sealStoredChannels(db, key);
    if (n > 0) app.log.info({ channels: n }, 'alert channel URLs and secrets sealed at rest');
  });
  const tags = ['alerts'];
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;

  r.get('/alerts/channels', {
    config: { permission: alertsPolicy.read },
    schema: {
      tags,
      summary: 'List staff-alert channels (URLs and secrets masked)',
      querystring: channelQuery,
      response: { 200: pageOf(channelSchema) },
    },
    handler: async (req) => {
      const rows = await listChannels(db, key, req.query.limit, decodeCursor(req.query.cursor));
      return toPage(rows, req.query.limit, (c) => ({ at: c.createdAt, id: c.id }));
    },
  });

  r.post('/alerts/channels', {
    config: { permission: alertsPolicy.manage },
    schema: {
      tags,
      summary: 'Add a staff-alert channel (WeCom / DingTalk robot or signed webhook)',
      body: channelBody,
      response: { 201: dataOf(channelSchema) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({ data: await createChannel(db, key, req.auditContext(), req.body) }),
  });

  r.patch('/alerts/channels/:id', {
    config: { permission: alertsPolicy.manage },
    schema: {
      tags,
      summary: 'Change a staff-alert channel',
      params: idParams,
      body: channelPatch,
      response: { 200: dataOf(channelSchema) },
    },
    handler: async (req) => ({
      data: await updateChannel(db, key, req.auditContext(), req.params.id, req.body),
    }),
  });

  r.delete('/alerts/channels/:id', {
    config: { permission: alertsPolicy.manage },
    schema: {
      tags,
      summary: 'Remove a staff-alert channel (and its delivery log)',
      params: idParams,
      response: { 204: noContent },
    },
    handler: async (req, reply) => {
      await deleteChannel(db, key, req.auditContext(), req.params.id);
      return reply.code(204).send(null);
    },
  });

  r.post('/alerts/channels/:id/test', {
    config: { permission: alertsPolicy.manage },
    schema: {
      tags,
      summary: 'Send a test message to a channel now',
      params: idParams,
      response: { 200: dataOf(testResult) },
    },
    handler: async (req) => ({
      data: await testChannel(db, key, req.auditContext(), req.params.id, publicUrl),
    }),
  });

  r.get('/alerts/deliveries', {
    config: { permission: alertsPolicy.read },
    schema: {
      tags,
      summary: 'The delivery log: status, attempts, last response code',
      querystring: deliveryQuery,
      response: { 200: pageOf(deliverySchema) },
    },
    handler: async (req) => {
      const rows = await listDeliveries(db, req.query, decodeCursor(req.query.cursor));
      return toPage(rows, req.query.limit, (d) => ({ at: d.createdAt, id: d.id }));
    },
  });

  r.get('/alerts/settings', {
    config: { permission: alertsPolicy.read },
    schema: {
      tags,
      summary: 'SMS gateway and alert-retry settings (the access key secret masked)',
      response: { 200: dataOf(alertSettingsSchema) },
    },
    handler: async () => ({ data: await getAlertSettings(db, key, config) }),
  });

  r.patch('/alerts/settings', {
    config: { permission: alertsPolicy.manage },
    schema: {
      tags,
      summary: 'Change the SMS gateway and alert-retry settings (null: back to the environment)',
      body: alertSettingsPatch,
      response: { 200: dataOf(alertSettingsSchema) },
    },
    handler: async (req) => ({
      data: await updateAlertSettings(db, key, config, req.auditContext(), req.body),
    }),
  });

  r.post('/alerts/sms/test', {
    config: { permission: alertsPolicy.manage },
    schema: {
      tags,
      summary: 'Send a test SMS through the configured provider now',
      body: smsTestBody,
      response: { 200: dataOf(smsTestResult) },
    },
    handler: async (req) => ({
      data: await testSms(db, key, config, req.auditContext(), req.body.to, app.log),
    }),
  });
}
