/**
 * Secrets at rest (IMAP passwords, alert channel URLs and keys): AES-256-GCM with a key from
 * KEFU_SECRET_KEY (any string of at least 32 characters; the key is its SHA-256). Without it — demo and development — a random
 * key is generated once into `<KEFU_DATA_DIR>/secret.key` (mode 600) with a warning: whoever has
 * that file and the database can read the secrets, so production sets KEFU_SECRET_KEY.
 * Stored form: `enc:v1:` + base64(iv 12 bytes | tag 16 bytes | ciphertext).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config.js';

export const SECRET_PREFIX = 'enc:v1:';
const PREFIX = SECRET_PREFIX;

/** Empty stays empty ("no secret"); anything else is sealed. */
export const sealSecret = (key: SecretKey, plain: string) =>
  plain === '' ? '' : encryptSecret(key, plain);
export type SecretKey = Buffer;

const keys = new Map<string, SecretKey>();

export function secretKeyFor(
  config: Pick<Config, 'KEFU_SECRET_KEY' | 'KEFU_DATA_DIR'>,
  log?: { warn(msg: string): void },
): SecretKey {
  if (config.KEFU_SECRET_KEY)
    return createHash('sha256').update(config.KEFU_SECRET_KEY, 'utf8').digest();
  const file = resolve(join(config.KEFU_DATA_DIR, 'secret.key'));
  const cached = keys.get(file);
  if (cached) return cached;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process wrote it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key (base64)`);
  log?.warn(
    `KEFU_SECRET_KEY is not set: stored secrets (mailbox passwords, alert channel keys) are encrypted with the generated key in ${file}; set KEFU_SECRET_KEY in production`,
  );
  keys.set(file, key);
  return key;
}

export const isEncrypted = (stored: string) => stored.startsWith(PREFIX);

export function encryptSecret(key: SecretKey, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Plain (not yet migrated) values pass through; a wrong key or altered value throws. */
export function decryptSecret(key: SecretKey, stored: string): string {
  if (!isEncrypted(stored)) return stored;
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
