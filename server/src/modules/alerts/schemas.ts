import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import { ALERT_EVENT_TYPES, CHANNEL_TYPES } from './rules/message.js';

export const eventType = z.enum(ALERT_EVENT_TYPES);
export const channelType = z.enum(CHANNEL_TYPES);

const url = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .describe(
    'Robot or webhook URL (WeCom: …/webhook/send?key=…; DingTalk: …/robot/send?access_token=…)',
  );

export const channelBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  teamId: z.uuid().nullable().default(null).describe('null: every team'),
  eventTypes: z.array(eventType).min(1).max(4),
  channelType,
  msgType: z.enum(['markdown', 'text']).default('markdown'),
  url,
  secret: z
    .string()
    .max(500)
    .default('')
    .describe('DingTalk 加签 secret (SEC…) or the webhook HMAC key; WeCom robots take none'),
  enabled: z.boolean().default(true),
});

export const channelPatch = z.strictObject({
  name: channelBody.shape.name.optional(),
  teamId: z.uuid().nullable().optional(),
  eventTypes: z.array(eventType).min(1).max(4).optional(),
  channelType: channelType.optional(),
  msgType: z.enum(['markdown', 'text']).optional(),
  url: url.optional(),
  secret: z.string().max(500).optional().describe('Omit to keep the saved secret; "" clears it'),
  enabled: z.boolean().optional(),
});

export const channelSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    teamId: z.uuid().nullable(),
    teamName: z.string().nullable(),
    eventTypes: z.array(eventType),
    channelType,
    msgType: z.enum(['markdown', 'text']),
    url: z.string().describe('Query values (keys, tokens) masked'),
    secretSet: z.boolean(),
    secretHint: z.string().describe('The saved secret, masked'),
    enabled: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'AlertChannel' });

export const deliverySchema = z
  .object({
    id: z.uuid(),
    channelId: z.uuid(),
    channelName: z.string(),
    channelType,
    eventType: z.enum([...ALERT_EVENT_TYPES, 'test']),
    ticketNumber: z.string().nullable(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    deliveredAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'AlertDelivery' });

export const deliveryQuery = pageQuery.extend({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  channelId: z.uuid().optional(),
});

export const channelQuery = pageQuery;

// SMS gateway and alert-retry settings (modules/alerts/settings.ts). Each field: omit to keep,
// null to go back to the environment's value (KEFU_SMS_*, KEFU_ALERT_*).
const settingText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();
export const smsProvider = z.enum(['log', 'none', 'aliyun', 'tencent']);

export const alertSettingsPatch = z.strictObject({
  sms: z
    .strictObject({
      provider: smsProvider.nullable().optional(),
      accessKeyId: settingText(200).describe('Aliyun AccessKey ID / Tencent SecretId'),
      accessKeySecret: z
        .string()
        .min(1)
        .max(1000)
        .nullable()
        .optional()
        .describe('Aliyun AccessKey secret / Tencent SecretKey: write-only, stored sealed'),
      signName: settingText(100),
      template: settingText(100).describe('Aliyun TemplateCode / Tencent TemplateId'),
      templateParam: settingText(100).describe('Aliyun: the template variable carrying the text'),
      appId: settingText(100).describe('Tencent SmsSdkAppId'),
      region: settingText(100),
      endpoint: z
        .url({ protocol: /^https?$/ })
        .max(500)
        .nullable()
        .optional()
        .describe("The gateway's base URL (default: the provider's public endpoint)"),
    })
    .optional(),
  retry: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(50).nullable().optional(),
      retrySeconds: z.number().int().min(1).max(86_400).nullable().optional(),
    })
    .optional(),
});

export const alertSettingsSchema = z
  .object({
    sms: z.object({
      provider: smsProvider,
      accessKeyId: z.string().nullable(),
      accessKeySecretSet: z.boolean(),
      accessKeySecretHint: z.string().describe('The secret, masked; the secret itself never'),
      signName: z.string().nullable(),
      template: z.string().nullable(),
      templateParam: z.string(),
      appId: z.string().nullable(),
      region: z.string().nullable(),
      endpoint: z.string().nullable(),
    }),
    retry: z.object({ maxAttempts: z.number().int(), retrySeconds: z.number().int() }),
    fromEnvironment: z
      .array(z.string())
      .describe('Fields whose value comes from the environment (not saved here)'),
    updatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'AlertSettings' });

export const smsTestBody = z.strictObject({
  to: z
    .string()
    .trim()
    .regex(/^\+?[0-9]{5,20}$/, 'digits with an optional leading +')
    .describe('The phone number to send the test message to'),
});

export const smsTestResult = z
  .object({ ok: z.boolean(), provider: smsProvider, error: z.string().nullable() })
  .meta({ id: 'SmsTestResult' });
