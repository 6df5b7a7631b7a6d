import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/client.js';
import type { AuditContext } from '../audit/service.js';
import type { CreateCustomerInput } from '../customers/schemas.js';
import { insertCustomer } from '../customers/service.js';
import type { UserView } from '../users/schemas.js';
import { addReply, assignTicket, recordReturnVisit } from './actions.js';
import { linkTickets, mergeTicket } from './relations.js';
import type { CreateTicketInput } from './schemas.js';
import { createTicket } from './service.js';
import { createHandlingPlan } from './handling-plans.js';
import { transitionTicket, type TransitionRequest } from './transitions.js';

const HOUR = 3_600_000;

const CUSTOMERS: (Partial<CreateCustomerInput> & { key: string; name: string })[] = [
  {
    key: 'wang',
    name: '王建国',
    phone: '13812345678',
    email: 'wangjg@example.com',
    organisation: '上海建国贸易有限公司',
    tier: 'vip',
    consent: { contact: true, marketing: false },
  },
  { key: 'li', name: '李娜', phone: '13987654321', email: 'lina@example.com', tier: 'regular' },
  { key: 'zhang', name: '张伟', wechat: 'zw_1988', tier: 'regular' },
  {
    key: 'liu',
    name: '刘洋',
    phone: '13600001111',
    organisation: '杭州云帆科技有限公司',
    tier: 'vip',
  },
  { key: 'chen', name: '陈静', email: 'chenjing@example.com', tier: 'regular' },
  { key: 'yang', name: '杨帆', tier: 'prospect', notes: '展会现场登记，未留联系方式' },
  { key: 'zhao', name: '赵磊', phone: '13700002222', tier: 'regular' },
  { key: 'huang', name: '黄丽', phone: '13511113333', email: 'huangli@example.com', tier: 'vip' },
];

type Step =
  | { to: TransitionRequest['to']; reason?: string; customerConfirmed?: boolean; followUp?: true }
  | { assign: 'tech' | 'after' | 'complaints'; handler?: string }
  | { reply: string; internal?: boolean }
  | { plan: string; public?: boolean }
  | { visit: string; accepted: boolean };

interface DemoTicket {
  key: string;
  by: string;
  customer: string;
  hoursAgo: number;
  /** Hours between steps (default: up to 2); complaints are worked on within their limits. */
  stepHours?: number;
  ticket: Omit<CreateTicketInput, 'customerId' | 'customer' | 'tags' | 'priority'> &
    Partial<Pick<CreateTicketInput, 'tags' | 'priority'>>;
  steps: Step[];
}

