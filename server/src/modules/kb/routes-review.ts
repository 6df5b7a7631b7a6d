import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../context.js';
import { dataOf } from '../../lib/http.js';
import { kbPolicy } from './policy.js';
import { actOnVersion, dueForReview, requestRevision, reviewDone, setUrgent } from './review.js';
import { compareVersions, revisionRecord } from './revisions.js';
import {
  actionBody,
  articleSchema,
  idParams,
  reviewDoneBody,
  revisionRequestBody,
  urgentBody,
  versionSchema,
} from './schemas.js';

const diffRow = z.object({
  kind: z.enum(['same', 'add', 'remove', 'change']),
  left: z.object({ line: z.number().int(), text: z.string() }).nullable(),
  right: z.object({ line: z.number().int(), text: z.string() }).nullable(),
});
const versionBrief = z.object({
  id: z.uuid(),
  number: z.number().int(),
  status: z.string(),
  title: z.string(),
});
const comparison = z
  .object({
    from: versionBrief,
    to: versionBrief,
    rows: z.array(diffRow),
    added: z.number().int(),
    removed: z.number().int(),
  })
  .meta({ id: 'KbComparison' });
const revisionEntry = z
  .object({
    versionId: z.uuid(),
    number: z.number().int(),
    status: z.enum(['published', 'superseded']),
    title: z.string(),
    previousNumber: z.number().int().nullable(),
    publishedAt: z.iso.datetime(),
    publishedBy: z.string().nullable(),
    supersededAt: z.iso.datetime().nullable(),
    reason: z.string(),
    proposedChange: z.string().nullable(),
    urgent: z.boolean(),
    author: z.string().nullable(),
    reviewers: z.array(
      z.object({
        step: z.string(),
        userId: z.string(),
        userName: z.string(),
        at: z.string(),
        comment: z.string(),
      }),
    ),
    linesAdded: z.number().int(),
    linesRemoved: z.number().int(),
    titleChanged: z.boolean(),
  })
  .meta({ id: 'KbRevision' });

export async function reviewRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const tags = ['kb'];

  r.post('/kb/versions/:id/actions', {
    config: { permission: kbPolicy.workflow },
    schema: {
      tags,
      summary: 'Submit, approve, reject (with comment), withdraw or publish a version',
      description:
        'An illegal step (approving your own version, publishing an unapproved one, a role the ' +
        "category does not assign to the step) answers 409 with `allowed`: the caller's actions.",
      params: idParams,
      body: actionBody,
      response: { 200: dataOf(versionSchema) },
    },
    handler: async (req) => ({
      data: await actOnVersion(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body.action,
        req.body.comment,
      ),
    }),
  });

  r.post('/kb/articles/:id/revision-requests', {
    config: { permission: kbPolicy.revise },
    schema: {
      tags,
      summary: 'Request a revision: starts a new draft version of a published article',
      params: idParams,
      body: revisionRequestBody,
      response: { 201: dataOf(z.object({ id: z.uuid(), version: versionSchema })) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({
        data: await requestRevision(
          db,
          req.auditContext(),
          requireActor(req.actor),
          req.params.id,
          req.body,
        ),
      }),
  });

  r.post('/kb/articles/:id/urgent', {
    config: { permission: kbPolicy.revise },
    schema: {
      tags,
      summary: 'Flag or clear an urgent revision (policy change, incident, complaint)',
      params: idParams,
      body: urgentBody,
      response: { 200: dataOf(articleSchema) },
    },
    handler: async (req) => ({
      data: await setUrgent(db, req.auditContext(), req.params.id, req.body),
    }),
  });

  r.post('/kb/articles/:id/review-done', {
    config: { permission: kbPolicy.write },
    schema: {
      tags,
      summary: 'Scheduled review found nothing to change: set the next review date',
      params: idParams,
      body: reviewDoneBody,
      response: { 200: dataOf(articleSchema) },
    },
    handler: async (req) => ({
      data: await reviewDone(db, req.auditContext(), req.params.id, req.body.comment),
    }),
  });

  r.get('/kb/due-for-review', {
    config: { permission: kbPolicy.read },
    schema: {
      tags,
      summary: 'Published articles due for their scheduled review or flagged urgent',
      response: { 200: dataOf(z.array(articleSchema)) },
    },
    handler: async () => ({ data: await dueForReview(db, clock.now()) }),
  });

  r.get('/kb/articles/:id/revisions', {
    config: { permission: kbPolicy.read },
    schema: {
      tags,
      summary: 'Revision record (修订记录): every published version with reviewers and reason',
      params: idParams,
      response: { 200: dataOf(z.array(revisionEntry)) },
    },
    handler: async (req) => ({ data: await revisionRecord(db, req.params.id) }),
  });

  r.get('/kb/articles/:id/compare', {
    config: { permission: kbPolicy.read },
    schema: {
      tags,
      summary: 'Two versions side by side (line diff)',
      params: idParams,
      querystring: z.object({
        from: z.coerce.number().int().min(1).describe('Version number'),
        to: z.coerce.number().int().min(1).describe('Version number'),
      }),
      response: { 200: dataOf(comparison) },
    },
    handler: async (req) => ({
      data: await compareVersions(db, req.params.id, req.query.from, req.query.to),
    }),
  });
}
