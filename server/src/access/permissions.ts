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
  let abilities = abilitiesMemo.get(actor);
  if (!abilities) {
    abilities = Object.fromEntries([...registry.values()].map((p) => [p.name, permits(actor, p)]));
    abilitiesMemo.set(actor, abilities);
  }
  return abilities;
}

/**
 * Per actor object: the principal cache hands the same Actor to every request of a session
 * for a few seconds, and an actor never changes (a change to the user drops it from that
 * cache), so GET /me need not run every permission's rule on each call. Permissions are all
 * defined at module load, before any request.
 */
const abilitiesMemo = new WeakMap<Actor, Record<string, boolean>>();

/** Every scope an API token can carry. */
export function allScopes(): string[] {
  return [
    ...new Set([...registry.values()].filter((p) => !p.sessionOnly).map((p) => p.scope)),
  ].sort();
}

export function allPermissions(): Permission[] {
  return [...registry.values()];
}
