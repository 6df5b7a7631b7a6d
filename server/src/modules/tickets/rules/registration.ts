import type { FieldError } from '../../../lib/problem.js';

/**
 * "Register first, then handle" (先登记、后处理): what a registration must hold before the
 * ticket may move past `new`.
 */
export interface Registration {
  customerName: string | null | undefined;
  /** Any way to reach the customer: phone, email or WeChat/other handle. */
  contacts: (string | null | undefined)[];
  content: string | null | undefined;
  channel: string | null | undefined;
  receivedAt: Date | null | undefined;
  receivingAgentId: string | null | undefined;
}

const blank = (v: string | null | undefined) => !v || v.trim().length === 0;

/** The missing parts of a registration, one field error each; empty when complete. */
export function registrationGaps(r: Registration): FieldError[] {
  const gaps: FieldError[] = [];
  if (blank(r.customerName))
    gaps.push({ path: 'customer.name', message: 'customer name or nickname is missing' });
  if (r.contacts.every(blank))
    gaps.push({
      path: 'customer.contact',
      message: 'no way to contact the customer (phone, email or WeChat)',
    });
  if (blank(r.content)) gaps.push({ path: 'description', message: 'request content is missing' });
  if (blank(r.channel)) gaps.push({ path: 'channel', message: 'channel is missing' });
  if (!r.receivedAt) gaps.push({ path: 'receivedAt', message: 'time received is missing' });
  if (blank(r.receivingAgentId))
    gaps.push({ path: 'receivingAgent', message: 'receiving agent is missing' });
  return gaps;
}

export const isRegistrationComplete = (r: Registration) => registrationGaps(r).length === 0;

/**
 * A received time is acceptable when it is not in the future (a minute of clock skew is
 * tolerated) and, for channels that are not entered after the fact (phone, walk-in), it is
 * the registration time itself.
 */
export function receivedAtProblem(
  receivedAt: Date,
  registeredAt: Date,
  backdatable: boolean,
): string | null {
  if (receivedAt.getTime() > registeredAt.getTime() + 60_000) return 'must not be in the future';
  if (!backdatable && registeredAt.getTime() - receivedAt.getTime() > 60_000)
    return 'only phone and walk-in entries may carry a past received time';
  return null;
}
