import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseIfMatch } from '../access.js';

/** The ticket version a write expects: the If-Match header, else `version` in the body. */
export const expectedVersion = (req: FastifyRequest, bodyVersion?: number): number | undefined =>
  parseIfMatch(req.headers['if-match']) ?? bodyVersion;

/** Answers `{ data: ticket }` with the ticket's version as its ETag. */
export function withEtag<T extends { version: number }>(reply: FastifyReply, ticket: T) {
  reply.header('etag', `"${ticket.version}"`);
  return { data: ticket };
}
