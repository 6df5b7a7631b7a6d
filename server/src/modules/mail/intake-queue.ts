/**
 * Group commit for the SMTP receiver (docs/mail.md, "Throughput"): messages that arrive while
 * a batch is being registered wait and go together into the next one — one transaction, one
 * commit, the look-ups read once (`ingestBatch`). At most `concurrency` batches run at a time;
 * a lone message on a quiet server is registered at once, alone. Each message's promise settles
 * only after its batch committed (or with the error its own transaction threw), so the receiver
 * still answers 250 only for a committed message.
 */
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { ingestBatch, type InboundItem, type IngestResult } from './inbound.js';

interface Waiting {
  item: InboundItem;
  resolve: (r: IngestResult) => void;
  reject: (err: Error) => void;
}

export interface IntakeQueue {
  push(item: InboundItem): Promise<IngestResult>;
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
}

export function createIntakeQueue(
  db: Db,
  clock: Clock,
  opts: { maxBatch?: number; concurrency?: number } = {},
): IntakeQueue {
  const maxBatch = opts.maxBatch ?? 64;
  const concurrency = opts.concurrency ?? 2;
  const queue: Waiting[] = [];
  let running = 0;
  let idlers: (() => void)[] = [];

  const pump = () => {
    while (running < concurrency && queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      running += 1;
      ingestBatch(
        db,
        clock.now(),
        batch.map((w) => w.item),
      )
        .then(
          (results) =>
            batch.forEach((w, i) => {
              const r = results[i];
              if (r === undefined) w.reject(new Error('no result for a queued message'));
              else if (r instanceof Error) w.reject(r);
              else w.resolve(r);
            }),
          (err: unknown) => {
            const e = err instanceof Error ? err : new Error(String(err));
            for (const w of batch) w.reject(e);
          },
        )
        .finally(() => {
          running -= 1;
          pump();
        });
    }
    if (running === 0 && queue.length === 0) {
      const done = idlers;
      idlers = [];
      for (const f of done) f();
    }
  };

  return {
    push(item) {
      return new Promise<IngestResult>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      });
    },
    idle() {
      if (running === 0 && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idlers.push(resolve));
    },
  };
}
