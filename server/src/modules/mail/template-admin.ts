/** Mail templates administrators edit (issue 13): read, save (validated), reset, preview. */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { mailTemplates } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import {
  EDITABLE_TEMPLATES,
  renderEditable,
  TEMPLATE_SPECS,
  validateTemplate,
  type EditableTemplate,
} from './rules/editable.js';
import { MAIL_LOCALES, withPublicUrl, type MailLocale } from './rules/templates.js';

type Row = typeof mailTemplates.$inferSelect;

const view = (template: EditableTemplate, locale: MailLocale, row: Row | undefined) => {
  const spec = TEMPLATE_SPECS[template];
  const text = row ?? spec.defaults[locale];
  return {
    template,
    locale,
    subject: text.subject,
    body: text.body,
    customized: Boolean(row),
    placeholders: [...spec.placeholders],
    required: [...new Set([...spec.requiredInBody, ...spec.requiredInSubject])],
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
};

export async function listTemplates(db: Db) {
  const rows = await db.select().from(mailTemplates);
  return EDITABLE_TEMPLATES.flatMap((t) =>
    MAIL_LOCALES.map((l) =>
      view(
        t,
        l,
        rows.find((r) => r.template === t && r.locale === l),
      ),
    ),
  );
}

function check(template: EditableTemplate, input: { subject: string; body: string }) {
  const errors = validateTemplate(template, input);
  if (errors.length > 0) throw problems.invalid(errors);
}

export async function saveTemplate(
  db: Db,
  ctx: AuditContext,
  template: EditableTemplate,
  locale: MailLocale,
  input: { subject: string; body: string },
) {
  check(template, input);
  return db.transaction(async (tx) => {
    const where = and(eq(mailTemplates.template, template), eq(mailTemplates.locale, locale));
    const [before] = await tx.select().from(mailTemplates).where(where);
    const values = {
      template,
      locale,
      subject: input.subject,
      body: input.body,
      updatedBy: ctx.actorId,
      updatedAt: ctx.at,
    };
    const [row] = await tx
      .insert(mailTemplates)
      .values(values)
      .onConflictDoUpdate({ target: [mailTemplates.template, mailTemplates.locale], set: values })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'mail.template.update',
      targetType: 'mail_template',
      targetId: `${template}:${locale}`,
      before: before ? { subject: before.subject, body: before.body } : null,
      after: { subject: input.subject, body: input.body },
    });
    return view(template, locale, row);
  });
}

/** Back to the built-in text. */
export async function resetTemplate(
  db: Db,
  ctx: AuditContext,
  template: EditableTemplate,
  locale: MailLocale,
) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .delete(mailTemplates)
      .where(and(eq(mailTemplates.template, template), eq(mailTemplates.locale, locale)))
      .returning();
    if (before)
      await recordAudit(tx, ctx, {
        action: 'mail.template.reset',
        targetType: 'mail_template',
        targetId: `${template}:${locale}`,
        before: { subject: before.subject, body: before.body },
        after: null,
      });
    return view(template, locale, undefined);
  });
}

/** The mail as it would go out, with sample values (validated like a save, nothing stored). */
export function previewTemplate(
  template: EditableTemplate,
  locale: MailLocale,
  input: { subject: string; body: string },
  publicUrl: string,
) {
  check(template, input);
  const r = renderEditable(template, locale, input, TEMPLATE_SPECS[template].sample);
  return {
    subject: r.subject,
    text: withPublicUrl(r.text, publicUrl),
    html: withPublicUrl(r.html, publicUrl, true),
  };
}
