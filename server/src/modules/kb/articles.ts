import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { Db, Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { kbArticles, kbCategories, kbEvents, kbVersions } from '../../db/schema/index.js';
import type { CursorKey } from '../../lib/pagination.js';
import { problems } from '../../lib/problem.js';
import type { AuditContext } from '../audit/service.js';
import { getCategory, getOpenCategory } from './categories.js';
import { recordKbEvent } from './events.js';
import {
  articleView,
  authorNames,
  hasWorkingVersion,
  presentArticles,
  presentVersion,
  refused,
  workflowContext,
} from './presenters.js';
import { allowedActions, decide, type VersionStatus } from './rules/workflow.js';
import type { CreateArticleInput, EventView, UpdateVersionInput } from './schemas.js';
import { sanitizeMarkdown } from './rules/sanitize.js';
import { reindexKeywords } from './search/indexing.js';
import { forgetTermStats } from './search/service.js';

const EMPTY_PHRASES = { forbidden: [], required: [] };

function phrasesFor(type: string, phrases: UpdateVersionInput['phrases']) {
  if (!phrases) return undefined;
  const used = phrases.forbidden.length + phrases.required.length > 0;
  if (used && type !== 'script')
    throw problems.invalid([{ path: 'phrases', message: 'only scripts carry phrases' }]);
  return { forbidden: phrases.forbidden, required: phrases.required };
}

/** Creates an article with its first version as a draft by `actor`. */
export async function insertArticle(
  tx: Executor,
  ctx: AuditContext,
  actor: Pick<Actor, 'userId'>,
  input: CreateArticleInput,
) {
  await getOpenCategory(tx, input.categoryId);
  let group: string = randomUUID();
  if (input.translationOf) {
    const [source] = await tx
      .select()
      .from(kbArticles)
      .where(eq(kbArticles.id, input.translationOf));
    if (!source) throw problems.notFound('Article', 'translationOf');
    group = source.translationGroup;
  }
  const [article] = await tx
    .insert(kbArticles)
    .values({
      type: input.type,
      categoryId: input.categoryId,
      language: input.language,
      translationGroup: group,
      tags: [...new Set(input.tags)],
      title: input.title,
      createdBy: actor.userId,
      createdAt: ctx.at,
      updatedAt: ctx.at,
    })
    .returning()
    .catch((err: unknown) => {
      if (isUniqueViolation(err))
        throw problems.conflict(
          'translation_exists',
          `The article already has a ${input.language} translation.`,
          [{ path: 'language', message: 'translation exists' }],
        );
      throw err;
    });
  const [version] = await tx
    .insert(kbVersions)
    .values({
      articleId: article!.id,
      number: 1,
      status: 'draft',
      title: input.title,
      body: sanitizeMarkdown(input.body),
      audience: input.audience,
      phrases: phrasesFor(input.type, input.phrases) ?? EMPTY_PHRASES,
      reason: 'First version',
      authorId: actor.userId,
      createdAt: ctx.at,
      updatedAt: ctx.at,
    })
    .returning();
  await recordKbEvent(tx, ctx, {
    articleId: article!.id,
    versionId: version!.id,
    action: 'create',
    toStatus: 'draft',
    after: { type: input.type, title: input.title, language: input.language },
  });
  return { article: article!, version: version! };
}

export async function createArticle(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  input: CreateArticleInput,
) {
  return db.transaction(async (tx) => {
    const { article } = await insertArticle(tx, ctx, actor, input);
    return articleView(tx, article.id, ctx.at);
  });
}

/** Category and tags are not versioned: they change at once, recorded in the history. */
export async function updateArticle(
  db: Db,
  ctx: AuditContext,
  id: string,
  patch: { categoryId?: string; tags?: string[] },
) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(kbArticles).where(eq(kbArticles.id, id)).for('update');
    if (!before) throw problems.notFound('Article', 'id');
    if (patch.categoryId) await getOpenCategory(tx, patch.categoryId);
    const tags = patch.tags ? [...new Set(patch.tags)] : undefined;
    await tx
      .update(kbArticles)
      .set({ ...patch, ...(tags && { tags }), updatedAt: ctx.at })
      .where(eq(kbArticles.id, id));
    if (tags && before.liveVersionId) {
      await reindexKeywords(tx, id, tags);
      forgetTermStats();
    }
    await recordKbEvent(tx, ctx, {
      articleId: id,
      action: 'update',
      before: { categoryId: before.categoryId, tags: before.tags },
      after: { categoryId: patch.categoryId ?? before.categoryId, tags: tags ?? before.tags },
    });
    return articleView(tx, id, ctx.at);
  });
}

