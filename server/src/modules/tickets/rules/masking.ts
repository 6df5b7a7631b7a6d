import type { Role } from '../../../access/roles.js';

/**
 * Masking of personal data on screen (SPEC 12, PIPL minimum necessary): supervisors and
 * administrators see contact details in full; everyone else sees them masked.
 */
export const FULL_CONTACT_ROLES: readonly Role[] = ['supervisor', 'admin'];

export const seesFullContact = (roles: readonly Role[]) =>
  roles.some((r) => FULL_CONTACT_ROLES.includes(r));

/** `13812345678` → `138****5678`; short numbers keep at most their last two digits. */
export function maskPhone(phone: string): string {
  const chars = [...phone];
  if (chars.length >= 7) {
    const head = chars.length >= 11 ? 3 : 2;
    return `${chars.slice(0, head).join('')}****${chars.slice(-4).join('')}`;
  }
  if (chars.length <= 2) return '*'.repeat(chars.length);
  return `${'*'.repeat(chars.length - 2)}${chars.slice(-2).join('')}`;
}

/** `li.xiaohong@example.com` → `l***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${[...email][0]}***${email.slice(at)}`;
}

/** A WeChat or other handle: first character and last character. */
export function maskHandle(handle: string): string {
  const chars = [...handle];
  if (chars.length <= 2) return `${chars[0] ?? ''}***`;
  return `${chars[0]}***${chars[chars.length - 1]}`;
}

export function maskContact<
  T extends { phone: string | null; email: string | null; wechat: string | null },
>(c: T, roles: readonly Role[]): T {
  if (seesFullContact(roles)) return c;
  return {
    ...c,
    phone: c.phone && maskPhone(c.phone),
    email: c.email && maskEmail(c.email),
    wechat: c.wechat && maskHandle(c.wechat),
  };
}

/** Phone numbers are stored as digits with an optional leading +. */
export function normalisePhone(raw: string): string {
  return raw.replace(/[\s\-().]/g, '');
}
