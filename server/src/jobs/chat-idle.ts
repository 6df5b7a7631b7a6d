/**
 * Closes chats the visitor has left (modules/chat `closeIdle`, setting `idleCloseMinutes`):
 * every `intervalMs`, under the `chat-idle-close` lease so one instance runs it at a time.
 * Each conversation is re-checked under its row lock, so a run that overlaps another does no
 * harm. `stop()` lets the run in hand finish.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import type { ChatService } from '../modules/chat/service.js';
import { periodicJob } from './periodic.js';
import { acquireLease, releaseLease } from './lease.js';

export const CHAT_IDLE_LEASE = 'chat-idle-close';

export function startChatIdleClose(opts: {
  db: Db;
  chat: ChatService;
  clock: Clock;
  intervalMs: number;
  leaseMs?: number;
  holder?: string;
  log?: Pick<FastifyBaseLogger, 'info' | 'error'>;
}) {
  const { db, chat, clock, intervalMs, log } = opts;
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const holder = opts.holder ?? randomUUID();
  const work = async () => {
    if (!(await acquireLease(db, CHAT_IDLE_LEASE, holder, clock.now(), leaseMs))) return 0;
    try {
      return await chat.closeIdle(clock.now());
    } finally {
      await releaseLease(db, CHAT_IDLE_LEASE, holder);
    }
  };
  return periodicJob({
    intervalMs,
    work,
    done: (closed) => {
      if (closed) log?.info({ closed }, 'idle chats closed');
    },
    failed: (err) => log?.error({ err }, 'closing idle chats failed; retrying later'),
  });
}
