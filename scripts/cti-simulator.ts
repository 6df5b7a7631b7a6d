/**
 * Drives the CTI webhook of a running Kefu for demos:
 *
 *   node --import tsx scripts/cti-simulator.ts ring --agent agent@example.com --caller 13800138000
 *   node --import tsx scripts/cti-simulator.ts demo --calls 20
 *
 * Options (or environment): --url (KEFU_URL, default http://127.0.0.1:3000), --provider
 * (CTI_PROVIDER, default "sim"), --secret (CTI_SECRET: the provider's secret set under
 * Admin → Phone). `ring` leaves the call ringing (a screen pop); `answer`/`end`/`miss` need
 * --call <callId>; `demo` places a mix of answered and missed calls.
 */
import { parseArgs } from 'node:util';
import { CtiSimulator, fetchSender } from '../server/src/modules/calls/simulator.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: process.env.KEFU_URL ?? 'http://127.0.0.1:3000' },
    provider: { type: 'string', default: process.env.CTI_PROVIDER ?? 'sim' },
    secret: { type: 'string', default: process.env.CTI_SECRET ?? '' },
    agent: { type: 'string' },
    caller: { type: 'string', default: '13800138000' },
    queue: { type: 'string', default: 'hotline' },
    call: { type: 'string' },
    calls: { type: 'string', default: '10' },
  },
});

if (!values.secret) {
  console.error('Set --secret (or CTI_SECRET) to the provider secret from Admin → Phone.');
  process.exit(2);
}
const sim = new CtiSimulator({
  send: fetchSender(values.url),
  provider: values.provider,
  secret: values.secret,
});
const command = positionals[0] ?? 'ring';
const base = { callerNumber: values.caller, queue: values.queue, agent: values.agent ?? null };

async function main() {
  switch (command) {
    case 'ring': {
      const callId = await sim.call({ ...base, agent: values.agent, outcome: 'ringing' });
      console.log(`ringing: ${callId}`);
      return;
    }
    case 'answer':
    case 'end':
    case 'miss': {
      if (!values.call) throw new Error('--call <callId> is needed');
      const type = command === 'answer' ? 'answered' : command === 'end' ? 'ended' : 'missed';
      const r = await sim.post({ ...base, callId: values.call, type });
      console.log(r.status, JSON.stringify(r.json));
      return;
    }
    case 'demo': {
      const n = Number(values.calls);
      for (let i = 0; i < n; i += 1) {
        const outcome = i % 7 === 3 ? 'missed' : 'answered';
        const caller = `1380013${String(8000 + i).padStart(4, '0')}`;
        await sim.call({
          ...base,
          agent: values.agent,
          callerNumber: caller,
          outcome,
          answerAfterMs: 3_000 + (i % 5) * 4_000,
        });
        console.log(`${outcome}: ${caller}`);
      }
      return;
    }
    default:
      throw new Error(`unknown command ${command} (ring | answer | end | miss | demo)`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
