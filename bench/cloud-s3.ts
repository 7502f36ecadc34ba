import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream, createWriteStream, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Request } from '../test/support/s3-server';
import { S3Process } from './s3-process';

/**
 * The bench's own S3 client for bench/cloud.bench.ts: the bare lib-storage upload the service's is
 * compared with, and the object copies the local restore starts from. Built as the service builds
 * its client (src/backups/storage/s3-backup-storage.ts: path style, checksums only where required).
 */
export function bareClient(s3: S3Process): S3Client {
  const env = s3.env();
  return new S3Client({
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: true,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export interface UploadSpan {
  bytes: number;
  /** From the first request of the upload to the end of its last answer, as the S3 server saw them. */
  ms: number;
  requests: number;
}

/**
 * The span of one object's upload at the S3 server: its PUT and POST requests (PutObject, or
 * CreateMultipartUpload, UploadPart… and CompleteMultipartUpload), first start to last end.
 */
export function uploadSpan(requests: S3Request[], key: string, bytes: number): UploadSpan {
  const mine = requests.filter((r) => (r.method === 'PUT' || r.method === 'POST') && decodeURIComponent(r.url.split('?')[0]).endsWith(key));
  if (mine.length === 0) throw new Error(`the S3 server saw no upload of ${key}`);
  const start = Math.min(...mine.map((r) => r.startMs));
  const end = Math.max(...mine.map((r) => r.endMs));
  return { bytes, ms: end - start, requests: mine.length };
}

/** A lib-storage Upload of `file` to `key`, streamed from disk, with `partSize` and `queueSize` (undefined: lib-storage's defaults, 5 MiB × 4). */
export async function bareUpload(client: S3Client, bucket: string, key: string, file: string, partSize?: number, queueSize?: number): Promise<number> {
  const start = performance.now();
  await new Upload({
    client,
    params: { Bucket: bucket, Key: key, Body: createReadStream(file), ContentType: 'application/octet-stream' },
    ...(partSize ? { partSize } : {}),
    ...(queueSize ? { queueSize } : {}),
    leavePartsOnError: false,
  }).done();
  return performance.now() - start;
}

/** Every object under `prefix/` copied to `dir` (keys' `/` as subfolders, as LocalBackupStorage keeps them): objects and bytes. */
export async function mirrorToFolder(client: S3Client, bucket: string, prefix: string, dir: string): Promise<{ objects: number; bytes: number }> {
  let token: string | undefined;
  let objects = 0;
  let bytes = 0;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const out = join(dir, o.Key!.slice(prefix.length + 1));
      await download(client, bucket, o.Key!, out);
      objects += 1;
      bytes += statSync(out).size;
    }
    token = page.NextContinuationToken;
  } while (token);
  return { objects, bytes };
}

export async function download(client: S3Client, bucket: string, key: string, out: string): Promise<void> {
  mkdirSync(dirname(out), { recursive: true });
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  await pipeline(res.Body as Readable, createWriteStream(out));
}

/** Requests that write to the store (PUT: objects, parts; POST: multipart create/complete; DELETE), by what they wrote. */
export function writesByKind(requests: S3Request[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const r of requests) {
    if (r.method !== 'PUT' && r.method !== 'POST' && r.method !== 'DELETE') continue;
    const path = decodeURIComponent(r.url.split('?')[0]);
    const what = /\.L\d\.gvseg$/.test(path) ? 'merged segment' : path.endsWith('.gvseg') ? 'segment' : path.endsWith('.claim') ? 'epoch claim' : path.endsWith('.gvbk') ? 'backup' : 'other';
    const name = `${r.method} ${what}`;
    kinds[name] = (kinds[name] ?? 0) + 1;
  }
  return kinds;
}

/** Requests that read (GET and HEAD; a LIST is a GET on the bucket). */
export const readRequests = (requests: S3Request[]) => requests.filter((r) => r.method === 'GET' || r.method === 'HEAD').length;

export const putRequests = (requests: S3Request[]) => requests.filter((r) => r.method === 'PUT').length;
