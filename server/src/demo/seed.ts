import type { Role } from '../access/roles.js';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { customers, portalAccounts } from '../db/schema/index.js';
import type { AuditContext } from '../modules/audit/service.js';
import { hashPassword } from '../modules/auth/passwords.js';
import { seedKnowledge } from '../modules/kb/seed.js';
import { seedDemoKpi } from '../modules/kpi/demo.js';
import { needsSetup } from '../modules/setup/service.js';
import { insertTeam } from '../modules/teams/service.js';
import { seedDemoTickets } from '../modules/tickets/demo.js';
import { insertUser } from '../modules/users/service.js';
import { seedDemoSurveys } from '../modules/surveys/demo.js';
import { seedDemoTicketFeatures } from './ticket-features.js';

export const DEMO_PASSWORD = 'kefu-demo-2026';
/**
 * The demo customer's portal account (李娜): signs in to /portal with DEMO_PASSWORD, so the
 * portal can be tried without a mail server (sign-in codes need one).
 */
export const DEMO_PORTAL_EMAIL = 'lina@example.com';

const TEAMS = [
  { key: 'front', name: '一线客服', description: 'Front line: chat, phone, walk-in' },
  { key: 'tech', name: '技术支持', description: 'Second line: product and technical questions' },
  { key: 'after', name: '售后', description: 'Warranty, repair, replacement' },
  { key: 'complaints', name: '投诉处理', description: 'Complaints and the green channel' },
  { key: 'qa', name: '质检组', description: 'Quality inspection' },
] as const;

type TeamKey = (typeof TEAMS)[number]['key'];

const USERS: {
  email: string;
  name: string;
  roles: Role[];
  teams: TeamKey[];
  locale: 'zh-CN' | 'en-US';
}[] = [
  { email: 'admin@kefu.demo', name: '系统管理员', roles: ['admin'], teams: [], locale: 'zh-CN' },
  {
    email: 'supervisor@kefu.demo',
    name: '王主管',
    roles: ['supervisor'],
    teams: ['front', 'complaints'],
    locale: 'zh-CN',
  },
  { email: 'agent@kefu.demo', name: '李小红', roles: ['agent'], teams: ['front'], locale: 'zh-CN' },
  {
    email: 'agent2@kefu.demo',
    name: 'Chen Wei',
    roles: ['agent'],
    teams: ['front'],
    locale: 'en-US',
  },
  {
    email: 'specialist@kefu.demo',
    name: '张工',
    roles: ['specialist'],
    teams: ['tech'],
    locale: 'zh-CN',
  },
  {
    email: 'aftersales@kefu.demo',
    name: '刘师傅',
    roles: ['specialist'],
    teams: ['after'],
    locale: 'zh-CN',
  },
  {
    email: 'qa@kefu.demo',
    name: '赵质检',
    roles: ['qa_inspector'],
    teams: ['qa'],
    locale: 'zh-CN',
  },
  {
    email: 'editor@kefu.demo',
    name: '孙编辑',
    roles: ['knowledge_editor'],
    teams: [],
    locale: 'zh-CN',
  },
  { email: 'reviewer@kefu.demo', name: '周法务', roles: ['reviewer'], teams: [], locale: 'zh-CN' },
];

/**
 * Fills an empty workspace with demo teams and one user per role. Returns the sign-in
 * details to print, or null when the workspace already has users — a demo workspace made
 * by an earlier version then gets the demo data of features added since (idempotent).
 */
export async function seedDemo(
  db: Db,
  at: Date,
): Promise<{ email: string; roles: Role[] }[] | null> {
  return db.transaction(async (tx) => {
    if (!(await needsSetup(tx))) {
      await seedDemoTicketFeatures(tx, at);
      await seedDemoSurveys(tx, at);
      return null;
    }
    const ctx: AuditContext = {
      actorId: null,
      actorName: 'demo-seed',
      ip: null,
      userAgent: null,
      requestId: null,
      at,
    };
    const teamIds = new Map<TeamKey, string>();
    for (const t of TEAMS)
      teamIds.set(
        t.key,
        (await insertTeam(tx, ctx, { name: t.name, description: t.description })).id,
      );
    const created = new Map<string, Awaited<ReturnType<typeof insertUser>>>();
    for (const u of USERS) {
      const user = await insertUser(tx, ctx, {
        email: u.email,
        name: u.name,
        password: DEMO_PASSWORD,
        roles: u.roles,
        teamIds: u.teams.map((k) => teamIds.get(k)!),
        locale: u.locale,
      });
      created.set(u.email, user);
    }
    await seedKnowledge(tx, ctx);
    await seedDemoTickets(tx, at, created, teamIds);
    await seedDemoTicketFeatures(tx, at);
    const [lina] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.email, DEMO_PORTAL_EMAIL));
    if (lina)
      await tx.insert(portalAccounts).values({
        email: DEMO_PORTAL_EMAIL,
        customerId: lina.id,
        passwordHash: await hashPassword(DEMO_PASSWORD),
        locale: 'zh-CN',
        createdAt: at,
        updatedAt: at,
      });
    await seedDemoSurveys(tx, at);
    await seedDemoKpi(tx, at);
    return USERS.map((u) => ({ email: u.email, roles: u.roles }));
  });
}
