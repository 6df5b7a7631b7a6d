import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pg from 'pg';
import type { Role } from '../access/roles.js';
import { buildApp } from '../app.js';
import { testConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { ManualClock } from '../lib/clock.js';
import type { AuditContext } from '../modules/audit/service.js';
import { insertTeam } from '../modules/teams/service.js';
import { insertUser } from '../modules/users/service.js';
import type { UserView } from '../modules/users/schemas.js';

export const TEST_PASSWORD = 'correct-horse-battery';

/**
 * 'ok' when the statement succeeds, else the database's SQLSTATE (e.g. '23503'), found through
 * the driver's wrapping errors (drizzle wraps pg's and PGlite's in `cause`).
 */
export function sqlStateOf(statement: Promise<unknown>): Promise<string> {
  return statement.then(
    () => 'ok',
    (e: unknown) => {
      let c: unknown = e;
      while (c && typeof c === 'object' && !('code' in c) && 'cause' in c) c = c.cause;
      return (c as { code?: string } | undefined)?.code ?? String(e);
    },
  );
}

/**
 * A migrated database for one test file: embedded PGlite in memory by default, or a fresh
 * database on the PostgreSQL server named by DATABASE_URL (dropped afterwards).
 */
export async function createTestDatabase(): Promise<{
  database: Database;
  url?: string;
  drop(): Promise<void>;
}> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrate(database);
    return { database, drop: () => database.close() };
  }
  const name = `kefu_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 5 });
  await migrate(database);
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A signed-in HTTP client over app.inject that carries the session cookie and CSRF token. */
export class TestClient {
  constructor(
    private readonly app: FastifyInstance,
    public cookie?: string,
    public csrfToken?: string,
    public bearer?: string,
  ) {}

  request(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    return this.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrfToken ? { 'x-csrf-token': this.csrfToken } : {}),
        ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
        ...headers,
      },
    });
  }

  get = (url: string, headers?: Record<string, string>) =>
    this.request('GET', url, undefined, headers);
  post = (url: string, body?: unknown, headers?: Record<string, string>) =>
    this.request('POST', url, body ?? {}, headers);
  patch = (url: string, body: unknown, headers?: Record<string, string>) =>
    this.request('PATCH', url, body, headers);
  delete = (url: string, headers?: Record<string, string>) =>
    this.request('DELETE', url, undefined, headers);
}

export interface TestContext {
  app: FastifyInstance;
  database: Database;
  clock: ManualClock;
  config: Config;
  anonymous: TestClient;
  /** Creates a user (factory) with the given roles; password is TEST_PASSWORD. */
  buildUser(opts?: {
    roles?: Role[];
    email?: string;
    name?: string;
    teamIds?: string[];
  }): Promise<UserView>;
  buildTeam(name?: string): Promise<{ id: string; name: string }>;
  signIn(email: string, password?: string): Promise<TestClient>;
  /** A new user with `roles`, signed in. */
  as(...roles: Role[]): Promise<TestClient & { user: UserView }>;
  close(): Promise<void>;
}

let counter = 0;

export async function createTestContext(overrides: Partial<Config> = {}): Promise<TestContext> {
  const { database, drop } = await createTestDatabase();
  const clock = new ManualClock('2026-03-02T02:00:00Z');
  const config = testConfig(overrides);
  const app = await buildApp({ database, clock, config, logger: false, verifyResponses: true });
  await app.ready();
  const seedCtx = (): AuditContext => ({
    actorId: null,
    actorName: 'test',
    ip: null,
    userAgent: null,
    requestId: null,
    at: clock.now(),
  });

  const ctx: TestContext = {
    app,
    database,
    clock,
    config,
    anonymous: new TestClient(app),
    buildUser: async (opts = {}) => {
      counter += 1;
      return database.db.transaction((tx) =>
        insertUser(tx, seedCtx(), {
          email: opts.email ?? `user${counter}-${randomBytes(3).toString('hex')}@example.com`,
          name: opts.name ?? `Test User ${counter}`,
          password: TEST_PASSWORD,
          roles: opts.roles ?? ['agent'],
          teamIds: opts.teamIds ?? [],
          locale: 'zh-CN',
        }),
      );
    },
    buildTeam: async (name) => {
      counter += 1;
      return database.db.transaction((tx) =>
        insertTeam(tx, seedCtx(), { name: name ?? `Team ${counter}`, description: '' }),
      );
    },
    signIn: async (email, password = TEST_PASSWORD) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email, password },
      });
      if (res.statusCode !== 200) throw new Error(`sign-in failed ${res.statusCode}: ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'kefu_session');
      return new TestClient(app, `kefu_session=${cookie?.value}`, res.json().data.csrfToken);
    },
    as: async (...roles) => {
      const user = await ctx.buildUser({ roles });
      const client = await ctx.signIn(user.email);
      return Object.assign(client, { user });
    },
    close: async () => {
      await app.close();
      await drop();
    },
  };
  return ctx;
}
