import type { FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';

/** A widget connection in tests: every frame it received, and a way to wait for one. */
export interface VisitorSocket {
  ws: WebSocket;
  frames: Record<string, unknown>[];
  send(frame: unknown): void;
  waitFor(
    pred: (f: Record<string, unknown>) => boolean,
    ms?: number,
  ): Promise<Record<string, unknown>>;
  close(): void;
}

const bases = new WeakMap<FastifyInstance, string>();

/** The app on a real port (injectWS sends a version header `ws` refuses), once per app. */
export async function baseUrl(app: FastifyInstance): Promise<string> {
  let base = bases.get(app);
  if (!base) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    base = `ws://127.0.0.1:${addr.port}`;
    bases.set(app, base);
  }
  return base;
}

export async function connect(
  app: FastifyInstance,
  path: string,
  headers?: Record<string, string>,
): Promise<VisitorSocket> {
  const ws = new WebSocket(`${await baseUrl(app)}${path}`, headers ? { headers } : undefined);
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const frames: Record<string, unknown>[] = [];
  const waiters: {
    pred: (f: Record<string, unknown>) => boolean;
    resolve: (f: Record<string, unknown>) => void;
  }[] = [];
  ws.on('message', (data: Buffer) => {
    const f = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    frames.push(f);
    for (const w of [...waiters])
      if (w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
  });
  await opened;
  return {
    ws,
    frames,
    send: (frame) => ws.send(JSON.stringify(frame)),
    waitFor: (pred, ms = 10_000) => {
      const seen = frames.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching frame; got ${JSON.stringify(frames)}`)),
          ms,
        );
        waiters.push({
          pred,
          resolve: (f) => {
            clearTimeout(timer);
            resolve(f);
          },
        });
      });
    },
    close: () => ws.terminate(),
  };
}

export const msgs = (s: VisitorSocket) =>
  s.frames
    .filter((f) => f.t === 'msg')
    .map(
      (f) => f.m as { seq: number; author: string; body: string; data: Record<string, unknown> },
    );
