/**
 * The weekly QA sample (SPEC chapter 7), pure and reproducible: the same candidates, seed and
 * settings always draw the same items, whatever order the candidates come in.
 *
 * - Per agent: round(percent × handled) items (half up), at least `minPerAgent`, at most handled.
 * - Stratified by channel × category: an agent's items are shared between strata in proportion
 *   to their size (whole parts first; the units left by seeded draws weighted by the remainders),
 *   so a rare channel is not always missed and a common one is not over-drawn.
 * - Within a stratum the order is a seeded 64-bit hash of the ticket id (sampleOrderKey): random,
 *   but repeatable, and the same in PostgreSQL (`uuid_hash_extended`), where the production draw
 *   runs (sampling.ts; this file is its reference).
 * - Inspectors are assigned round-robin (starting at a seeded offset), never to their own work;
 *   an item no inspector may take (the only inspector is its agent) stays unassigned.
 * Tickets already sampled must be left out of `candidates` by the caller (never sampled twice).
 */
import { createHash } from 'node:crypto';

export interface Candidate {
  ticketId: string;
  agentId: string;
  channel: string;
  category: string;
}

export interface SampleOptions {
  seed: string;
  /**
   * The order inside a stratum: 'hash64' (sampleOrderKey, the default: runs since migration
   * 0041) or 'md5' (md5Key: runs drawn before it, `qa_sample_runs.order_key`).
   */
  order?: 'hash64' | 'md5';
  percent: number;
  minPerAgent: number;
  inspectors: readonly string[];
}

export interface SampledItem extends Candidate {
  inspectorId: string | null;
}

/**
 * The seeded order of a ticket: PostgreSQL's `uuid_hash_extended(id, drawSeedKey(seed))` — Bob
 * Jenkins' lookup3 over the uuid's 16 bytes, as PostgreSQL's `hash_bytes_extended` computes it
 * (little-endian), as a signed 64-bit integer; an id that is not a uuid (pure tests) is hashed
 * over its UTF-8 bytes (`hashtextextended`). The database draw keys 250,000 tickets a week with
 * it (sampling.ts); md5 of `seed:id` cost ten times more there. Compare as bigints, then by id.
 */
