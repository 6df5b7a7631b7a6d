import type { Actor } from './actor.js';
import type { Role } from './roles.js';
import { STAFF_ROLES } from './roles.js';

/**
 * A named permission: who may do it (by role or any rule on the actor) and which API-token scope
 * covers it. Each domain area declares its permissions in its own policy.ts; every /api/v1 route
 * names one (or is explicitly public), and app.ts refuses to start otherwise.
 */
export interface Permission {
  name: string;
  scope: string;
  /** Only for a signed-in browser session, never an API token (e.g. minting tokens). */
  sessionOnly?: boolean;
  allow(actor: Actor): boolean;
}

const registry = new Map<string, Permission>();

export function definePermission(
  name: string,
  scope: string,
  allow: (actor: Actor) => boolean,
  opts: { sessionOnly?: boolean } = {},
): Permission {
  const existing = registry.get(name);
  if (existing) return existing;
  const permission: Permission = { name, scope, allow, ...opts };
  registry.set(name, permission);
  return permission;
}

export const hasAnyRole =
  (...roles: readonly Role[]) =>
  (actor: Actor) =>
    actor.roles.some((r) => roles.includes(r));

export const isStaff = hasAnyRole(...STAFF_ROLES);
export const isSignedIn = () => true;

/** Whether `actor` may use `permission` over the channel it came in on. */
export function permits(actor: Actor, permission: Permission): boolean {
  if (actor.via === 'token') {
    if (permission.sessionOnly) return false;
    if (!actor.scopes?.includes(permission.scope)) return false;
  }
  return permission.allow(actor);
}

/** The abilities map sent to the web app, so it hides what the server would refuse. */
export function abilitiesOf(actor: Actor): Record<string, boolean> {
  return Object.fromEntries([...registry.values()].map((p) => [p.name, permits(actor, p)]));
}

/** Every scope an API token can carry. */
export function allScopes(): string[] {
  return [
    ...new Set([...registry.values()].filter((p) => !p.sessionOnly).map((p) => p.scope)),
  ].sort();
}

export function allPermissions(): Permission[] {
  return [...registry.values()];
}
