import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../../config.js';

/**
 * Where attachment bytes live. Callers only use this interface, so an S3-compatible store can
 * be added (chosen in `storageFor`) without touching them. Keys are relative paths of
 * `[a-z0-9/_.-]`, never climbing out (`..`).
 */
export interface AttachmentStorage {
  /** Stores the stream under `key`; all or nothing (a failed write leaves no object). */
  put(key: string, body: Readable): Promise<void>;
  /** The object's bytes; throws {@link StorageNotFound} when absent. */
  get(key: string): Promise<Readable>;
  /** Removes the object; absent objects are fine. */
  delete(key: string): Promise<void>;
  /** Size of the object, or null when absent. */
  stat(key: string): Promise<{ size: number } | null>;
}

export class StorageNotFound extends Error {}

const KEY = /^[a-z0-9][a-z0-9_.-]*(\/[a-z0-9][a-z0-9_.-]*)*$/;

function checkKey(key: string): string {
  if (!KEY.test(key) || key.split('/').some((p) => p === '..' || p === '.'))
    throw new Error(`invalid storage key ${JSON.stringify(key)}`);
  return key;
}

/** Content address: `sha256/ab/cd/abcd…` (two levels of fan-out keep directories small). */
export const keyForSha256 = (sha256: string) =>
  `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;

/** Files under a root directory; writes go to `tmp/` first and are renamed into place. */
export class LocalDiskStorage implements AttachmentStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string) {
    return join(this.root, checkKey(key));
  }

  /** Scratch space on the same file system, where rename is atomic. */
  private get tmpDir() {
    return join(this.root, 'tmp');
  }

  async put(key: string, body: Readable): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(this.tmpDir, { recursive: true });
    const temp = join(this.tmpDir, `put-${randomBytes(12).toString('hex')}`);
    const out = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
    try {
      await pipeline(body, out);
      await mkdir(dirname(target), { recursive: true });
      await rename(temp, target);
    } catch (err) {
      // The file may still be opening: remove it only once the stream has closed.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      await rm(temp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    if (!(await this.stat(key))) throw new StorageNotFound(key);
    return createReadStream(path);
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { size: s.size } : null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}

/** `KEFU_ATTACHMENTS_DIR`, else `<KEFU_DATA_DIR>/attachments`. */
export const attachmentsDir = (config: Config) =>
  resolve(config.KEFU_ATTACHMENTS_DIR ?? join(config.KEFU_DATA_DIR, 'attachments'));

/** Where uploads are spooled while they are checked (local even with a remote store). */
export const spoolDirFor = (config: Config) => join(attachmentsDir(config), 'tmp');

const opened = new Map<string, AttachmentStorage>();

/**
 * The storage the configuration names (one instance per directory). Local disk today; an S3
 * implementation would be chosen here from its own variables.
 */
export function storageFor(config: Config): AttachmentStorage {
  const dir = attachmentsDir(config);
  let storage = opened.get(dir);
  if (!storage) {
    storage = new LocalDiskStorage(dir);
    opened.set(dir, storage);
  }
  return storage;
}
