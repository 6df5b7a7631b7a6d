import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { kbArticles, kbRevisionRequests, kbVersions } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { authorNames } from './presenters.js';
import { sideBySide } from './rules/diff.js';

/**
 * The revision record (修订记录): one entry per published version with its time, reason,
 * author, the reviewer of each step, who published it and how much changed since the version it
 * replaced. Old versions stay readable through GET /kb/versions/:id.
 */
export async function revisionRecord(ex: Executor, articleId: string) {
  const [article] = await ex.select().from(kbArticles).where(eq(kbArticles.id, articleId));
  if (!article) throw problems.notFound('Article', 'id');
  const versions = await ex
    .select()
    .from(kbVersions)
    .where(
      and(
        eq(kbVersions.articleId, articleId),
        inArray(kbVersions.status, ['published', 'superseded']),
      ),
    )
    .orderBy(asc(kbVersions.number));
  const requestIds = versions.map((v) => v.revisionRequestId).filter((x): x is string => !!x);
  const requests = requestIds.length
    ? await ex.select().from(kbRevisionRequests).where(inArray(kbRevisionRequests.id, requestIds))
    : [];
  const names = await authorNames(ex, [
    ...versions.map((v) => v.authorId),
    ...versions.map((v) => v.publishedBy).filter((x): x is string => !!x),
  ]);
  return versions.map((v, i) => {
    const previous = versions[i - 1];
    const diff = sideBySide(previous?.body ?? '', v.body);
    const request = requests.find((r) => r.id === v.revisionRequestId);
    return {
      versionId: v.id,
      number: v.number,
      status: v.status as 'published' | 'superseded',
      title: v.title,
      previousNumber: previous?.number ?? null,
      publishedAt: v.publishedAt!.toISOString(),
      publishedBy: v.publishedBy ? (names.get(v.publishedBy) ?? null) : null,
      supersededAt: v.supersededAt?.toISOString() ?? null,
      reason: v.reason,
      proposedChange: request?.proposedChange ?? null,
      urgent: request?.urgent ?? false,
      author: names.get(v.authorId) ?? null,
      reviewers: v.approvals.map((a) => ({
        step: a.step,
        userId: a.userId,
        userName: a.userName,
        at: a.at,
        comment: a.comment,
      })),
      linesAdded: diff.added,
      linesRemoved: diff.removed,
      titleChanged: previous ? previous.title !== v.title : false,
    };
  });
}

/** Any two versions of an article side by side (by version number). */
export async function compareVersions(ex: Executor, articleId: string, from: number, to: number) {
  const rows = await ex
    .select()
    .from(kbVersions)
    .where(and(eq(kbVersions.articleId, articleId), inArray(kbVersions.number, [from, to])));
  const left = rows.find((r) => r.number === from);
  const right = rows.find((r) => r.number === to);
  if (!left) throw problems.notFound(`Version ${from}`, 'from');
  if (!right) throw problems.notFound(`Version ${to}`, 'to');
  return {
    from: { id: left.id, number: left.number, status: left.status, title: left.title },
    to: { id: right.id, number: right.number, status: right.status, title: right.title },
    ...sideBySide(left.body, right.body),
  };
}
