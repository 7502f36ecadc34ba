import busboy from 'busboy';
import { Request } from 'express';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { finished, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../common/app-error';

export interface StagedUpload {
  path: string;
  bytes: number;
  /** The first bytes, for recognising the format by content. */
  head: Buffer;
  fileName?: string;
  contentType?: string;
}

const HEAD_BYTES = 4096;

/**
 * Streams a request body to `path` (a raw body, or the first file of a multipart form), counting
 * bytes and refusing more than `maxBytes` with 413. Memory stays flat whatever the size. On any
 * failure the partial file is removed, so nothing half-received is ever read as an upload; the
 * staging settles only once its file is closed, so the removal never runs before the file exists.
 */
export async function stageUpload(req: Request, path: string, maxBytes: number): Promise<StagedUpload> {
  const contentType = req.headers['content-type'];
  try {
    if (contentType?.startsWith('multipart/form-data')) return await stageMultipart(req, path, maxBytes);
    const staged = await stageStream(req, path, maxBytes);
    return { ...staged, contentType };
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
}

async function stageStream(input: Readable, path: string, maxBytes: number): Promise<{ path: string; bytes: number; head: Buffer }> {
  let bytes = 0;
  const headParts: Buffer[] = [];
  let headBytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) return done(new AppError('IMPORT.TOO_LARGE', `the upload is larger than ${maxBytes} bytes`, 413, { maxBytes }));
      if (headBytes < HEAD_BYTES) {
        headParts.push(chunk.subarray(0, HEAD_BYTES - headBytes));
        headBytes += Math.min(chunk.length, HEAD_BYTES - headBytes);
      }
      done(null, chunk);
    },
  });
  // pipeline() rejects on the first error without waiting for a write stream still opening its
  // file: the file may be created after the caller's removal. The file's close is awaited first.
  const output = createWriteStream(path);
  const closed = new Promise<void>((resolve) => output.once('close', () => resolve()));
  try {
    await pipeline(input, counter, output);
  } finally {
    output.destroy();
    await closed;
  }
  if (bytes === 0) throw new AppError('IMPORT.EMPTY_FILE', 'the upload is empty', 400);
  return { path, bytes, head: Buffer.concat(headParts) };
}

/**
 * The first file of a multipart form, staged. Whatever ends the form (its end, a parser error, the
 * client going away, a size limit), the promise settles only once the staging of the file being
 * received has settled, its file closed: so stageUpload's removal always comes after the file's
 * creation, never before it (a parser error used to reject at once while the file was still being
 * opened, and the file was created after its removal). After a failure no further file part is
 * staged: it is drained unread.
 */
function stageMultipart(req: Request, path: string, maxBytes: number): Promise<StagedUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes } });
    } catch {
      reject(new AppError('IMPORT.MALFORMED_UPLOAD', 'the multipart form is malformed', 400));
      return;
    }
    let staging: Promise<StagedUpload> | null = null;
    let receiving: Readable | null = null;
    let failed = false;
    const settled = () => (staging ?? Promise.resolve()).catch(() => undefined);
    // The first failure wins: the file being received is ended with it, and the promise rejects
    // with it once that file's staging has settled (its write stream closed).
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      receiving?.destroy(error instanceof Error ? error : undefined);
      void settled().then(() => reject(error));
    };
    parser.on('file', (_field, file, info) => {
      if (failed || staging) {
        file.resume();
        return;
      }
      receiving = file;
      file.on('limit', () => file.destroy(new AppError('IMPORT.TOO_LARGE', `the upload is larger than ${maxBytes} bytes`, 413, { maxBytes })));
      staging = stageStream(file, path, maxBytes).then((s) => ({ ...s, fileName: info.filename, contentType: info.mimeType }));
      staging.catch(fail);
    });
    parser.on('error', () => fail(new AppError('IMPORT.MALFORMED_UPLOAD', 'the multipart form is malformed', 400)));
    parser.on('close', () => {
      if (failed) return;
      if (!staging) fail(new AppError('IMPORT.NO_FILE', 'the multipart form holds no file', 400));
      else staging.then(resolve, () => undefined); // a failed staging rejects through fail()
    });
    // A client that goes away mid-form never lets the parser finish: the file being received is
    // ended with an error and, once its staging has settled, the upload fails (stageUpload then
    // removes whatever was written, even a file received whole before the form's end).
    finished(req, (error) => {
      if (error) fail(new AppError('IMPORT.MALFORMED_UPLOAD', 'the upload ended before its multipart form did', 400));
    });
    req.pipe(parser);
  });
}
