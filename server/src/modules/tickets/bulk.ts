import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/client.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import type { AuditContext } from '../audit/service.js';
import { lockTicket, staff } from './access.js';
import { assignInTx } from './actions.js';
import type { TicketStatus } from './rules/vocabulary.js';
import { getSettings } from './settings.js';
import { applyTransition } from './transitions.js';

export interface BulkInput {
  ids: string[];
  action: 'assign' | 'transition';
  teamId?: string | null;
  handlerId?: string | null;
  autoHandler?: boolean;
  to?: TicketStatus;
  reason?: string;
  followUp?: { plan: string; dueAt: string };
}

export interface BulkResult {
  id: string;
  ok: boolean;
  status?: TicketStatus;
  version?: number;
  error?: {
    type: string;
    title: string;
    status: number;
    code: string;
    detail: string;
    errors?: { path: string; message: string }[];
    allowed?: unknown;
  };
}

/**
 * Assigns or moves many tickets; each ticket is its own transaction, so one refusal (an
 * illegal transition, a ticket you cannot see) never undoes the others. Answers one result
 * per ticket, in the order asked.
 */
export async function bulkTickets(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  input: BulkInput,
  onError: (err: unknown) => void,
): Promise<BulkResult[]> {
  if (
    input.action === 'assign' &&
    input.teamId === undefined &&
    input.handlerId === undefined &&
    !input.autoHandler
  )
    throw problems.invalid([{ path: 'teamId', message: 'assign needs teamId and/or handlerId' }]);
  if (input.action === 'transition' && !input.to)
    throw problems.invalid([{ path: 'to', message: 'transition needs the target status' }]);
  const settings = await getSettings(db);
  const results: BulkResult[] = [];
  for (const id of [...new Set(input.ids)]) {
    try {
      const saved = await db.transaction(async (tx) => {
        const row = await lockTicket(tx, id, staff(actor));
        if (input.action === 'assign')
          return assignInTx(tx, ctx, actor, row, {
            teamId: input.teamId,
            handlerId: input.handlerId,
            autoHandler: input.autoHandler,
          });
        const outcome = await applyTransition(
          tx,
          ctx,
          staff(actor),
          row,
          { to: input.to!, reason: input.reason, followUp: input.followUp },
          settings,
        );
        return outcome.row;
      });
      results.push({
        id,
        ok: true,
        status: saved.status as TicketStatus,
        version: saved.version,
      });
    } catch (err) {
      const p =
        err instanceof HttpProblem
          ? err
          : new HttpProblem({ status: 500, code: 'internal_error', detail: 'Unexpected error.' });
      if (!(err instanceof HttpProblem)) onError(err);
      results.push({
        id,
        ok: false,
        error: {
          type: `https://kefu.dev/problems/${p.code}`,
          title: p.title,
          status: p.status,
          code: p.code,
          detail: p.message,
          ...(p.errors && { errors: p.errors }),
          ...(p.extra?.allowed !== undefined && { allowed: p.extra.allowed }),
        },
      });
    }
  }
  return results;
}
