/**
 * The loop every scheduled job shares: run `work` every `intervalMs` after the previous run ended
 * (0 = only on demand, through `runOnce`), never two runs of one job at once in this process, a
 * failed timer run logged and tried again next interval, and `stop()` waiting for a run in hand.
 * Exactly once across processes is the job's lease (lease.ts), not this loop.
 */
export interface PeriodicJob<T> {
  /** One run now (after a run in hand ends); what tests and on-demand buttons call. */
  runOnce(): Promise<T>;
  /** No further runs; resolves when a run in hand has ended. */
  stop(): Promise<void>;
}

export interface PeriodicOptions<T> {
  intervalMs: number;
  /** One run; `stopped()` turns true when stop() was called, for long runs to end early. */
  work: (stopped: () => boolean) => Promise<T>;
  /** After every successful run (log what it did). */
  done?: (result: T) => void;
  /** A timer run failed (runOnce callers get the error instead). */
  failed: (err: unknown) => void;
  /** Whether the timer starts at all (default: intervalMs > 0). */
  enabled?: boolean;
}

export function periodicJob<T>(opts: PeriodicOptions<T>): PeriodicJob<T> {
  const { intervalMs } = opts;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<T> | undefined;
  const isStopped = () => stopped;

  const run = async (): Promise<T> => {
    if (running) await running.catch(() => undefined);
    running = opts.work(isStopped);
    try {
      const result = await running;
      opts.done?.(result);
      return result;
    } finally {
      running = undefined;
    }
  };

  const schedule = () => {
    timer = setTimeout(() => {
      timer = undefined;
      run()
        .catch(opts.failed)
        .finally(() => {
          if (!stopped) schedule();
        });
    }, intervalMs);
    timer.unref();
  };
  if (opts.enabled ?? intervalMs > 0) schedule();

  return {
    runOnce: run,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
