import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../../context.js';
import { dataOf, pageOf } from '../../../lib/http.js';
import { decodeCursor, encodeCursor, pageQuery } from '../../../lib/pagination.js';
import {
  addReply,
  assignTicket,
  changeOwner,
  completeFollowUp,
  recordReturnVisit,
} from '../actions.js';
import { findVisibleTicket } from '../access.js';
import { expectedVersion, withEtag } from './versioning.js';
import { ticketsPolicy } from '../policy.js';
import {
  assignBody,
  followUpDoneBody,
  ownerBody,
  replyBody,
  returnVisitBody,
  ticketParams,
  ticketSchema,
  timelineEntrySchema,
  transitionBody,
} from '../schemas.js';
import { listEvents, presentEvent } from '../timeline.js';
import { reissueConfirmationLink, transitionTicket } from '../transitions.js';
import { publicUrlOf } from '../../mail/sender.js';

const confirmationSchema = z
  .object({
    url: z.string().describe('The one-time link for the customer (shown only here)'),
    expiresAt: z.iso.datetime(),
    sentTo: z
      .string()
      .nullable()
      .describe(
        'Masked email of the customer, who is mailed the link (outbox); null: hand the link over',
      ),
  })
  .meta({ id: 'ConfirmationLink' });

export async function ticketWorkRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.deps;
  const tags = ['tickets'];
  const base = publicUrlOf(config);
  const linkOf = (c: { token: string; expiresAt: Date; sentTo: string | null }) => ({
    url: `${base.replace(/\/$/, '')}/portal/confirm/${c.token}`,
    expiresAt: c.expiresAt.toISOString(),
    sentTo: c.sentTo,
  });

  r.post('/tickets/:id/transitions', {
    config: { permission: ticketsPolicy.transition },
    schema: {
      tags,
      summary: 'Move a ticket through its life cycle (If-Match)',
      description:
        '409 illegal_transition with `allowed`; 422 registration_incomplete, ' +
        'return_visit_required or validation_failed (closing unresolved needs reason + followUp). ' +
        'Resolving answers a one-time confirmation link for the customer.',
      params: ticketParams,
      body: transitionBody,
      response: {
        200: z.object({ data: ticketSchema, confirmation: confirmationSchema.optional() }),
      },
    },
    handler: async (req, reply) => {
      const { version, ...body } = req.body;
      const { ticket, confirmation } = await transitionTicket(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        body,
        expectedVersion(req, version),
      );
      return {
        ...withEtag(reply, ticket),
        ...(confirmation && { confirmation: linkOf(confirmation) }),
      };
    },
  });

  r.post('/tickets/:id/confirmation-link', {
    config: { permission: ticketsPolicy.transition },
    schema: {
      tags,
      summary: 'Issue a new confirmation link for a resolved ticket (the old one stops working)',
      params: ticketParams,
      response: { 200: dataOf(confirmationSchema) },
    },
    handler: async (req) => ({
      data: linkOf(
        await reissueConfirmationLink(
          db,
          req.auditContext(),
          requireActor(req.actor),
          req.params.id,
        ),
      ),
    }),
  });

  r.post('/tickets/:id/assign', {
    config: { permission: ticketsPolicy.assign },
    schema: {
      tags,
      summary: 'Hand work to a team and/or handler — never changes the owner (If-Match)',
      params: ticketParams,
      body: assignBody,
      response: { 200: dataOf(ticketSchema) },
    },
    handler: async (req, reply) => {
      const { version, ...body } = req.body;
      const view = await assignTicket(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        body,
        expectedVersion(req, version),
      );
      return withEtag(reply, view);
    },
  });

  r.post('/tickets/:id/owner', {
    config: { permission: ticketsPolicy.changeOwner },
    schema: {
      tags,
      summary: 'Change the first-contact owner (supervisors; reason required; audited)',
      params: ticketParams,
      body: ownerBody,
      response: { 200: dataOf(ticketSchema) },
    },
    handler: async (req, reply) => {
      const { version, ...body } = req.body;
      const view = await changeOwner(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        body,
        expectedVersion(req, version),
      );
      return withEtag(reply, view);
    },
  });

  r.get('/tickets/:id/timeline', {
    config: { permission: ticketsPolicy.read },
    schema: {
      tags,
      summary: 'The ticket timeline, oldest first (immutable)',
      params: ticketParams,
      querystring: pageQuery.extend({ visibility: z.enum(['public', 'internal']).optional() }),
      response: { 200: pageOf(timelineEntrySchema) },
    },
    handler: async (req) => {
      const actor = requireActor(req.actor);
      await findVisibleTicket(db, req.params.id, actor);
      const { limit, cursor, visibility } = req.query;
      const after = decodeCursor(cursor, 'bigint');
      const rows = await listEvents(db, [req.params.id], {
        limit: limit + 1,
        afterSeq: after ? Number(after.id) : undefined,
        visibility,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        data: page.map(presentEvent),
        nextCursor:
          rows.length > limit && last
            ? encodeCursor({ at: last.at.toISOString(), id: String(last.seq) })
            : null,
      };
    },
  });

  r.post('/tickets/:id/replies', {
    config: { permission: ticketsPolicy.reply },
    schema: {
      tags,
      summary: 'Reply to the customer (public) or add an internal note',
      params: ticketParams,
      body: replyBody,
      response: { 201: dataOf(timelineEntrySchema) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({
        data: await addReply(
          db,
          req.auditContext(),
          requireActor(req.actor),
          req.params.id,
          req.body,
        ),
      }),
  });

  r.post('/tickets/:id/return-visits', {
    config: { permission: ticketsPolicy.returnVisit },
    schema: {
      tags,
      summary: 'Record a return visit (回访) — complaints need one before closing',
      params: ticketParams,
      body: returnVisitBody,
      response: { 201: dataOf(ticketSchema) },
    },
    handler: async (req, reply) => {
      const { version, ...body } = req.body;
      const view = await recordReturnVisit(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        body,
        expectedVersion(req, version),
      );
      return reply.code(201).header('etag', `"${view.version}"`).send({ data: view });
    },
  });

  r.post('/tickets/:id/follow-up/done', {
    config: { permission: ticketsPolicy.followUp },
    schema: {
      tags,
      summary: 'Mark the follow-up of an unresolved closing done (leaves the to-do list)',
      params: ticketParams,
      body: followUpDoneBody,
      response: { 200: dataOf(ticketSchema) },
    },
    handler: async (req, reply) => {
      const { version, ...body } = req.body;
      const view = await completeFollowUp(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        body,
        expectedVersion(req, version),
      );
      return withEtag(reply, view);
    },
  });
}
