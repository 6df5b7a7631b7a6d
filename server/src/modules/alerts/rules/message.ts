/**
 * What an alert says, and how each channel wants it (pure). An alert names the ticket, its
 * priority, tier and team, the subject with phone numbers and e-mail addresses masked, and a link
 * — nothing else about the customer.
 */

export const ALERT_EVENT_TYPES = ['escalation', 'sla_breach', 'green_channel', 'incident'] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];
export const CHANNEL_TYPES = ['wecom', 'dingtalk', 'webhook'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export type MsgType = 'markdown' | 'text';

export interface AlertPayload {
  eventType: AlertEventType | 'test';
  /** Ticket number, e.g. KF-2026-000123; null for events without a ticket (incidents, tests). */
  ticketNumber: string | null;
  ticketId: string | null;
  subject: string;
  priority: string | null;
  tier: string | null;
  team: string | null;
  /** Event detail: the SLA target that breached, the tier change. */
  detail: string | null;
  link: string | null;
  occurredAt: string;
}

/** Masks phone numbers (7+ digits, keeping the first 3 and last 4 of 11) and e-mail addresses. */
export function maskPersonal(text: string): string {
  return text
    .replace(
      /[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}/g,
      (m) => `${m[0]}***@${m.split('@')[1]}`,
    )
    .replace(/(?<!\d)(\+?\d[\d -]{5,}\d)(?!\d)/g, (m) => {
      const digits = m.replace(/\D/g, '');
      if (digits.length < 7) return m;
      return digits.length >= 11
        ? `${digits.slice(0, 3)}****${digits.slice(-4)}`
        : `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
    });
}

/** A phone number for logs: first 3 and last 2 digits. */
export function maskPhone(phone: string): string {
  const d = phone.replace(/\D/g, '');
  if (d.length < 7) return '***';
  return `${d.slice(0, 3)}${'*'.repeat(d.length - 5)}${d.slice(-2)}`;
}

const TITLES: Record<AlertPayload['eventType'], { zh: string; en: string }> = {
  escalation: { zh: '工单升级', en: 'Ticket escalated' },
  sla_breach: { zh: 'SLA 超时', en: 'SLA breached' },
  green_channel: { zh: '绿色通道投诉', en: 'Green-channel complaint' },
  incident: { zh: '事件', en: 'Incident' },
  test: { zh: '测试消息', en: 'Test message' },
};

export function alertTitle(p: AlertPayload): string {
  const t = TITLES[p.eventType];
  return `【客服告警】${t.zh} ${t.en}${p.ticketNumber ? ` · ${p.ticketNumber}` : ''}`;
}

function lines(p: AlertPayload): [string, string][] {
  const out: [string, string][] = [];
  if (p.ticketNumber) out.push(['工单 Ticket', p.ticketNumber]);
  out.push(['主题 Subject', maskPersonal(p.subject)]);
  if (p.priority) out.push(['优先级 Priority', p.priority]);
  if (p.tier) out.push(['级别 Tier', p.tier]);
  if (p.team) out.push(['团队 Team', p.team]);
  if (p.detail) out.push(['详情 Detail', p.detail]);
  out.push(['时间 Time', p.occurredAt]);
  return out;
}

export function alertText(p: AlertPayload): string {
  const body = lines(p).map(([k, v]) => `${k}: ${v}`);
  return [alertTitle(p), ...body, ...(p.link ? [p.link] : [])].join('\n');
}

/** Markdown both robots render (headings, bold, links; WeCom's `<font>` colours). */
export function alertMarkdown(p: AlertPayload, colour: boolean): string {
  const title = colour ? `<font color="warning">${alertTitle(p)}</font>` : alertTitle(p);
  const body = lines(p).map(([k, v]) => `> **${k}**: ${v.replace(/[\r\n]+/g, ' ')}`);
  return [
    `### ${title}`,
    ...body,
    ...(p.link ? [``, `[打开工单 Open ticket](${p.link})`] : []),
  ].join('\n');
}

/**
 * The JSON body each channel type takes. WeCom group robot: `{msgtype:'markdown', markdown:
 * {content}}` or `{msgtype:'text', text:{content}}` (WeCom "群机器人配置说明"). DingTalk robot:
 * `{msgtype:'markdown', markdown:{title, text}}` or `{msgtype:'text', text:{content}}`.
 * Generic webhook: `{event, deliveryId, alert}` with the structured payload.
 */
export function channelBody(
  type: ChannelType,
  msgType: MsgType,
  p: AlertPayload,
  deliveryId: string,
): unknown {
  if (type === 'wecom') {
    return msgType === 'markdown'
      ? { msgtype: 'markdown', markdown: { content: alertMarkdown(p, true) } }
      : { msgtype: 'text', text: { content: alertText(p) } };
  }
  if (type === 'dingtalk') {
    return msgType === 'markdown'
      ? { msgtype: 'markdown', markdown: { title: alertTitle(p), text: alertMarkdown(p, false) } }
      : { msgtype: 'text', text: { content: alertText(p) } };
  }
  return {
    event: p.eventType,
    deliveryId,
    alert: { ...p, subject: maskPersonal(p.subject) },
  };
}

/** Exponential back-off: base · 2^(attempt−1), capped at a day. */
export function retryDelayMs(attempt: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 1000 * 2 ** Math.max(0, attempt - 1), 86_400_000);
}

/**
 * Whether a robot's answer means delivered: a 2xx, and for WeCom/DingTalk an `errcode` of 0 in
 * the JSON answer (both answer HTTP 200 with `{"errcode":…, "errmsg":…}` for refusals).
 */
export function judgeResponse(
  type: ChannelType,
  status: number,
  body: string,
): { ok: boolean; error: string | null } {
  if (status < 200 || status >= 300) return { ok: false, error: `HTTP ${status}` };
  if (type === 'webhook') return { ok: true, error: null };
  try {
    const json = JSON.parse(body) as { errcode?: unknown; errmsg?: unknown };
    if (json.errcode === 0 || json.errcode === undefined) return { ok: true, error: null };
    return {
      ok: false,
      error: `errcode ${String(json.errcode)}: ${String(json.errmsg ?? '')}`.slice(0, 300),
    };
  } catch {
    return { ok: true, error: null };
  }
}
