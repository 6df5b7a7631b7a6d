import { LRUCache } from 'lru-cache';
import type { Actor } from '../../access/actor.js';
import type { UserView } from '../users/schemas.js';

interface Entry {
  actor: Actor;
  /** When the session or token itself expires (checked against the injected clock). */
  expiresAt: Date;
  /** The presented user, filled on first use by GET /me. */
  user?: UserView;
}

/**
 * Who is behind a session cookie or API token, remembered for a few seconds so an ordinary
 * request needs no database round trip to authenticate. Everything that changes a user, ends a
 * session or renames a team drops the affected entries in this process at once; another server
 * process sees the change within the cache's TTL (KEFU_AUTH_CACHE_SECONDS, 0 disables it).
 * Process-wide on purpose: like a connection pool, it belongs to the process, not a request.
 */
class PrincipalCache {
  #lru = new LRUCache<string, Entry>({ max: 20_000, ttl: 5_000 });
  #enabled = true;

  configure(ttlSeconds: number): void {
    this.#enabled = ttlSeconds > 0;
    this.#lru = new LRUCache<string, Entry>({ max: 20_000, ttl: Math.max(ttlSeconds, 1) * 1000 });
  }

  get(key: string, now: Date): Entry | undefined {
    const entry = this.#enabled ? this.#lru.get(key) : undefined;
    if (entry && entry.expiresAt <= now) {
      this.#lru.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, actor: Actor, expiresAt: Date): void {
    if (this.#enabled) this.#lru.set(key, { actor, expiresAt });
  }

  /** The user's presented view, loaded once per entry. */
  async user(
    key: string | undefined,
    load: () => Promise<UserView | null>,
  ): Promise<UserView | null> {
    const entry = key ? this.#lru.get(key) : undefined;
    if (entry?.user) return entry.user;
    const user = await load();
    if (entry && user) entry.user = user;
    return user;
  }

  forget(key: string): void {
    this.#lru.delete(key);
  }

  forgetUser(userId: string): void {
    for (const [key, entry] of this.#lru.entries())
      if (entry.actor.userId === userId) this.#lru.delete(key);
  }

  clear(): void {
    this.#lru.clear();
  }
}

export const principalCache = new PrincipalCache();