const TICKETS: DemoTicket[] = [
  {
    key: 'points',
    by: 'agent@kefu.demo',
    customer: 'wang',
    hoursAgo: 200,
    ticket: {
      channel: 'chat',
      category: 'consultation',
      subject: '会员积分如何兑换礼品',
      description: '客户在线咨询：积分商城里的礼品如何兑换，积分是否会过期。',
      tags: ['会员'],
    },
    steps: [
      { to: 'accepted' },
      { reply: '您好，积分可在 App「我的-积分商城」中兑换，积分有效期为两年。' },
      { to: 'resolved' },
      { to: 'closed', customerConfirmed: true },
    ],
  },
  {
    key: 'rude',
    by: 'agent@kefu.demo',
    customer: 'li',
    hoursAgo: 30,
    ticket: {
      channel: 'walk_in',
      category: 'complaint',
      subject: '投诉：门店店员服务态度恶劣',
      description: '客户到店投诉：周六下午在徐汇门店咨询退换货时，店员态度冷淡并拒绝解释政策。',
      priority: 'urgent',
    },
    stepHours: 0.5,
    steps: [
      { to: 'accepted' },
      { reply: '您好，您的投诉已登记，我们正在与门店核实，今天内给您初步处理方案。' },
      { assign: 'complaints', handler: 'supervisor@kefu.demo' },
      { reply: '已联系门店店长核实情况，今天内给客户初步处理方案。', internal: true },
      {
        plan: '调取门店监控并与当班店员面谈；向客户当面致歉，并按政策办理退换货。',
        public: true,
      },
      { to: 'in_progress' },
    ],
  },
  {
    key: 'printer',
    by: 'agent2@kefu.demo',
    customer: 'zhang',
    hoursAgo: 50,
    ticket: {
      channel: 'phone',
      category: 'product_use',
      subject: '打印机无法连接 Wi-Fi',
      description: '按说明书重置网络后仍无法连接家里的 5G Wi-Fi，指示灯一直闪烁。',
    },
    steps: [
      { to: 'accepted' },
      { assign: 'tech', handler: 'specialist@kefu.demo' },
      { to: 'in_progress' },
      { reply: '请将路由器切换到 2.4G 频段后再试，并告诉我们指示灯的颜色。' },
      { to: 'pending_customer' },
    ],
  },
  {
    key: 'fridge',
    by: 'agent@kefu.demo',
    customer: 'liu',
    hoursAgo: 20,
    ticket: {
      channel: 'phone',
      category: 'after_sales',
      subject: '冰箱不制冷，申请保修上门',
      description: '购买 8 个月的双开门冰箱冷藏室不制冷，在保修期内，希望尽快上门维修。',
      priority: 'important',
    },
    steps: [
      { to: 'accepted' },
      { assign: 'after', handler: 'aftersales@kefu.demo' },
      { to: 'in_progress' },
      { reply: '已预约周三上午上门，等待配件中心确认压缩机库存。', internal: true },
      { to: 'pending_internal' },
    ],
  },
  {
    key: 'invoice',
    by: 'agent@kefu.demo',
    customer: 'chen',
    hoursAgo: 3,
    ticket: {
      channel: 'email',
      category: 'consultation',
      subject: '发票抬头如何修改',
      description: '邮件来信：上月订单的发票抬头写错了，想改成公司名称。',
    },
    steps: [],
  },
  {
    key: 'refund',
    by: 'agent2@kefu.demo',
    customer: 'huang',
    hoursAgo: 75,
    ticket: {
      channel: 'phone',
      category: 'complaint',
      subject: '投诉：退款两周仍未到账',
      description: '客户来电投诉：两周前申请的退款至今未到账，多次催促无果，情绪激动。',
      priority: 'urgent',
    },
    stepHours: 0.5,
    steps: [
      { to: 'accepted' },
      { to: 'in_progress' },
      { plan: '财务部重新发起退款并跟踪到账；到账前每日告知客户进度。', public: true },
      { reply: '已与财务核实，退款已于今日重新发起，预计 1–3 个工作日到账。' },
      { to: 'resolved' },
    ],
  },
  {
    key: 'bulk',
    by: 'agent@kefu.demo',
    customer: 'liu',
    hoursAgo: 26,
    ticket: {
      channel: 'portal',
      category: 'business_application',
      subject: '申请开通企业批量采购账户',
      description: '公司计划每季度批量采购办公设备，希望开通企业账户并享受协议价。',
    },
    steps: [{ to: 'accepted' }, { to: 'in_progress' }],
  },
  {
    key: 'darkmode',
    by: 'agent2@kefu.demo',
    customer: 'zhao',
    hoursAgo: 40,
    ticket: {
      channel: 'chat',
      category: 'suggestion',
      subject: '建议 App 增加夜间模式',
      description: '晚上使用 App 时界面太亮，建议增加夜间模式。',
    },
    steps: [
      { to: 'accepted' },
      { reply: '感谢您的建议，夜间模式已列入下个版本计划，上线后会通知您。' },
      { to: 'resolved' },
    ],
  },
  {
    key: 'captcha',
    by: 'agent@kefu.demo',
    customer: 'wang',
    hoursAgo: 60,
    ticket: {
      channel: 'chat',
      category: 'product_use',
      subject: 'App 登录提示验证码错误',
      description: '输入短信验证码后一直提示错误，已尝试三次。',
    },
    steps: [
      { to: 'accepted' },
      { to: 'in_progress' },
      { to: 'closed', reason: '需等待短信服务商排查', followUp: true },
    ],
  },
  {
    key: 'washer',
    by: 'agent@kefu.demo',
    customer: 'yang',
    hoursAgo: 2,
    ticket: {
      channel: 'walk_in',
      category: 'after_sales',
      subject: '洗衣机漏水，要求换货',
      description: '展会现场登记：客户称新买的滚筒洗衣机底部漏水，要求换货。',
    },
    steps: [],
  },
  {
    key: 'parcel',
    by: 'agent@kefu.demo',
    customer: 'li',
    hoursAgo: 150,
    ticket: {
      channel: 'phone',
      category: 'complaint',
      subject: '投诉：快递包装破损，商品有划痕',
      description: '收到的电视机外包装破损，屏幕边框有明显划痕。',
    },
    stepHours: 0.5,
    steps: [
      { to: 'accepted' },
      { to: 'in_progress' },
      { reply: '已为您安排换新，新机将于明天送达，旧机由快递员当场回收。' },
      { plan: '换新：仓库明日发出新机，快递员上门回收旧机；与物流商核查破损原因。' },
      { to: 'resolved' },
      { visit: '电话回访：客户已收到新机，对处理结果满意。', accepted: true },
      { to: 'closed' },
    ],
  },
  {
    key: 'hours',
    by: 'agent2@kefu.demo',
    customer: 'zhao',
    hoursAgo: 100,
    ticket: {
      channel: 'phone',
      category: 'consultation',
      subject: '门店营业时间咨询',
      description: '询问国庆期间门店营业时间。',
    },
    steps: [{ to: 'accepted' }, { to: 'resolved' }, { to: 'closed', customerConfirmed: true }],
  },
  {
    key: 'router',
    by: 'agent@kefu.demo',
    customer: 'chen',
    hoursAgo: 90,
    ticket: {
      channel: 'email',
      category: 'product_use',
      subject: '路由器频繁掉线',
      description: '新买的路由器每隔一小时左右断线一次，需要重启才能恢复。',
    },
    steps: [
      { to: 'accepted' },
      { assign: 'tech', handler: 'specialist@kefu.demo' },
      { to: 'in_progress' },
      { to: 'resolved' },
      { to: 'reopened', reason: '客户反馈升级固件后问题依旧' },
    ],
  },
  {
    key: 'printer-dup',
    by: 'agent@kefu.demo',
    customer: 'zhang',
    hoursAgo: 45,
    ticket: {
      channel: 'chat',
      category: 'product_use',
      subject: '打印机连不上网（重复咨询）',
      description: '客户在线再次询问打印机联网问题。',
    },
    steps: [],
  },
  {
    key: 'vat',
    by: 'agent@kefu.demo',
    customer: 'chen',
    hoursAgo: 1,
    ticket: {
      channel: 'phone',
      category: 'business_application',
      subject: '申请开具增值税专用发票',
      description: '客户来电：需要为上月订单开具增值税专用发票，已提供税号。',
    },
    steps: [{ to: 'accepted' }],
  },
];

