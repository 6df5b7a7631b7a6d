import { and, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../access/actor.js';
import type { Role } from '../access/roles.js';
import type { Db } from '../db/client.js';
import {
  customers,
  teamMembers,
  teams,
  ticketAssignmentRules,
  ticketFieldDefinitions,
  ticketSavedViews,
  tickets,
  users,
} from '../db/schema/index.js';
import type { AuditContext } from '../modules/audit/service.js';
import {
  createAssignmentRule,
  type AssignmentRuleInput,
} from '../modules/tickets/assignment-rules.js';
import {
  createFieldDefinition,
  type NewFieldDefinition,
} from '../modules/tickets/custom-fields.js';
import { createSavedView } from '../modules/tickets/saved-views.js';
import { createTicket, patchTicket } from '../modules/tickets/service.js';

/**
 * The ticket features of issue 3 in the demo workspace: custom fields (with values on the
 * after-sales tickets), two assignment rules (and one ticket they routed), a saved view shared
 * with the front-line team. Every step checks first, so running it again adds nothing, and it
 * tops up a demo workspace created before these features existed.
 */

const HOUR = 3_600_000;

const FIELDS: NewFieldDefinition[] = [
  {
    key: 'order_no',
    labelZh: '订单号',
    labelEn: 'Order number',
    type: 'text',
    options: [],
    required: false,
    active: true,
    categories: ['after_sales', 'complaint'],
  },
  {
    key: 'product_model',
    labelZh: '产品型号',
    labelEn: 'Product model',
    type: 'select',
    options: [
      { value: 'BCD-501', labelZh: '对开门冰箱 BCD-501', labelEn: 'Side-by-side fridge BCD-501' },
      { value: 'XQG100', labelZh: '滚筒洗衣机 XQG100', labelEn: 'Front-load washer XQG100' },
      { value: 'KJ600', labelZh: '空气净化器 KJ600', labelEn: 'Air purifier KJ600' },
      { value: 'TV-65', labelZh: '65 英寸电视', labelEn: '65-inch TV' },
      { value: 'PR-200', labelZh: '无线打印机 PR-200', labelEn: 'Wireless printer PR-200' },
    ],
    required: false,
    active: true,
    categories: ['after_sales', 'product_use'],
  },
  {
    key: 'under_warranty',
    labelZh: '在保修期内',
    labelEn: 'Under warranty',
    type: 'boolean',
    options: [],
    required: false,
    active: true,
    categories: ['after_sales'],
  },
];

type RuleSeed = Omit<AssignmentRuleInput, 'teamId'> & { team: string };

const RULES: RuleSeed[] = [
  {
    name: '退款申请 → 售后（负载最少）',
    active: true,
    categories: [],
    channels: [],
    customerTiers: [],
    keywords: ['退款', 'refund'],
    team: '售后',
    strategy: 'least_loaded',
  },
  {
    name: 'VIP 客户 → 售后（轮流）',
    active: true,
    categories: [],
    channels: [],
    customerTiers: ['vip'],
    keywords: [],
    team: '售后',
    strategy: 'round_robin',
  },
];

const VIEW = {
  name: '一线：待受理的新工单',
  search: 'queue=team&status=new&sort=due_asc',
  team: '一线客服',
  owner: 'supervisor@kefu.demo',
};

/** Values for tickets of the demo set (by subject). */
const VALUES: { subject: string; customFields: Record<string, unknown> }[] = [
  {
    subject: '冰箱不制冷，申请保修上门',
    customFields: { order_no: 'JD20260315-8842', product_model: 'BCD-501', under_warranty: true },
  },
  {
    subject: '洗衣机漏水，要求换货',
    customFields: { product_model: 'XQG100', under_warranty: true },
  },
  { subject: '打印机无法连接 Wi-Fi', customFields: { product_model: 'PR-200' } },
];

/** An L2 request the keyword rule routes to after-sales on registration. */
const ROUTED = {
  customer: '张伟',
  by: 'agent@kefu.demo',
  hoursAgo: 4,
  ticket: {
    channel: 'chat' as const,
    category: 'after_sales',
    subject: '申请退款：空气净化器七天无理由退货',
    description: '客户在线申请：上周购买的空气净化器噪音太大，希望七天无理由退货并退款。',
    priority: 'general' as const,
    tags: ['退货'],
    customFields: { order_no: 'TM20261118-0317', product_model: 'KJ600', under_warranty: true },
  },
};

async function actorOf(db: Db, email: string): Promise<Actor | null> {
  const [u] = await db
    .select({ id: users.id, name: users.name, email: users.email, roles: users.roles })
    .from(users)
    .where(eq(users.email, email));
  if (!u) return null;
  const memberships = await db
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(eq(teamMembers.userId, u.id));
  return {
    userId: u.id,
    name: u.name,
    email: u.email,
    roles: u.roles as Role[],
    teamIds: memberships.map((m) => m.teamId),
    via: 'session',
    principalKey: 'demo-seed',
  };
}

const ctxOf = (a: Actor | null, at: Date): AuditContext => ({
  actorId: a?.userId ?? null,
  actorName: a?.name ?? 'demo-seed',
  ip: null,
  userAgent: 'demo-seed',
  requestId: null,
  at,
});

async function teamIdsByName(db: Db, names: string[]) {
  const rows = await db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(inArray(teams.name, names));
  return new Map(rows.map((r) => [r.name, r.id]));
}

export interface DemoFeatureCounts {
  fields: number;
  rules: number;
  views: number;
  tickets: number;
}

/**
 * Adds what is missing; answers how many of each it added. Needs the demo users and teams:
 * in any other workspace it does nothing.
 */
export async function seedDemoTicketFeatures(db: Db, now: Date): Promise<DemoFeatureCounts> {
  const added: DemoFeatureCounts = { fields: 0, rules: 0, views: 0, tickets: 0 };
  const admin = await actorOf(db, 'admin@kefu.demo');
  const owner = await actorOf(db, VIEW.owner);
  const agent = await actorOf(db, ROUTED.by);
  if (!admin || !owner || !agent) return added;
  const ctx = ctxOf(admin, now);

  const known = new Set(
    (await db.select({ key: ticketFieldDefinitions.key }).from(ticketFieldDefinitions)).map(
      (f) => f.key,
    ),
  );
  for (const field of FIELDS) {
    if (known.has(field.key)) continue;
    await createFieldDefinition(db, ctx, field);
    added.fields++;
  }

  const teamIds = await teamIdsByName(db, [...RULES.map((r) => r.team), VIEW.team]);
  const ruleNames = new Set(
    (await db.select({ name: ticketAssignmentRules.name }).from(ticketAssignmentRules)).map(
      (r) => r.name,
    ),
  );
  for (const { team, ...rule } of RULES) {
    const teamId = teamIds.get(team);
    if (!teamId || ruleNames.has(rule.name)) continue;
    await createAssignmentRule(db, ctx, { ...rule, teamId });
    added.rules++;
  }

  const viewTeam = teamIds.get(VIEW.team);
  const [view] = await db
    .select({ id: ticketSavedViews.id })
    .from(ticketSavedViews)
    .where(and(eq(ticketSavedViews.ownerId, owner.userId), eq(ticketSavedViews.name, VIEW.name)));
  if (!view && viewTeam) {
    await createSavedView(db, ctxOf(owner, now), owner, {
      name: VIEW.name,
      search: VIEW.search,
      teamId: viewTeam,
    });
    added.views++;
  }

  // Values on the seeded tickets, only where a ticket has none yet.
  for (const v of VALUES) {
    const [ticket] = await db
      .select({ id: tickets.id, customFields: tickets.customFields })
      .from(tickets)
      .where(eq(tickets.subject, v.subject))
      .limit(1);
    if (!ticket || Object.keys(ticket.customFields ?? {}).length > 0) continue;
    await patchTicket(db, ctxOf(agent, now), agent, ticket.id, { customFields: v.customFields });
  }

  const [routed] = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(eq(tickets.subject, ROUTED.ticket.subject))
    .limit(1);
  const [customer] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(eq(customers.name, ROUTED.customer))
    .limit(1);
  if (!routed && customer) {
    const at = new Date(now.getTime() - ROUTED.hoursAgo * HOUR);
    await createTicket(db, ctxOf(agent, at), agent, { ...ROUTED.ticket, customerId: customer.id });
    added.tickets++;
  }
  return added;
}
