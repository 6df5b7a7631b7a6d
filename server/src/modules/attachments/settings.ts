import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { attachmentSettings } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';

/** Upload limits (one row, changed by an administrator; defaults in migration 0005). */
export interface AttachmentSettings {
  maxFileBytes: number;
  maxImageBytes: number;
  allowedTypes: string[];
}

/** Types a browser would run as a page or script: never accepted, whatever the list says. */
export const NEVER_ALLOWED: readonly string[] = [
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
  'text/javascript',
  'application/javascript',
  'application/x-msdownload',
];

export async function getAttachmentSettings(ex: Executor): Promise<AttachmentSettings> {
  const [row] = await ex.select().from(attachmentSettings).where(eq(attachmentSettings.id, true));
  if (!row) throw new Error('attachment_settings row missing (migration 0005 seeds it)');
  return {
    maxFileBytes: row.maxFileBytes,
    maxImageBytes: row.maxImageBytes,
    allowedTypes: row.allowedTypes,
  };
}

export async function updateAttachmentSettings(
  ex: Executor,
  ctx: AuditContext,
  patch: Partial<AttachmentSettings>,
): Promise<AttachmentSettings> {
  if (patch.allowedTypes) {
    const bad = patch.allowedTypes.findIndex((t) => NEVER_ALLOWED.includes(t));
    if (bad >= 0)
      throw problems.invalid([
        {
          path: `allowedTypes.${bad}`,
          message: 'this type can run scripts in a browser',
          code: 'type_not_allowed',
        },
      ]);
  }
  const before = await getAttachmentSettings(ex);
  const after = {
    ...before,
    ...patch,
    ...(patch.allowedTypes && { allowedTypes: [...new Set(patch.allowedTypes)] }),
  };
  await ex
    .update(attachmentSettings)
    .set({ ...after, updatedAt: ctx.at })
    .where(eq(attachmentSettings.id, true));
  await recordAudit(ex, ctx, {
    action: 'attachment_settings.update',
    targetType: 'attachment_settings',
    targetId: 'workspace',
    before: { ...before },
    after: { ...after },
  });
  return after;
}
