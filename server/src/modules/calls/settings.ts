import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { callSettings, type CtiProvider, type PeakWindow } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { peakWindowErrors, type PeakWindowRule } from './rules/peak.js';

/** The phone settings as stored (secrets included): for the webhook and the services only. */
export interface CallSettings {
  providers: CtiProvider[];
  replayWindowSeconds: number;
  peakWindows: (PeakWindow & { days?: number[] })[];
  callbackDueMinutes: number;
}

export async function getCallSettings(ex: Executor): Promise<CallSettings> {
  const [row] = await ex.select().from(callSettings).where(eq(callSettings.id, true));
  if (!row) throw new Error('call_settings row missing (migration 0026 seeds it)');
  return {
    providers: row.providers,
    replayWindowSeconds: row.replayWindowSeconds,
    peakWindows: row.peakWindows,
    callbackDueMinutes: row.callbackDueMinutes,
  };
}

/** What the admin screen sees: never a secret, only whether one is set. */
export function presentSettings(s: CallSettings) {
  return {
    providers: s.providers.map((p) => ({
      key: p.key,
      name: p.name,
      secretSet: p.secret.length > 0,
      dial: p.dial ?? null,
    })),
    replayWindowSeconds: s.replayWindowSeconds,
    peakWindows: s.peakWindows,
    callbackDueMinutes: s.callbackDueMinutes,
  };
}

export interface SettingsPatch {
  providers?: {
    key: string;
    name: string;
    secret?: string | undefined;
    dial?: CtiProvider['dial'] | undefined;
  }[];
  replayWindowSeconds?: number;
  peakWindows?: PeakWindowRule[];
  callbackDueMinutes?: number;
}

const forAudit = (s: CallSettings) => ({
  ...s,
  // A changed secret shows as changed (its length and a hash would still say too much).
  providers: s.providers.map((p) => ({
    key: p.key,
    name: p.name,
    secret: '[set]',
    dial: p.dial ?? null,
  })),
});

/**
 * Changes the phone settings. A provider listed without `secret` keeps the one it has; a new
 * provider needs one (422). Two providers with the same key are refused.
 */
export async function updateCallSettings(ex: Executor, ctx: AuditContext, patch: SettingsPatch) {
  const before = await getCallSettings(ex);
  const errors: { path: string; message: string }[] = [];
  let providers = before.providers;
  if (patch.providers) {
    const seen = new Set<string>();
    providers = patch.providers.map((p, i) => {
      if (seen.has(p.key)) errors.push({ path: `providers.${i}.key`, message: 'listed twice' });
      seen.add(p.key);
      const old = before.providers.find((o) => o.key === p.key);
      const secret = p.secret ?? old?.secret ?? '';
      if (!secret)
        errors.push({ path: `providers.${i}.secret`, message: 'a new provider needs a secret' });
      const dial = p.dial === undefined ? (old?.dial ?? null) : p.dial;
      return { key: p.key, name: p.name, secret, dial };
    });
  }
  if (patch.peakWindows) errors.push(...peakWindowErrors(patch.peakWindows));
  if (errors.length) throw problems.invalid(errors);
  const after: CallSettings = {
    providers,
    replayWindowSeconds: patch.replayWindowSeconds ?? before.replayWindowSeconds,
    peakWindows: patch.peakWindows ?? before.peakWindows,
    callbackDueMinutes: patch.callbackDueMinutes ?? before.callbackDueMinutes,
  };
  await ex
    .update(callSettings)
    .set({ ...after, updatedAt: ctx.at })
    .where(eq(callSettings.id, true));
  const changedSecrets = providers
    .filter((p) => before.providers.find((o) => o.key === p.key)?.secret !== p.secret)
    .map((p) => p.key);
  await recordAudit(ex, ctx, {
    action: 'call_settings.update',
    targetType: 'call_settings',
    targetId: 'workspace',
    before: forAudit(before),
    after: { ...forAudit(after), secretsChanged: changedSecrets },
  });
  return presentSettings(after);
}