/** Edits a draft; any other status is a 409 naming what is allowed instead. */
export async function editVersion(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  patch: UpdateVersionInput,
) {
  return db.transaction(async (tx) => {
    const [version] = await tx.select().from(kbVersions).where(eq(kbVersions.id, id)).for('update');
    if (!version) throw problems.notFound('Version', 'id');
    const [article] = await tx
      .select()
      .from(kbArticles)
      .where(eq(kbArticles.id, version.articleId));
    const category = await getCategory(tx, article!.categoryId);
    const wctx = workflowContext(
      actor,
      version,
      category,
      await hasWorkingVersion(tx, article!.id),
    );
    const status = version.status as VersionStatus;
    const decision = decide(status, 'edit', wctx);
    if (!decision.ok) throw refused(decision, allowedActions(status, wctx));
    const phrases = phrasesFor(article!.type, patch.phrases);
    const [row] = await tx
      .update(kbVersions)
      .set({
        ...(patch.title !== undefined && { title: patch.title }),
        ...(patch.body !== undefined && { body: sanitizeMarkdown(patch.body) }),
        ...(patch.audience !== undefined && { audience: patch.audience }),
        ...(patch.reason !== undefined && { reason: patch.reason }),
        ...(phrases && { phrases }),
        updatedAt: ctx.at,
      })
      .where(eq(kbVersions.id, id))
      .returning();
    if (patch.title !== undefined)
      await tx
        .update(kbArticles)
        .set({ title: patch.title, updatedAt: ctx.at })
        .where(eq(kbArticles.id, article!.id));
    await recordKbEvent(tx, ctx, {
      articleId: article!.id,
      versionId: id,
      action: 'edit',
      comment: Object.keys(patch).join(', '),
      before: { title: version.title, audience: version.audience, bodyLength: version.body.length },
      after: { title: row!.title, audience: row!.audience, bodyLength: row!.body.length },
    });
    const names = await authorNames(tx, [row!.authorId]);
    return presentVersion(row!, names.get(row!.authorId) ?? null, allowedActions(status, wctx));
  });
}

export interface ArticleFilter {
  q?: string;
  type?: string;
  categoryId?: string;
  status?: string;
  language?: string;
  tag?: string;
  awaitingMe?: 'true' | 'false';
}

