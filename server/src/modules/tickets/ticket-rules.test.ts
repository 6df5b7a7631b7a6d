import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { ifMatch, registerTicket, type TicketJson } from './test-support.js';

/** Custom fields, split, assignment rules, team members, saved views — over real HTTP. */
let t: TestContext;
type Client = TestClient & { user: { id: string; name: string } };
let agent: Client;
let otherAgent: Client;
let supervisor: Client;
let admin: Client;
let qa: Client;
let specialist: Client;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  t = await createTestContext();
  agent = await t.as('agent');
  otherAgent = await t.as('agent');
  supervisor = await t.as('supervisor');
  admin = await t.as('admin');
  qa = await t.as('qa_inspector');
  specialist = await t.as('specialist');
});
afterAll(() => t.close());

const timelineOf = async (id: string) =>
  (await agent.get(`/api/v1/tickets/${id}/timeline`)).json().data as {
    id: string;
    kind: string;
    actor: { id: string } | null;
    data: Record<string, unknown>;
  }[];

const auditOf = async (action: string, targetId: string) =>
  (await admin.get(`/api/v1/audit-events?action=${action}&targetId=${targetId}`)).json().data as {
    diff: Record<string, { from: unknown; to: unknown }>;
  }[];

describe('custom fields', () => {
  let region: { id: string };

  it('administrators define typed fields; others may only read them', async () => {
    const res = await admin.post('/api/v1/ticket-fields', {
      key: 'region',
      labelZh: '地区',
      labelEn: 'Region',
      type: 'select',
      options: [
        { value: 'east', labelZh: '华东', labelEn: 'East' },
        { value: 'south', labelZh: '华南', labelEn: 'South' },
      ],
      categories: ['after_sales', 'consultation'],
    });
    expect(res.statusCode).toBe(201);
    region = res.json().data;
    expect(region).toMatchObject({ key: 'region', type: 'select', required: false, active: true });
    for (const body of [
      { key: 'model', labelZh: '型号', labelEn: 'Model', type: 'text', required: true },
      { key: 'vip_contract', labelZh: '大客户合同', labelEn: 'VIP contract', type: 'boolean' },
      { key: 'units', labelZh: '台数', labelEn: 'Units', type: 'number' },
      { key: 'bought_on', labelZh: '购买日期', labelEn: 'Bought on', type: 'date' },
      {
        key: 'parts',
        labelZh: '配件',
        labelEn: 'Parts',
        type: 'multiselect',
        options: [
          { value: 'toner', labelZh: '硒鼓', labelEn: 'Toner' },
          { value: 'tray', labelZh: '纸盒', labelEn: 'Tray' },
        ],
      },
    ])
      expect((await admin.post('/api/v1/ticket-fields', body)).statusCode).toBe(201);
    expect((await agent.post('/api/v1/ticket-fields', {})).statusCode).toBe(403);
    const list = (await agent.get('/api/v1/ticket-fields')).json().data;
    expect(list.map((f: { key: string }) => f.key)).toEqual([
      'region',
      'model',
      'vip_contract',
      'units',
      'bought_on',
      'parts',
    ]);
  });

  it('refuses bad definitions with field-level codes', async () => {
    const taken = await admin.post('/api/v1/ticket-fields', {
      key: 'region',
      labelZh: 'x',
      labelEn: 'x',
      type: 'text',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().errors[0]).toMatchObject({ path: 'key', code: 'taken' });
    const noOptions = await admin.post('/api/v1/ticket-fields', {
      key: 'colour',
      labelZh: '颜色',
      labelEn: 'Colour',
      type: 'select',
      categories: ['nope_category'],
    });
    expect(noOptions.statusCode).toBe(422);
    expect(noOptions.json().errors).toEqual([
      expect.objectContaining({ path: 'options', code: 'required' }),
      expect.objectContaining({ path: 'categories.0', code: 'not_found' }),
    ]);
    const typeChange = await admin.patch(`/api/v1/ticket-fields/${region.id}`, { type: 'text' });
    expect(typeChange.statusCode).toBe(400);
    expect((await admin.patch(`/api/v1/ticket-fields/${UNKNOWN}`, {})).statusCode).toBe(404);
  });

  let ticket: TicketJson;

  it('values are set on creation, checked, and shown on the ticket', async () => {
    const bad = await agent.post('/api/v1/tickets', {
      channel: 'phone',
      category: 'product_use',
      subject: '打印机卡纸',
      customer: { name: '王先生', phone: '13900009999' },
      customFields: { region: 'east', units: 'three', parts: ['toner', 'ink'], colour: 'red' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ['customFields.region', 'not_applicable'],
      ['customFields.units', 'wrong_type'],
      ['customFields.parts', 'not_an_option'],
      ['customFields.colour', 'unknown_field'],
      ['customFields.model', 'required'],
    ]);
    ticket = await registerTicket(agent, {
      category: 'after_sales',
      tier: 'L1',
      customFields: { region: 'east', model: ' LaserJet 1020 ', units: 3, vip_contract: true },
    });
    expect(ticket.customFields).toEqual({
      region: 'east',
      model: 'LaserJet 1020',
      units: 3,
      vip_contract: true,
    });
    const got = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json().data;
    expect(got.customFields.region).toBe('east');
  });

  it('PATCH changes values: timeline and audit record the change; required cannot be cleared', async () => {
    const cleared = await agent.patch(
      `/api/v1/tickets/${ticket.id}`,
      { customFields: { model: null } },
      ifMatch(ticket),
    );
    expect(cleared.statusCode).toBe(422);
    expect(cleared.json().errors[0]).toMatchObject({
      path: 'customFields.model',
      code: 'required',
    });
    const res = await agent.patch(
      `/api/v1/tickets/${ticket.id}`,
      { customFields: { region: 'south', bought_on: '2026-01-31', vip_contract: null } },
      ifMatch(ticket),
    );
    expect(res.statusCode).toBe(200);
    ticket = res.json().data;
    expect(ticket.customFields).toEqual({
      region: 'south',
      model: 'LaserJet 1020',
      units: 3,
      bought_on: '2026-01-31',
    });
    const field = (await timelineOf(ticket.id)).filter((e) => e.kind === 'field').at(-1)!;
    expect(field.data.changes).toEqual({
      'customFields.region': { from: 'east', to: 'south' },
      'customFields.bought_on': { from: null, to: '2026-01-31' },
      'customFields.vip_contract': { from: true, to: null },
    });
    const [audit] = await auditOf('ticket.update', ticket.id);
    expect(audit!.diff.customFields).toBeDefined();
    // The same values again: no change, no new version.
    const same = await agent.patch(
      `/api/v1/tickets/${ticket.id}`,
      { customFields: { region: 'south' } },
      ifMatch(ticket),
    );
    expect(same.json().data.version).toBe(ticket.version);
  });

  it('the list filters by select and boolean values (customField=key:value)', async () => {
    const other = await registerTicket(agent, {
      category: 'consultation',
      customFields: { region: 'east', model: 'X', vip_contract: true, parts: ['tray'] },
    });
    const ids = async (q: string) =>
      (await agent.get(`/api/v1/tickets?queue=all&customField=${encodeURIComponent(q)}`))
        .json()
        .data.map((x: { id: string }) => x.id);
    expect(await ids('region:south')).toEqual([ticket.id]);
    expect(await ids('region:east')).toEqual([other.id]);
    expect(await ids('vip_contract:true')).toEqual([other.id]);
    expect(await ids('parts:tray,region:east')).toEqual([other.id]);
    expect(await ids('parts:tray,region:south')).toEqual([]);
    expect((await agent.get('/api/v1/tickets?customField=bad')).statusCode).toBe(400);
  });

  it('a deactivated field is hidden from ?active=true and refused on writes; values stay', async () => {
    const res = await admin.patch(`/api/v1/ticket-fields/${region.id}`, {
      active: false,
      labelEn: 'Sales region',
    });
    expect(res.json().data).toMatchObject({ active: false, labelEn: 'Sales region' });
    const active = (await agent.get('/api/v1/ticket-fields?active=true')).json().data;
    expect(active.some((f: { key: string }) => f.key === 'region')).toBe(false);
    const refused = await agent.patch(`/api/v1/tickets/${ticket.id}`, {
      customFields: { region: 'east' },
    });
    expect(refused.json().errors[0]).toMatchObject({ code: 'unknown_field' });
    expect((await agent.get(`/api/v1/tickets/${ticket.id}`)).json().data.customFields.region).toBe(
      'south',
    );
    const [audit] = await auditOf('ticket_field.update', region.id);
    expect(audit!.diff.active).toEqual({ from: true, to: false });
    // Later tests register tickets without these fields.
    const fields = (await admin.get('/api/v1/ticket-fields')).json().data as { id: string }[];
    for (const f of fields) await admin.patch(`/api/v1/ticket-fields/${f.id}`, { active: false });
  });
});

describe('split', () => {
  it('creates a linked ticket for the same customer, owned by the first-contact owner', async () => {
    const source = await registerTicket(agent, { tags: ['打印机'] });
    await agent.post(`/api/v1/tickets/${source.id}/replies`, {
      body: '另外客户还想咨询延保',
      visibility: 'internal',
    });
    const note = (await timelineOf(source.id)).find((e) => e.kind === 'note')!;
    const res = await otherAgent.post(`/api/v1/tickets/${source.id}/split`, {
      subject: '延保咨询',
      description: '客户想购买延保',
      priority: 'important',
      eventIds: [note.id],
    });
    expect(res.statusCode).toBe(201);
    const split = res.json().data;
    expect(split).toMatchObject({
      subject: '延保咨询',
      priority: 'important',
      category: source.category,
      channel: source.channel,
      customer: { id: source.customer.id },
      owner: { id: agent.user.id },
      receivingAgent: { id: agent.user.id },
      registeredBy: { id: otherAgent.user.id },
      tags: ['打印机'],
      status: 'new',
    });
    expect(split.number).not.toBe(source.number);

    const linksOfSource = (await agent.get(`/api/v1/tickets/${source.id}/links`)).json().data;
    expect(linksOfSource).toEqual([
      expect.objectContaining({
        id: split.id,
        link: expect.objectContaining({ kind: 'split_into' }),
      }),
    ]);
    const linksOfSplit = (await agent.get(`/api/v1/tickets/${split.id}/links`)).json().data;
    expect(linksOfSplit[0]).toMatchObject({ id: source.id, link: { kind: 'split_from' } });

    const newTimeline = await timelineOf(split.id);
    expect(newTimeline[0]).toMatchObject({
      kind: 'created',
      data: expect.objectContaining({ splitFrom: { id: source.id, number: source.number } }),
    });
    const link = newTimeline.find((e) => e.kind === 'link')!;
    expect(link.data).toMatchObject({
      split: 'from',
      references: [
        expect.objectContaining({ id: note.id, kind: 'note', body: '另外客户还想咨询延保' }),
      ],
    });
    const sourceLink = (await timelineOf(source.id)).find((e) => e.kind === 'link')!;
    expect(sourceLink.data).toMatchObject({ split: 'into', other: { id: split.id } });
    const [audit] = await auditOf('ticket.split', split.id);
    expect(audit!.diff.splitFromId).toMatchObject({ to: source.id });
  });

  it('refuses entries of another ticket, unknown tickets, and readers', async () => {
    const a = await registerTicket(agent);
    const b = await registerTicket(agent);
    const [created] = await timelineOf(b.id);
    const wrong = await agent.post(`/api/v1/tickets/${a.id}/split`, {
      subject: 'x',
      eventIds: [created!.id],
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors[0]).toMatchObject({ path: 'eventIds.0', code: 'not_found' });
    expect(
      (await agent.post(`/api/v1/tickets/${UNKNOWN}/split`, { subject: 'x' })).statusCode,
    ).toBe(404);
    expect((await qa.post(`/api/v1/tickets/${a.id}/split`, { subject: 'x' })).statusCode).toBe(403);
    // Nothing was created by the refused attempts.
    expect((await agent.get(`/api/v1/tickets/${a.id}/links`)).json().data).toEqual([]);
  });

  it('a split complaint escalates like any new L3 ticket', async () => {
    const source = await registerTicket(agent);
    const res = await agent.post(`/api/v1/tickets/${source.id}/split`, {
      subject: '对上门服务态度不满',
      category: 'complaint',
    });
    expect(res.json().data).toMatchObject({ tier: 'L3', greenChannel: true });
  });
});

describe('team members for handler pickers', () => {
  it('agent-level roles list ids and names of active workers; others are refused', async () => {
    const team = await t.buildTeam('售后技术组');
    const a = await t.buildUser({ roles: ['specialist'], teamIds: [team.id], name: '张工' });
    await t.buildUser({ roles: ['qa_inspector'], teamIds: [team.id], name: '质检员' });
    const res = await agent.get(`/api/v1/teams/${team.id}/members`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual([{ id: a.id, name: '张工' }]);
    expect((await specialist.get(`/api/v1/teams/${team.id}/members`)).statusCode).toBe(200);
    expect((await qa.get(`/api/v1/teams/${team.id}/members`)).statusCode).toBe(403);
    expect((await agent.get(`/api/v1/teams/${UNKNOWN}/members`)).statusCode).toBe(404);
  });
});

describe('assignment rules', () => {
  let printers: { id: string };
  let vipTeam: { id: string };
  let p1: { id: string };
  let p2: { id: string };
  let v1: { id: string };

  beforeAll(async () => {
    printers = await t.buildTeam('打印机技术组');
    vipTeam = await t.buildTeam('大客户组');
    p1 = await t.buildUser({ roles: ['specialist'], teamIds: [printers.id], name: 'P1' });
    p2 = await t.buildUser({ roles: ['specialist'], teamIds: [printers.id], name: 'P2' });
    v1 = await t.buildUser({ roles: ['specialist'], teamIds: [vipTeam.id], name: 'V1' });
  });

  const rules: { id: string; name: string }[] = [];

  it('administrators keep an ordered list; supervisors read it; agents cannot', async () => {
    const keyword = await admin.post('/api/v1/ticket-assignment-rules', {
      name: '硒鼓/卡纸 → 打印机组',
      keywords: ['硒鼓', '卡纸'],
      categories: ['after_sales', 'product_use'],
      teamId: printers.id,
      strategy: 'round_robin',
    });
    expect(keyword.statusCode).toBe(201);
    expect(keyword.json().data).toMatchObject({
      position: 0,
      active: true,
      team: { id: printers.id, name: '打印机技术组' },
      strategy: 'round_robin',
    });
    rules.push(keyword.json().data);
    const vip = await admin.post('/api/v1/ticket-assignment-rules', {
      name: 'VIP → 大客户组',
      customerTiers: ['vip'],
      teamId: vipTeam.id,
    });
    expect(vip.json().data).toMatchObject({ position: 1, strategy: 'least_loaded' });
    rules.push(vip.json().data);
    expect(
      (await admin.post('/api/v1/ticket-assignment-rules', { name: 'x', teamId: UNKNOWN }))
        .statusCode,
    ).toBe(404);
    expect((await supervisor.get('/api/v1/ticket-assignment-rules')).statusCode).toBe(200);
    expect((await agent.get('/api/v1/ticket-assignment-rules')).statusCode).toBe(403);
    expect(
      (await supervisor.post('/api/v1/ticket-assignment-rules', { name: 'x', teamId: vipTeam.id }))
        .statusCode,
    ).toBe(403);
  });

  it('a new L2 ticket goes to the first matching rule’s team, round robin between members', async () => {
    const first = await registerTicket(agent, {
      category: 'after_sales',
      tier: 'L2',
      subject: '更换硒鼓后仍然卡纸',
    });
    expect(first.team).toMatchObject({ id: printers.id });
    const second = await registerTicket(agent, {
      category: 'after_sales',
      tier: 'L2',
      subject: '卡纸',
    });
    expect(second.team?.id).toBe(printers.id);
    expect(new Set([first.handler?.id, second.handler?.id])).toEqual(new Set([p1.id, p2.id]));
    const assignment = (await timelineOf(first.id)).find((e) => e.kind === 'assignment')!;
    expect(assignment).toMatchObject({
      actor: null,
      data: {
        by: 'system',
        rule: { id: rules[0]!.id, name: '硒鼓/卡纸 → 打印机组', strategy: 'round_robin' },
        team: { from: null, to: { id: printers.id, name: '打印机技术组' } },
      },
    });
    const [audit] = await auditOf('ticket.assign', first.id);
    expect(audit!.diff.ruleId).toMatchObject({ to: rules[0]!.id });
  });

  it('L1 tickets and L2 tickets no rule matches stay unassigned', async () => {
    const l1 = await registerTicket(agent, {
      category: 'after_sales',
      tier: 'L1',
      subject: '卡纸',
    });
    expect(l1.team).toBeNull();
    const unmatched = await registerTicket(agent, {
      category: 'after_sales',
      tier: 'L2',
      subject: '发票抬头错误',
    });
    expect(unmatched.team).toBeNull();
  });

  it('a ticket re-tiered to L2 without a team is assigned by the rules', async () => {
    const vipCustomer = (
      await agent.post('/api/v1/customers', {
        name: '大客户赵总',
        phone: '13800001111',
        tier: 'vip',
      })
    ).json().data;
    const ticket = await registerTicket(agent, {
      customerId: vipCustomer.id,
      subject: '开通新账号',
    });
    expect(ticket.team).toBeNull();
    const res = await agent.patch(`/api/v1/tickets/${ticket.id}`, { tier: 'L2' }, ifMatch(ticket));
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      tier: 'L2',
      team: { id: vipTeam.id },
      handler: { id: v1.id },
    });
  });

  it('re-ordering takes every rule once; then the first match changes', async () => {
    const bad = await admin.post('/api/v1/ticket-assignment-rules/order', {
      ids: [rules[1]!.id],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({ path: 'ids', code: 'not_a_permutation' });
    const res = await admin.post('/api/v1/ticket-assignment-rules/order', {
      ids: [rules[1]!.id, rules[0]!.id],
    });
    expect(res.json().data.map((r: { id: string }) => r.id)).toEqual([rules[1]!.id, rules[0]!.id]);
    const vipCustomer = (
      await agent.post('/api/v1/customers', {
        name: '大客户钱总',
        phone: '13800002222',
        tier: 'vip',
      })
    ).json().data;
    const ticket = await registerTicket(agent, {
      customerId: vipCustomer.id,
      category: 'after_sales',
      tier: 'L2',
      subject: '卡纸',
    });
    expect(ticket.team?.id).toBe(vipTeam.id);
  });

  it('rules can be edited, deactivated and deleted', async () => {
    const res = await admin.patch(`/api/v1/ticket-assignment-rules/${rules[1]!.id}`, {
      active: false,
      keywords: ['  加急 ', '加急'],
    });
    expect(res.json().data).toMatchObject({ active: false, keywords: ['加急'] });
    expect(
      (await admin.patch(`/api/v1/ticket-assignment-rules/${UNKNOWN}`, { active: true }))
        .statusCode,
    ).toBe(404);
    expect((await admin.delete(`/api/v1/ticket-assignment-rules/${rules[1]!.id}`)).statusCode).toBe(
      204,
    );
    const left = (await admin.get('/api/v1/ticket-assignment-rules')).json().data;
    expect(left.map((r: { id: string }) => r.id)).toEqual([rules[0]!.id]);
    const [audit] = await auditOf('ticket_assignment_rule.delete', rules[1]!.id);
    expect(audit).toBeDefined();
  });
});

describe('saved views', () => {
  it('each person keeps their own views; names are unique per person', async () => {
    const res = await agent.post('/api/v1/ticket-views', {
      name: '我的 L2',
      search: '?queue=mine&tier=L2',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({
      name: '我的 L2',
      search: 'queue=mine&tier=L2',
      mine: true,
      team: null,
      owner: { id: agent.user.id },
    });
    const again = await agent.post('/api/v1/ticket-views', { name: '我的 L2', search: '' });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0]).toMatchObject({ path: 'name', code: 'taken' });
    // Another agent may use the same name and does not see the first one's views.
    expect(
      (await otherAgent.post('/api/v1/ticket-views', { name: '我的 L2', search: 'x=1' }))
        .statusCode,
    ).toBe(201);
    const mine = (await agent.get('/api/v1/ticket-views')).json().data;
    expect(mine).toHaveLength(1);
    expect((await specialist.get('/api/v1/ticket-views')).statusCode).toBe(200);
  });

  it('a supervisor shares a view with their team; members see it but cannot change it', async () => {
    const team = await t.buildTeam('一线客服');
    const lead = await t.signIn(
      (await t.buildUser({ roles: ['supervisor'], teamIds: [team.id] })).email,
    );
    const memberUser = await t.buildUser({ roles: ['agent'], teamIds: [team.id] });
    const member = await t.signIn(memberUser.email);
    const shared = await lead.post('/api/v1/ticket-views', {
      name: '绿色通道',
      search: 'queue=green_channel',
      teamId: team.id,
    });
    expect(shared.statusCode).toBe(201);
    const view = shared.json().data;
    expect(view.team).toEqual({ id: team.id, name: '一线客服' });
    const seen = (await member.get('/api/v1/ticket-views')).json().data;
    expect(seen).toEqual([expect.objectContaining({ id: view.id, mine: false })]);
    expect((await member.delete(`/api/v1/ticket-views/${view.id}`)).statusCode).toBe(403);
    expect((await agent.delete(`/api/v1/ticket-views/${view.id}`)).statusCode).toBe(404);
    // Agents do not share; supervisors share only with their own teams.
    const byAgent = await member.post('/api/v1/ticket-views', {
      name: 'x',
      search: '',
      teamId: team.id,
    });
    expect(byAgent.statusCode).toBe(403);
    const elsewhere = await supervisor.post('/api/v1/ticket-views', {
      name: 'x',
      search: '',
      teamId: team.id,
    });
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json().errors[0]).toMatchObject({ path: 'teamId', code: 'not_member' });
    // The owner renames, unshares and deletes.
    const renamed = await lead.patch(`/api/v1/ticket-views/${view.id}`, {
      name: '绿色通道（全部）',
      teamId: null,
    });
    expect(renamed.json().data).toMatchObject({ name: '绿色通道（全部）', team: null });
    expect((await member.get('/api/v1/ticket-views')).json().data).toEqual([]);
    expect((await lead.delete(`/api/v1/ticket-views/${view.id}`)).statusCode).toBe(204);
    expect((await lead.delete(`/api/v1/ticket-views/${view.id}`)).statusCode).toBe(404);
    const [audit] = await auditOf('ticket_view.delete', view.id);
    expect(audit).toBeDefined();
  });
});
