import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

/**
 * Chat events between server instances (docs/chat.md): Redis pub/sub when REDIS_URL is set,
 * in-process otherwise. Topics: `conv:<id>` (one conversation) and `agents` (the queue).
 * Events carry no personal data beyond the message itself.
 */
export interface ChatEvent {
  t: string;
  [k: string]: unknown;
}

export interface ChatBus {
  publish(topic: string, event: ChatEvent): Promise<void>;
  subscribe(topic: string, fn: (e: ChatEvent) => void): () => void;
  close(): Promise<void>;
}

export class LocalBus implements ChatBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  async publish(topic: string, event: ChatEvent) {
    this.emitter.emit(topic, event);
  }
  subscribe(topic: string, fn: (e: ChatEvent) => void) {
    this.emitter.on(topic, fn);
    return () => void this.emitter.off(topic, fn);
  }
  async close() {
    this.emitter.removeAllListeners();
  }
}

const PREFIX = 'kefu:chat:';

/** One publishing and one subscribing connection per instance; channels are reference-counted. */
export class RedisBus implements ChatBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly local = new LocalBus();
  private readonly counts = new Map<string, number>();

  constructor(url: string) {
    this.pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.sub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.sub.on('message', (channel: string, message: string) => {
      if (!channel.startsWith(PREFIX)) return;
      try {
        void this.local.publish(channel.slice(PREFIX.length), JSON.parse(message) as ChatEvent);
      } catch {
        // A message that is not JSON is not ours.
      }
    });
    // Errors reconnect on their own; without a listener ioredis would log them as unhandled.
    this.pub.on('error', () => {});
    this.sub.on('error', () => {});
  }

  async publish(topic: string, event: ChatEvent) {
    await this.pub.publish(PREFIX + topic, JSON.stringify(event));
  }

  /** Resolves once Redis confirmed the subscription (tests wait for it). */
  ready(topic: string) {
    return this.sub.subscribe(PREFIX + topic);
  }

  subscribe(topic: string, fn: (e: ChatEvent) => void) {
    const n = this.counts.get(topic) ?? 0;
    this.counts.set(topic, n + 1);
    if (n === 0) void this.sub.subscribe(PREFIX + topic).catch(() => {});
    const off = this.local.subscribe(topic, fn);
    return () => {
      off();
      const left = (this.counts.get(topic) ?? 1) - 1;
      if (left > 0) this.counts.set(topic, left);
      else {
        this.counts.delete(topic);
        void this.sub.unsubscribe(PREFIX + topic).catch(() => {});
      }
    };
  }

  async close() {
    await this.local.close();
    this.sub.disconnect();
    this.pub.disconnect();
  }
}

export const createBus = (redisUrl: string | undefined): ChatBus =>
  redisUrl ? new RedisBus(redisUrl) : new LocalBus();