export async function listArticles(
  db: Db,
  f: ArticleFilter,
  limit: number,
  after: CursorKey | undefined,
  now: Date,
  actor?: Actor,
) {
  const like = f.q ? `%${f.q.replace(/[%_\\]/g, '\\$&')}%` : undefined;
  const statusFilter: SQL | undefined = f.status
    ? sql`exists (select 1 from ${kbVersions} v where v.article_id = ${kbArticles.id} and v.status = ${f.status})`
    : undefined;
  const awaiting = f.awaitingMe === 'true';
  const inReview: SQL | undefined = awaiting
    ? sql`exists (select 1 from ${kbVersions} v where v.article_id = ${kbArticles.id} and v.status in ('submitted', 'initial_review', 'second_review', 'final_approval'))`
    : undefined;
  const where: (SQL | undefined)[] = [
    like ? ilike(kbArticles.title, like) : undefined,
    f.type ? eq(kbArticles.type, f.type) : undefined,
    f.categoryId ? eq(kbArticles.categoryId, f.categoryId) : undefined,
    f.language ? eq(kbArticles.language, f.language) : undefined,
    f.tag ? sql`${f.tag} = ANY(${kbArticles.tags})` : undefined,
    statusFilter,
    inReview,
    after && !awaiting
      ? or(
          gt(kbArticles.createdAt, new Date(after.at)),
          and(eq(kbArticles.createdAt, new Date(after.at)), gt(kbArticles.id, after.id)),
        )
      : undefined,
  ];
  const rows = await db
    .select()
    .from(kbArticles)
    .where(and(...where))
    .orderBy(asc(kbArticles.createdAt), asc(kbArticles.id))
    .limit(awaiting ? AWAITING_MAX : limit + 1);
  if (!awaiting) return { rows, views: await presentArticles(db, rows.slice(0, limit), now) };
  // "Awaiting my review": the workflow rules decide, per version, whether the caller may approve
  // or publish it now (step role, not the author, not approved an earlier step). One page.
  const mine = await awaitingActor(db, rows, actor);
  return { rows: mine, views: await presentArticles(db, mine, now) };
}

const AWAITING_MAX = 500;

async function awaitingActor(db: Db, rows: (typeof kbArticles.$inferSelect)[], actor?: Actor) {
  if (!actor || !rows.length) return [];
  const ids = rows.map((r) => r.id);
  const versions = await db
    .select()
    .from(kbVersions)
    .where(
      and(
        inArray(kbVersions.articleId, ids),
        inArray(kbVersions.status, [
          'submitted',
          'initial_review',
          'second_review',
          'final_approval',
        ]),
      ),
    );
  const categories = await db
    .select()
    .from(kbCategories)
    .where(inArray(kbCategories.id, [...new Set(rows.map((r) => r.categoryId))]));
  return rows.filter((r) => {
    const v = versions.find((x) => x.articleId === r.id);
    const c = categories.find((x) => x.id === r.categoryId);
    if (!v || !c) return false;
    const actions = allowedActions(v.status as VersionStatus, workflowContext(actor, v, c, true));
    return actions.includes('approve') || actions.includes('publish');
  });
}

export async function listVersions(ex: Executor, articleId: string, actor: Actor) {
  const [article] = await ex.select().from(kbArticles).where(eq(kbArticles.id, articleId));
  if (!article) throw problems.notFound('Article', 'id');
  const category = await getCategory(ex, article.categoryId);
  const rows = await ex
    .select()
    .from(kbVersions)
    .where(eq(kbVersions.articleId, articleId))
    .orderBy(desc(kbVersions.number));
  const working = rows.some((v) => v.status !== 'published' && v.status !== 'superseded');
  const names = await authorNames(
    ex,
    rows.map((v) => v.authorId),
  );
  return rows.map((v) =>
    presentVersion(
      v,
      names.get(v.authorId) ?? null,
      allowedActions(v.status as VersionStatus, workflowContext(actor, v, category, working)),
    ),
  );
}

export async function articleHistory(ex: Executor, articleId: string): Promise<EventView[]> {
  const [article] = await ex
    .select({ id: kbArticles.id })
    .from(kbArticles)
    .where(eq(kbArticles.id, articleId));
  if (!article) throw problems.notFound('Article', 'id');
  const events = await ex
    .select()
    .from(kbEvents)
    .where(eq(kbEvents.articleId, articleId))
    .orderBy(asc(kbEvents.at), asc(kbEvents.id));
  const versionIds = [...new Set(events.map((e) => e.versionId).filter((v): v is string => !!v))];
  const numbers = versionIds.length
    ? await ex
        .select({ id: kbVersions.id, number: kbVersions.number })
        .from(kbVersions)
        .where(inArray(kbVersions.id, versionIds))
    : [];
  return events.map((e) => ({
    id: e.id,
    versionId: e.versionId,
    versionNumber: numbers.find((n) => n.id === e.versionId)?.number ?? null,
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    action: e.action,
    step: e.step,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    comment: e.comment,
  }));
}