/**
 * Demo customers and tickets in every state, so a fresh `npm start` shows a live console:
 * green channel, queues, awaiting confirmation, follow-up to-do, a merge and a link.
 */
export async function seedDemoTickets(
  db: Db,
  now: Date,
  users: Map<string, UserView>,
  teamIds: ReadonlyMap<string, string>,
) {
  const actorOf = (email: string): Actor => {
    const u = users.get(email);
    if (!u) throw new Error(`demo user ${email} missing`);
    return {
      userId: u.id,
      name: u.name,
      email: u.email,
      roles: u.roles,
      teamIds: u.teams.map((t) => t.id),
      via: 'session',
      principalKey: 'demo-seed',
    };
  };
  const ctxOf = (a: Actor, at: Date): AuditContext => ({
    actorId: a.userId,
    actorName: a.name,
    ip: null,
    userAgent: 'demo-seed',
    requestId: null,
    at,
  });
  const seeder = actorOf('supervisor@kefu.demo');
  const customerIds = new Map<string, string>();
  for (const { key, ...c } of CUSTOMERS) {
    const { row } = await insertCustomer(
      db,
      ctxOf(seeder, new Date(now.getTime() - 300 * HOUR)),
      seeder,
      c,
    );
    customerIds.set(key, row.id);
  }

  const ids = new Map<string, string>();
  // Oldest first, so the numbers follow the received times.
  for (const d of [...TICKETS].sort((a, b) => b.hoursAgo - a.hoursAgo)) {
    const actor = actorOf(d.by);
    let at = new Date(now.getTime() - d.hoursAgo * HOUR);
    const { data } = await createTicket(db, ctxOf(actor, at), actor, {
      ...d.ticket,
      priority: d.ticket.priority ?? 'general',
      tags: d.ticket.tags ?? [],
      customerId: customerIds.get(d.customer),
    });
    ids.set(d.key, data.id);
    for (const step of d.steps) {
      const stepH = d.stepHours ?? Math.min(2, d.hoursAgo / (d.steps.length + 1));
      at = new Date(at.getTime() + stepH * HOUR);
      const ctx = ctxOf(actor, at);
      if ('to' in step) {
        const followUp = step.followUp
          ? {
              plan: '服务商回复后电话告知客户',
              dueAt: new Date(now.getTime() + 72 * HOUR).toISOString(),
            }
          : undefined;
        await transitionTicket(db, ctx, actor, data.id, { ...step, followUp });
      } else if ('assign' in step) {
        const handler = step.handler ? actorOf(step.handler).userId : undefined;
        await assignTicket(db, ctx, actor, data.id, {
          teamId: teamIds.get(step.assign),
          handlerId: handler,
        });
      } else if ('plan' in step) {
        await createHandlingPlan(db, ctx, actor, data.id, {
          body: step.plan,
          ownerId: actor.userId,
          dueAt: new Date(at.getTime() + 48 * HOUR).toISOString(),
          public: step.public ?? false,
        });
      } else if ('reply' in step) {
        await addReply(db, ctx, actor, data.id, {
          body: step.reply,
          visibility: step.internal ? 'internal' : 'public',
        });
      } else {
        await recordReturnVisit(db, ctx, actorOf('supervisor@kefu.demo'), data.id, {
          visitedAt: at.toISOString(),
          outcome: step.visit,
          customerAccepted: step.accepted,
        });
      }
    }
  }
  const agent = actorOf('agent@kefu.demo');
  const later = ctxOf(agent, new Date(now.getTime() - 0.5 * HOUR));
  await mergeTicket(db, later, agent, ids.get('printer-dup')!, ids.get('printer')!);
  await linkTickets(db, later, agent, ids.get('vat')!, ids.get('invoice')!);
  return { customers: customerIds.size, tickets: ids.size };
}
