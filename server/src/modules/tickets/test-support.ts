import type { TestClient } from '../../test/harness.js';

/** Shared by the tickets API tests: register a ticket with sensible defaults. */
let n = 0;

export interface TicketJson {
  id: string;
  number: string;
  status: string;
  version: number;
  tier: string;
  greenChannel: boolean;
  allowedTransitions: string[];
  owner: { id: string; name: string };
  handler: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
  customer: { id: string; name: string; tier: string };
  closeKind: string | null;
  followUp: { reason: string; plan: string; dueAt: string; doneAt: string | null } | null;
  returnVisit: { customerAccepted: boolean } | null;
  registration: { complete: boolean; missing: string[] };
  [key: string]: unknown;
}

export async function registerTicket(
  client: TestClient,
  body: Record<string, unknown> = {},
): Promise<TicketJson> {
  n += 1;
  const res = await client.post('/api/v1/tickets', {
    channel: 'phone',
    category: 'consultation',
    subject: `测试工单 ${n}`,
    description: '客户来电咨询会员积分如何兑换',
    ...(body.customerId
      ? {}
      : { customer: { name: `客户${n}`, phone: `1390000${String(1000 + n).slice(-4)}` } }),
    ...body,
  });
  if (res.statusCode !== 201) throw new Error(`create failed ${res.statusCode}: ${res.body}`);
  return res.json().data;
}

/** Writes with the version the caller last read. */
export const ifMatch = (t: { version: number }) => ({ 'if-match': `"${t.version}"` });

/** Moves a ticket through several statuses, returning the final ticket. */
export async function walk(
  client: TestClient,
  ticket: TicketJson,
  ...steps: (string | Record<string, unknown>)[]
): Promise<TicketJson & { confirmationUrl?: string }> {
  let t: TicketJson & { confirmationUrl?: string } = ticket;
  for (const step of steps) {
    const body = typeof step === 'string' ? { to: step } : step;
    const res = await client.post(`/api/v1/tickets/${t.id}/transitions`, body, ifMatch(t));
    if (res.statusCode !== 200)
      throw new Error(`transition to ${body.to} failed ${res.statusCode}: ${res.body}`);
    const json = res.json();
    t = { ...json.data, confirmationUrl: json.confirmation?.url };
  }
  return t;
}

export const tokenOf = (url: string | undefined) => {
  if (!url) throw new Error('no confirmation url');
  return url.split('/portal/confirm/')[1]!;
};
