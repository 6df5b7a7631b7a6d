import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from '../../lib/problem.js';
import { sanitizeFilename } from './rules/filename.js';

/** An upload written to a local temp file while it was hashed, counted and checked for UTF-8. */
export interface SpooledFile {
  path: string;
  size: number;
  sha256: string;
  /** The whole content is valid UTF-8 without NUL bytes (text has no magic bytes). */
  utf8: boolean;
  /** The first bytes as text, for telling HTML from plain text. */
  head: string;
  /** Sanitised. */
  filename: string;
  /** What the client declared (lower case, no parameters) — a hint only, never trusted. */
  declaredType: string;
  /** Removes the temp file; call it in `finally` whatever happened. */
  discard(): Promise<void>;
}

export const fileTooLarge = (maxBytes: number) =>
  new HttpProblem({
    status: 413,
    code: 'file_too_large',
    detail: `The file is larger than the limit of ${maxBytes} bytes.`,
    errors: [{ path: 'file', message: `larger than ${maxBytes} bytes`, code: 'file_too_large' }],
    extra: { maxBytes },
  });

class TooLarge extends Error {}

const HEAD_BYTES = 1024;

/** Counts, hashes and checks UTF-8 as the bytes pass; fails past `maxBytes`. */
class Inspector extends Transform {
  size = 0;
  utf8 = true;
  private readonly hash = createHash('sha256');
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private headBytes: Buffer[] = [];
  private headLength = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(new TooLarge());
    this.hash.update(chunk);
    if (this.headLength < HEAD_BYTES) {
      this.headBytes.push(chunk.subarray(0, HEAD_BYTES - this.headLength));
      this.headLength += Math.min(chunk.length, HEAD_BYTES - this.headLength);
    }
    if (this.utf8) {
      try {
        this.decoder.decode(chunk, { stream: true });
        if (chunk.includes(0)) this.utf8 = false;
      } catch {
        this.utf8 = false;
      }
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback) {
    if (this.utf8) {
      try {
        this.decoder.decode();
      } catch {
        this.utf8 = false;
      }
    }
    done();
  }

  get sha256() {
    return this.hash.digest('hex');
  }

  get head() {
    return Buffer.concat(this.headBytes).toString('utf8');
  }
}

/**
 * Writes `source` to a new temp file in `dir`. Past `maxBytes` it stops, removes the file and
 * throws 413 — a refused upload leaves nothing behind.
 */
export async function spool(
  source: Readable,
  dir: string,
  maxBytes: number,
  meta: { filename: string; declaredType: string },
): Promise<SpooledFile> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `upload-${randomBytes(12).toString('hex')}`);
  const discard = () => rm(path, { force: true });
  const inspector = new Inspector(maxBytes);
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  try {
    await pipeline(source, inspector, out);
  } catch (err) {
    // The file may still be opening: remove it only once the stream has closed.
    await closed(out);
    await discard();
    throw err instanceof TooLarge ? fileTooLarge(maxBytes) : err;
  }
  // busboy cuts the stream at its own limit (maxBytes + 1) without an error.
  if ((source as Readable & { truncated?: boolean }).truncated || inspector.size > maxBytes) {
    await discard();
    throw fileTooLarge(maxBytes);
  }
  return {
    path,
    size: inspector.size,
    sha256: inspector.sha256,
    utf8: inspector.utf8,
    head: inspector.head,
    filename: sanitizeFilename(meta.filename),
    declaredType: meta.declaredType.split(';')[0]!.trim().toLowerCase(),
    discard,
  };
}

/** Resolves once a write stream has released its file (after an error, too). */
export const closed = (stream: WriteStream) =>
  new Promise<void>((resolve) => {
    if (stream.closed) resolve();
    else stream.once('close', () => resolve());
  });

const badRequest = (code: string, detail: string, message: string) =>
  new HttpProblem({
    status: 400,
    code,
    detail,
    errors: [{ path: 'file', message, code }],
  });

/** 400 unless the request is `multipart/form-data` (checked before any record is looked up). */
export function requireMultipart(req: FastifyRequest): void {
  if (!req.isMultipart()) {
    throw badRequest(
      'multipart_required',
      'Send the file as multipart/form-data in a part named "file".',
      'required',
    );
  }
}

/**
 * Reads a `multipart/form-data` request holding one part named `file` (plus small text
 * fields, before or after it) and spools the file. Throws 400 without a file, 413 past
 * `maxBytes`. The caller owns the returned file: `discard()` it when done.
 */
export async function receiveUpload(
  req: FastifyRequest,
  opts: { maxBytes: number; spoolDir: string },
): Promise<{ file: SpooledFile; fields: Record<string, string> }> {
  requireMultipart(req);
  const fields: Record<string, string> = {};
  let file: SpooledFile | undefined;
  try {
    const parts = req.parts({
      limits: { fileSize: opts.maxBytes + 1, files: 1, fields: 10, fieldSize: 2000, parts: 12 },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw badRequest('unknown_part', `Unexpected file part "${part.fieldname}".`, 'unknown');
        }
        file = await spool(part.file, opts.spoolDir, opts.maxBytes, {
          filename: part.filename,
          declaredType: part.mimetype,
        });
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (err) {
    await file?.discard();
    throw toUploadProblem(err, opts.maxBytes);
  }
  if (!file) throw badRequest('file_required', 'No part named "file" was sent.', 'required');
  return { file, fields };
}

function toUploadProblem(err: unknown, maxBytes: number): unknown {
  if (err instanceof HttpProblem) return err;
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return fileTooLarge(maxBytes);
    case 'FST_FILES_LIMIT':
      return badRequest('too_many_files', 'Send one file per request.', 'too_many');
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return badRequest('too_many_parts', 'The form has too many parts.', 'too_many');
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return badRequest('malformed_multipart', 'The multipart body is malformed.', 'invalid');
  }
  if (
    err instanceof Error &&
    /multipart|boundary|part terminated|unexpected end/i.test(err.message)
  )
    return badRequest('malformed_multipart', 'The multipart body is malformed.', 'invalid');
  return err;
}
