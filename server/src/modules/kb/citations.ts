import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { permits } from '../../access/permissions.js';
import type { Db, Executor } from '../../db/client.js';
import {
  kbArticles,
  kbVersions,
  ticketArticleCitations,
  tickets,
  users,
} from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { findVisibleTicket, lockTicket, staff, visibleTo } from '../tickets/access.js';
import { ticketsPolicy } from '../tickets/policy.js';
import { recordEvidence } from './search/evidence.js';
import { appendEvent } from '../tickets/timeline.js';

export type CitationMode = 'link' | 'excerpt';

type CitationRow = typeof ticketArticleCitations.$inferSelect;

/** How many recent citing tickets an article page shows. */
const RECENT_CITING = 10;

/**
 * A ticket cites the live version of an article (an agent inserted a link or an excerpt into a
 * reply): one citation row, a `citation` entry on the ticket timeline and an audit row, in one
 * transaction. The version is the one live now — published versions never change, so the
 * ticket keeps pointing at exactly the text the agent used.
 */
export async function citeArticle(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  ticketId: string,
  input: { articleId: string; mode: CitationMode },
) {
  return db.transaction(async (tx) => {
    await lockTicket(tx, ticketId, staff(actor));
    const [live] = await tx
      .select({ article: kbArticles, version: kbVersions })
      .from(kbArticles)
      .innerJoin(kbVersions, eq(kbVersions.id, kbArticles.liveVersionId))
      .where(eq(kbArticles.id, input.articleId));
    if (!live) throw problems.notFound('Article', 'articleId');
    const [row] = await tx
      .insert(ticketArticleCitations)
      .values({
        ticketId,
        articleId: live.article.id,
        versionId: live.version.id,
        versionNumber: live.version.number,
        mode: input.mode,
        citedBy: actor.userId,
        at: ctx.at,
      })
      .returning();
    const citation = row!;
    // The ticket's question becomes evidence that this article answers it (learning from use).
    const [question] = await tx
      .select({ subject: tickets.subject, description: tickets.description })
      .from(tickets)
      .where(eq(tickets.id, ticketId));
    if (question)
      await recordEvidence(
        tx,
        `${question.subject}\n${question.description}`,
        live.article.id,
        ctx.at,
      );
    await appendEvent(tx, ticketId, ctx, staff(actor), {
      kind: 'citation',
      visibility: 'internal',
      data: {
        citationId: citation.id,
        articleId: live.article.id,
        articleTitle: live.version.title,
        versionId: live.version.id,
        versionNumber: live.version.number,
        mode: input.mode,
      },
    });
    await recordAudit(tx, ctx, {
      action: 'ticket.cite_article',
      targetType: 'ticket',
      targetId: ticketId,
      before: null,
      after: {
        articleId: live.article.id,
        versionId: live.version.id,
        versionNumber: live.version.number,
        mode: input.mode,
      },
    });
    return (await presentCitations(tx, [citation]))[0]!;
  });
}

/** Citations of one ticket, oldest first; 404 when the caller may not see the ticket. */
export async function listTicketCitations(db: Db, actor: Actor, ticketId: string) {
  await findVisibleTicket(db, ticketId, actor);
  const rows = await db
    .select()
    .from(ticketArticleCitations)
    .where(eq(ticketArticleCitations.ticketId, ticketId))
    .orderBy(ticketArticleCitations.at, ticketArticleCitations.id);
  return presentCitations(db, rows);
}

async function presentCitations(ex: Executor, rows: CitationRow[]) {
  if (!rows.length) return [];
  const versionIds = [...new Set(rows.map((r) => r.versionId))];
  const articleIds = [...new Set(rows.map((r) => r.articleId))];
  const userIds = [...new Set(rows.map((r) => r.citedBy))];
  // One after the other: inside a transaction the three share one connection.
  const versions = await ex
    .select({ id: kbVersions.id, title: kbVersions.title })
    .from(kbVersions)
    .where(inArray(kbVersions.id, versionIds));
  const articles = await ex
    .select({ id: kbArticles.id, liveVersionId: kbArticles.liveVersionId })
    .from(kbArticles)
    .where(inArray(kbArticles.id, articleIds));
  const people = await ex
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, userIds));
  const titles = new Map(versions.map((v) => [v.id, v.title]));
  const live = new Map(articles.map((a) => [a.id, a.liveVersionId]));
  const names = new Map(people.map((p) => [p.id, p.name]));
  return rows.map((r) => ({
    id: r.id,
    ticketId: r.ticketId,
    articleId: r.articleId,
    articleTitle: titles.get(r.versionId) ?? '',
    versionId: r.versionId,
    versionNumber: r.versionNumber,
    /** False once a newer version has been published: the ticket relied on older text. */
    current: live.get(r.articleId) === r.versionId,
    mode: r.mode as CitationMode,
    citedBy: { id: r.citedBy, name: names.get(r.citedBy) ?? '' },
    at: r.at.toISOString(),
  }));
}

/**
 * Tickets citing an article: how many, and the most recent citations with ticket number and
 * subject. Counted and listed over the tickets the caller may see; staff who cannot read
 * tickets at all (knowledge editors, reviewers) get the count only.
 */
export async function articleCitations(db: Db, actor: Actor, articleId: string) {
  const [article] = await db
    .select({ id: kbArticles.id })
    .from(kbArticles)
    .where(eq(kbArticles.id, articleId));
  if (!article) throw problems.notFound('Article', 'id');
  const readsTickets = permits(actor, ticketsPolicy.read);
  const where = and(
    eq(ticketArticleCitations.articleId, articleId),
    readsTickets ? visibleTo(actor) : undefined,
  );
  const [counts] = await db
    .select({
      tickets: sql<number>`count(DISTINCT ${ticketArticleCitations.ticketId})::int`,
      citations: sql<number>`count(*)::int`,
    })
    .from(ticketArticleCitations)
    .innerJoin(tickets, eq(tickets.id, ticketArticleCitations.ticketId))
    .where(where);
  const recent = readsTickets
    ? await db
        .select({
          citation: ticketArticleCitations,
          number: tickets.number,
          subject: tickets.subject,
          status: tickets.status,
          name: users.name,
        })
        .from(ticketArticleCitations)
        .innerJoin(tickets, eq(tickets.id, ticketArticleCitations.ticketId))
        .leftJoin(users, eq(users.id, ticketArticleCitations.citedBy))
        .where(where)
        .orderBy(desc(ticketArticleCitations.at), desc(ticketArticleCitations.id))
        .limit(RECENT_CITING)
    : [];
  return {
    ticketCount: counts?.tickets ?? 0,
    citationCount: counts?.citations ?? 0,
    recent: recent.map((r) => ({
      ticketId: r.citation.ticketId,
      ticketNumber: r.number,
      subject: r.subject,
      status: r.status,
      versionNumber: r.citation.versionNumber,
      mode: r.citation.mode as CitationMode,
      citedBy: { id: r.citation.citedBy, name: r.name ?? '' },
      at: r.citation.at.toISOString(),
    })),
  };
}
