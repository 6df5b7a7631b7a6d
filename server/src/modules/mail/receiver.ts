/**
 * The built-in SMTP receiver (issue 13): off by default; an administrator turns it on and picks
 * host and port in Settings › Inbound mail. Every message goes through the intake queue
 * (`intake-queue.ts`: messages arriving together share one transaction); the SMTP transaction
 * is answered 250 only after the message's ticket committed, and 451 (try again later) when it
 * could not be, so the sending server retries and nothing is lost.
 */
import type { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { AttachmentStorage } from '../attachments/storage.js';
import { getInboundSettings, ingestMessage } from './inbound.js';
import { createIntakeQueue } from './intake-queue.js';

export interface ReceiverState {
  listening: boolean;
  port: number | null;
  error: string | null;
}

export interface SmtpReceiver {
  /** Starts, restarts or stops the receiver to match the stored settings. */
  reconcile(): Promise<ReceiverState>;
  state(): ReceiverState;
  stop(): Promise<void>;
}

export function createSmtpReceiver(opts: {
  db: Db;
  clock: Clock;
  log?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** Where attachments of received mail are stored. */
  storage?: AttachmentStorage;
}): SmtpReceiver {
  const { db, clock, log, storage } = opts;
  let server: SMTPServer | null = null;
  let bound: { host: string; port: number; maxBytes: number } | null = null;
  let state: ReceiverState = { listening: false, port: null, error: null };
  let chain: Promise<unknown> = Promise.resolve();
  // Messages arriving together are registered together (one transaction a batch).
  const queue = createIntakeQueue(db, clock);

  const close = async () => {
    const s = server;
    server = null;
    bound = null;
    state = { listening: false, port: null, error: null };
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  const open = async (host: string, port: number, maxBytes: number) => {
    // Loaded when an administrator turns the receiver on, not at every start.
    const { SMTPServer: Server } = await import('smtp-server');
    const s = new Server({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      banner: 'Kefu mail intake',
      size: maxBytes,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', (err) => callback(err));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
            // Recorded (first 64 KiB) with the reason, then refused permanently.
            ingestMessage(db, clock.now(), raw, { source: 'smtp', arrivedAt: clock.now(), storage })
              .catch(() => undefined)
              .finally(() =>
                callback(Object.assign(new Error('552 message too large'), { responseCode: 552 })),
              );
            return;
          }
          queue
            .push({ raw, src: { source: 'smtp', arrivedAt: clock.now(), storage } })
            .then(() => callback())
            .catch((err: unknown) => {
              log?.error(
                { err, session: session.id },
                'inbound mail not processed; sender told to retry',
              );
              callback(Object.assign(new Error('451 try again later'), { responseCode: 451 }));
            });
        });
      },
    });
    s.on('error', (err: Error) => {
      state = { ...state, error: err.message };
      log?.warn({ err }, 'SMTP receiver error');
    });
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.listen(port, host, () => {
        s.server.off('error', reject);
        resolve();
      });
    });
    server = s;
    bound = { host, port, maxBytes };
    const addr = s.server.address() as AddressInfo;
    state = { listening: true, port: addr.port, error: null };
    log?.info({ port: addr.port }, 'SMTP receiver listening');
  };

  const reconcileNow = async (): Promise<ReceiverState> => {
    const s = await getInboundSettings(db);
    const wanted = s.smtpEnabled
      ? { host: s.smtpHost, port: s.smtpPort, maxBytes: s.maxMessageBytes }
      : null;
    const same =
      wanted &&
      bound &&
      wanted.host === bound.host &&
      wanted.port === bound.port &&
      wanted.maxBytes === bound.maxBytes;
    if (same) return state;
    await close();
    if (wanted) {
      try {
        await open(wanted.host, wanted.port, wanted.maxBytes);
      } catch (err) {
        state = { listening: false, port: null, error: (err as Error).message };
        log?.warn({ err }, 'SMTP receiver could not listen');
      }
    }
    return state;
  };

  return {
    reconcile() {
      const next = chain.then(reconcileNow, reconcileNow);
      chain = next.catch(() => undefined);
      return next;
    },
    state: () => state,
    async stop() {
      await chain;
      await close();
      await queue.idle();
    },
  };
}
