import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { surveySettings, surveyTemplates, surveyTemplateVersions } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { checkQuestions, type Question } from './rules/scoring.js';

type TemplateRow = typeof surveyTemplates.$inferSelect;

export interface TemplateView {
  id: string;
  name: string;
  version: number;
  questions: Question[];
  allowComment: boolean;
  active: boolean;
  isDefault: boolean;
  updatedAt: string;
}

export interface TemplateInput {
  name: string;
  questions: Question[];
  allowComment: boolean;
}

const present = (t: TemplateRow, defaultId: string): TemplateView => ({
  id: t.id,
  name: t.name,
  version: t.version,
  questions: t.questions,
  allowComment: t.allowComment,
  active: t.active,
  isDefault: t.id === defaultId,
  updatedAt: t.updatedAt.toISOString(),
});

async function defaultTemplateId(ex: Executor): Promise<string> {
  const [s] = await ex.select({ id: surveySettings.templateId }).from(surveySettings);
  return s?.id ?? '';
}

export async function listTemplates(db: Db): Promise<TemplateView[]> {
  const def = await defaultTemplateId(db);
  const rows = await db.select().from(surveyTemplates).orderBy(asc(surveyTemplates.createdAt));
  return rows.map((r) => present(r, def));
}

export async function templateVersions(db: Db, id: string) {
  const rows = await db
    .select()
    .from(surveyTemplateVersions)
    .where(eq(surveyTemplateVersions.templateId, id))
    .orderBy(desc(surveyTemplateVersions.version));
  if (rows.length === 0) throw problems.notFound('Survey template', 'id');
  return rows.map((v) => ({
    version: v.version,
    name: v.name,
    questions: v.questions,
    allowComment: v.allowComment,
    createdAt: v.createdAt.toISOString(),
  }));
}

/** The questions an answer pins (template + version). */
export async function pinnedVersion(ex: Executor, templateId: string, version: number) {
  const [v] = await ex
    .select()
    .from(surveyTemplateVersions)
    .where(
      and(
        eq(surveyTemplateVersions.templateId, templateId),
        eq(surveyTemplateVersions.version, version),
      ),
    );
  if (!v) throw new Error(`survey template ${templateId} v${version} missing`);
  return v;
}

function validate(input: Partial<TemplateInput>) {
  if (input.questions) {
    const errors = checkQuestions(input.questions);
    if (errors.length) throw problems.invalid(errors);
  }
}

export async function createTemplate(
  db: Db,
  ctx: AuditContext,
  input: TemplateInput,
): Promise<TemplateView> {
  validate(input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(surveyTemplates)
      .values({ ...input, version: 1, active: true, createdAt: ctx.at, updatedAt: ctx.at })
      .returning();
    await tx.insert(surveyTemplateVersions).values({
      templateId: row!.id,
      version: 1,
      name: input.name,
      questions: input.questions,
      allowComment: input.allowComment,
      createdBy: ctx.actorId,
      createdAt: ctx.at,
    });
    await recordAudit(tx, ctx, {
      action: 'survey_template.create',
      targetType: 'survey_template',
      targetId: row!.id,
      after: { name: input.name, questions: input.questions.length },
    });
    return present(row!, await defaultTemplateId(tx));
  });
}

/**
 * Edits a template. A change of the questions, the comment box or the name is a new version
 * (answers already given keep pointing at the version they answered); `active` is not.
 */
export async function updateTemplate(
  db: Db,
  ctx: AuditContext,
  id: string,
  patch: Partial<TemplateInput> & { active?: boolean },
): Promise<TemplateView> {
  validate(patch);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(surveyTemplates)
      .where(eq(surveyTemplates.id, id))
      .for('update');
    if (!row) throw problems.notFound('Survey template', 'id');
    const def = await defaultTemplateId(tx);
    if (patch.active === false && id === def)
      throw problems.conflict(
        'template_in_use',
        'The template used for ticket surveys cannot be deactivated; choose another one first.',
      );
    const next = {
      name: patch.name ?? row.name,
      questions: patch.questions ?? row.questions,
      allowComment: patch.allowComment ?? row.allowComment,
    };
    const changed =
      JSON.stringify(next) !==
      JSON.stringify({ name: row.name, questions: row.questions, allowComment: row.allowComment });
    const version = changed ? row.version + 1 : row.version;
    const [saved] = await tx
      .update(surveyTemplates)
      .set({ ...next, version, active: patch.active ?? row.active, updatedAt: ctx.at })
      .where(eq(surveyTemplates.id, id))
      .returning();
    if (changed)
      await tx.insert(surveyTemplateVersions).values({
        templateId: id,
        version,
        ...next,
        createdBy: ctx.actorId,
        createdAt: ctx.at,
      });
    await recordAudit(tx, ctx, {
      action: 'survey_template.update',
      targetType: 'survey_template',
      targetId: id,
      before: { version: row.version, active: row.active },
      after: {
        version,
        active: saved!.active,
        ...(changed && { questions: next.questions.length }),
      },
    });
    return present(saved!, def);
  });
}
