import type { Actor } from './access/actor.js';
import type { Permission } from './access/permissions.js';
import type { Config } from './config.js';
import type { Database, Db } from './db/client.js';
import type { Clock } from './lib/clock.js';
import type { AuditContext } from './modules/audit/service.js';

/** What services need from the outside world; handed to the app, never imported globally. */
export interface AppDeps {
  database: Database;
  db: Db;
  clock: Clock;
  config: Config;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    /** Every /api/v1 route with its declared permission — walked by the role × route test. */
    apiRoutes: ApiRoute[];
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** Who/where/when for audit rows written by this request. */
    auditContext(): AuditContext;
    /**
     * Records that this request read personal data: one record (`targetId`) or a list
     * (`targetId` null, with the filter and count in `details`).
     */
    auditRead(
      targetType: string,
      targetId: string | null,
      details?: Record<string, unknown>,
    ): Promise<void>;
  }
  interface FastifyContextConfig {
    /** The permission this route requires; every /api/v1 route has one unless `public`. */
    permission?: Permission;
    /** Reachable without signing in (sign-in, first-run setup, public help centre). */
    public?: boolean;
  }
}

export interface ApiRoute {
  method: string;
  url: string;
  permission?: Permission;
  public: boolean;
}

/** The signed-in actor, or a 401 — for handlers of routes that declare a permission. */
export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new Error('route reached without an actor: its permission hook is missing');
  return actor;
}
