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
 * failure the partial file is removed, so nothing half-received is ever read as an upload.
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
  await pipeline(input, counter, createWriteStream(path));
  if (bytes === 0) throw new AppError('IMPORT.EMPTY_FILE', 'the upload is empty', 400);
  return { path, bytes, head: Buffer.concat(headParts) };
}

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
    parser.on('file', (_field, file, info) => {
      receiving = file;
      staging = stageStream(file, path, maxBytes).then((s) => ({ ...s, fileName: info.filename, contentType: info.mimeType }));
      file.on('limit', () => file.destroy(new AppError('IMPORT.TOO_LARGE', `the upload is larger than ${maxBytes} bytes`, 413, { maxBytes })));
      staging.catch(reject);
    });
    parser.on('error', () => reject(new AppError('IMPORT.MALFORMED_UPLOAD', 'the multipart form is malformed', 400)));
    parser.on('close', () => {
      if (!staging) reject(new AppError('IMPORT.NO_FILE', 'the multipart form holds no file', 400));
      else staging.then(resolve, reject);
    });
    // A client that goes away mid-form never lets the parser finish: the file being received is
    // ended with an error and, once its staging has settled, the upload fails (stageUpload then
    // removes whatever was written, even a file received whole before the form's end).
    finished(req, (error) => {
      if (!error) return;
      const cut = new AppError('IMPORT.MALFORMED_UPLOAD', 'the upload ended before its multipart form did', 400);
      receiving?.destroy(cut);
      void (staging ?? Promise.resolve()).catch(() => undefined).then(() => reject(cut));
    });
    req.pipe(parser);
  });
}
