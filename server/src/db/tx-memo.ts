/**
 * Reference look-ups read once per transaction, for transactions that ask for it: mail intake
 * registers many tickets in one transaction (docs/mail.md, "Throughput"), and each would
 * otherwise read the same category, custom-field definitions, calendar and SLA policy again.
 * A transaction that changes those rows must not enable it; no other transaction is affected
 * (without `enableTxMemo` every look-up reads as before).
 */
import type { Executor } from './client.js';

const memos = new WeakMap<object, Map<string, Promise<unknown>>>();

export function enableTxMemo(tx: Executor): void {
  memos.set(tx, new Map());
}

/** `keep(value)` false: the value is not remembered (e.g. "none yet" before a seeding). */
export function txMemo<T>(
  ex: Executor,
  key: string,
  load: () => Promise<T>,
  keep: (value: T) => boolean = () => true,
): Promise<T> {
  const memo = memos.get(ex);
  if (!memo) return load();
  let hit = memo.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = load();
    memo.set(key, hit);
    hit.then(
      (value) => {
        if (!keep(value)) memo.delete(key);
      },
      () => memo.delete(key),
    );
  }
  return hit;
}