export function sampleOrderKey(seed: string, ticketId: string): bigint {
  const bytes = UUID.test(ticketId)
    ? Uint8Array.from(Buffer.from(ticketId.replace(/-/g, ''), 'hex'))
    : new TextEncoder().encode(ticketId);
  return hashBytesExtended(bytes, drawSeedKey(seed));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The 64-bit hash seed of a draw's seed text: the first 16 hex digits of its md5, signed. */
export function drawSeedKey(seed: string): bigint {
  const hex = createHash('md5').update(seed, 'utf8').digest('hex').slice(0, 16);
  return BigInt.asIntN(64, BigInt(`0x${hex}`));
}

const rot = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/** PostgreSQL's hash_bytes_extended (src/common/hashfn.c) on a little-endian machine. */
export function hashBytesExtended(bytes: Uint8Array, seed: bigint): bigint {
  let len = bytes.length;
  let a = (0x9e3779b9 + len + 3923095) >>> 0;
  let b = a;
  let c = a;
  const mix = () => {
    a = ((a - c) ^ rot(c, 4)) >>> 0;
    c = (c + b) >>> 0;
    b = ((b - a) ^ rot(a, 6)) >>> 0;
    a = (a + c) >>> 0;
    c = ((c - b) ^ rot(b, 8)) >>> 0;
    b = (b + a) >>> 0;
    a = ((a - c) ^ rot(c, 16)) >>> 0;
    c = (c + b) >>> 0;
    b = ((b - a) ^ rot(a, 19)) >>> 0;
    a = (a + c) >>> 0;
    c = ((c - b) ^ rot(b, 4)) >>> 0;
    b = (b + a) >>> 0;
  };
  const s = BigInt.asUintN(64, seed);
  if (s !== 0n) {
    a = (a + Number(s >> 32n)) >>> 0;
    b = (b + Number(s & 0xffffffffn)) >>> 0;
    mix();
  }
  const word = (i: number) =>
    (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
  let i = 0;
  for (; len >= 12; i += 12, len -= 12) {
    a = (a + word(i)) >>> 0;
    b = (b + word(i + 4)) >>> 0;
    c = (c + word(i + 8)) >>> 0;
    mix();
  }
  // The last 0–11 bytes, little-endian into a, b, then c above its lowest byte.
  for (let j = 0; j < len; j++) {
    const v = bytes[i + j]!;
    if (j >= 8) c = (c + v * 2 ** (8 * (j - 7))) >>> 0;
    else if (j >= 4) b = (b + v * 2 ** (8 * (j - 4))) >>> 0;
    else a = (a + v * 2 ** (8 * j)) >>> 0;
  }
  c = ((c ^ b) - rot(b, 14)) >>> 0;
  a = ((a ^ c) - rot(c, 11)) >>> 0;
  b = ((b ^ a) - rot(a, 25)) >>> 0;
  c = ((c ^ b) - rot(b, 16)) >>> 0;
  a = ((a ^ c) - rot(c, 4)) >>> 0;
  b = ((b ^ a) - rot(a, 14)) >>> 0;
  c = ((c ^ b) - rot(b, 24)) >>> 0;
  return BigInt.asIntN(64, (BigInt(b) << 32n) | BigInt(c));
}

/** The order key of runs drawn before migration 0041: md5 of `seed:ticketId`, in hex. */
export function md5Key(seed: string, ticketId: string): string {
  return createHash('md5').update(`${seed}:${ticketId}`, 'utf8').digest('hex');
}

/** A stable pseudo-random 32-bit number for a key under the seed (first 8 hex digits of md5). */
export function seededHash(seed: string, key: string): number {
  return parseInt(createHash('md5').update(`${seed}:${key}`, 'utf8').digest('hex').slice(0, 8), 16);
}

/** How many items an agent who handled `handled` tickets gets. */
export function quotaOf(handled: number, percent: number, minPerAgent: number): number {
  if (handled <= 0) return 0;
  const share = Math.floor((handled * percent) / 100 + 0.5 + 1e-9);
  return Math.min(handled, Math.max(minPerAgent, share));
}

/** Proportional shares of `quota` between strata of the given sizes; `tieKey` is a seeded hash. */
export function allocate(
  sizes: readonly { key: string; size: number }[],
  quota: number,
  tieKey: (key: string) => number,
): Map<string, number> {
  const total = sizes.reduce((s, x) => s + x.size, 0);
  const out = new Map<string, number>();
  if (total === 0 || quota <= 0) return out;
  let given = 0;
  const rest: { key: string; rem: number; size: number }[] = [];
  for (const s of sizes) {
    const exact = (s.size * quota) / total;
    const base = Math.floor(exact + 1e-9);
    out.set(s.key, base);
    given += base;
    rest.push({ key: s.key, rem: exact - base, size: s.size });
  }
  // The units left go to strata drawn with probability in proportion to their remainders
  // (weighted sampling without replacement: key u^(1/rem), largest first), so that over weeks
  // every ticket has about the same chance, whatever the size of its stratum.
  const keyOf = (r: { key: string; rem: number }) =>
    r.rem <= 1e-9 ? -1 : Math.pow((tieKey(r.key) + 1) / 4294967297, 1 / r.rem);
  rest.sort((a, b) => keyOf(b) - keyOf(a) || (a.key < b.key ? -1 : 1));
  for (const r of rest) {
    if (given >= quota) break;
    if ((out.get(r.key) ?? 0) < r.size) {
      out.set(r.key, (out.get(r.key) ?? 0) + 1);
      given += 1;
    }
  }
  return out;
}

/** An agent's tickets in one channel × category. */
export interface Stratum {
  agentId: string;
  channel: string;
  category: string;
  size: number;
}

export interface StratumTake extends Stratum {
  take: number;
}

/**
 * How many items each stratum gives: the agent's quota (quotaOf) shared in proportion to the
 * strata (allocate). Strata giving nothing are left out. Works on counts only, so the database
 * can count the week's candidates and draw the items itself.
 */
export function planSample(
  strata: readonly Stratum[],
  opts: Pick<SampleOptions, 'seed' | 'percent' | 'minPerAgent'>,
): StratumTake[] {
  const byAgent = new Map<string, Map<string, Stratum>>();
  for (const s of strata) {
    if (s.size <= 0) continue;
    let m = byAgent.get(s.agentId);
    if (!m) byAgent.set(s.agentId, (m = new Map()));
    const key = `${s.channel}\u0000${s.category}`;
    const prev = m.get(key);
    m.set(key, prev ? { ...prev, size: prev.size + s.size } : { ...s });
  }
  const out: StratumTake[] = [];
  for (const agentId of [...byAgent.keys()].sort()) {
    const m = byAgent.get(agentId)!;
    const handled = [...m.values()].reduce((sum, s) => sum + s.size, 0);
    const shares = allocate(
      [...m.entries()].map(([key, s]) => ({ key, size: s.size })),
      quotaOf(handled, opts.percent, opts.minPerAgent),
      (key) => seededHash(opts.seed, `${agentId}\u0000${key}`),
    );
    for (const key of [...m.keys()].sort()) {
      const take = shares.get(key) ?? 0;
      if (take > 0) out.push({ ...m.get(key)!, take });
    }
  }
  return out;
}

/** The inspectors' pool (distinct, sorted) and the seeded offset the round-robin starts from. */
export function inspectorPool(inspectors: readonly string[], seed: string) {
  const pool = [...new Set(inspectors)].sort();
  return { pool, offset: pool.length ? seededHash(seed, 'inspectors') % pool.length : 0 };
}

/**
 * The inspector of the k-th item (0-based, items ordered by agent, then seeded order):
 * round-robin over the pool from the offset; for an agent who is an inspector, round-robin over
 * the others (so never their own work); null when the agent is the only inspector.
 */
export function inspectorFor(
  k: number,
  agentId: string,
  pool: readonly string[],
  offset: number,
): string | null {
  const n = pool.length;
  if (n === 0) return null;
  const own = pool.indexOf(agentId);
  if (own < 0) return pool[(offset + k) % n]!;
  if (n === 1) return null;
  const i = (offset + k) % (n - 1);
  return pool[i >= own ? i + 1 : i]!;
}

/**
 * The whole draw in memory: the reference the database draw (sampling.ts) is tested against.
 * Inside a stratum the `take` tickets first in seeded order; items ordered by agent, seeded
 * order and id; inspectors by inspectorFor.
 */
export function drawSample(candidates: readonly Candidate[], opts: SampleOptions): SampledItem[] {
  const strata = new Map<string, { c: Candidate; h: bigint }[]>();
  // md5 hex digests compare as the 128-bit numbers they spell.
  const orderKeyOf =
    opts.order === 'md5'
      ? (seed: string, id: string) => BigInt(`0x${md5Key(seed, id)}`)
      : sampleOrderKey;
  for (const c of candidates) {
    const key = `${c.agentId}\u0000${c.channel}\u0000${c.category}`;
    let list = strata.get(key);
    if (!list) strata.set(key, (list = []));
    list.push({ c, h: orderKeyOf(opts.seed, c.ticketId) });
  }
  const plan = planSample(
    [...strata.values()].map((l) => ({
      agentId: l[0]!.c.agentId,
      channel: l[0]!.c.channel,
      category: l[0]!.c.category,
      size: l.length,
    })),
    opts,
  );
  const byOrder = (a: { c: Candidate; h: bigint }, b: { c: Candidate; h: bigint }) =>
    (a.h < b.h ? -1 : a.h > b.h ? 1 : 0) || (a.c.ticketId < b.c.ticketId ? -1 : 1);
  const picked: { c: Candidate; h: bigint }[] = [];
  for (const p of plan) {
    const list = strata.get(`${p.agentId}\u0000${p.channel}\u0000${p.category}`)!;
    picked.push(...[...list].sort(byOrder).slice(0, p.take));
  }
  picked.sort(
    (a, b) => (a.c.agentId < b.c.agentId ? -1 : a.c.agentId > b.c.agentId ? 1 : 0) || byOrder(a, b),
  );
  return assignInspectors(
    picked.map((p) => p.c),
    opts.inspectors,
    opts.seed,
  );
}

/** Inspectors for items already in their order (see inspectorFor). */
export function assignInspectors(
  items: readonly Candidate[],
  inspectors: readonly string[],
  seed: string,
): SampledItem[] {
  const { pool, offset } = inspectorPool(inspectors, seed);
  return items.map((c, k) => ({ ...c, inspectorId: inspectorFor(k, c.agentId, pool, offset) }));
}
