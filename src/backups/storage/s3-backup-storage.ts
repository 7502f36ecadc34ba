import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { AppError } from '../../common/app-error';
import { BackupStorage, ObjectBody, StoredObject, byKey, checkKey, checkPrefix, isValidKey, openBody, storedObjectNotFound } from './backup-storage';
import { isTransientStorageError, storageAccessDenied, storageBucketNotFound, storageUnavailable } from './storage-errors';

export interface S3Settings {
  bucket: string;
  /** Without leading or trailing `/`; '' for the bucket's root. */
  prefix: string;
  /** Unset: AWS itself. */
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  /** Unset: the SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Whole-upload attempts when the body can be reopened (a stream body gets one). */
  uploadAttempts?: number;
  /** First wait between two whole-upload attempts, doubled each time. */
  retryDelayMs?: number;
}

/** 8 MiB parts, two in flight: an upload holds about 16-24 MiB whatever the object's size. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

/**
 * Objects in an S3-compatible bucket under a prefix (AWS, MinIO, R2, B2, Supabase Storage).
 * - `put` streams a multipart upload (lib-storage's Upload, bounded queue) and is complete-or-absent:
 *   an object under the key exists only once PutObject or CompleteMultipartUpload succeeded, and a
 *   failed multipart upload is aborted (its parts removed). A transient failure restarts the whole
 *   upload from a reopened body (a stream cannot be replayed), with backoff.
 * - Each request is retried by the SDK's standard strategy (5xx, throttling, timeouts, resets);
 *   a wrong credential or a missing bucket is not retried: STORAGE.ACCESS_DENIED /
 *   STORAGE.BUCKET_NOT_FOUND at once.
 * - Off AWS, the SDK's default CRC checksums (aws-chunked trailers) break some stores, so checksums
 *   are sent and checked only where the API requires them; the backup format carries its own sha256.
 */
export class S3BackupStorage extends BackupStorage {
  private readonly client: S3Client;
  private readonly name: string;

  constructor(private readonly settings: S3Settings) {
    super();
    const offAws = settings.endpoint !== undefined;
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials: settings.credentials,
      maxAttempts: 4,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
      requestChecksumCalculation: offAws ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
      responseChecksumValidation: offAws ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
    });
    this.name = `s3://${settings.bucket}${settings.prefix ? `/${settings.prefix}` : ''}`;
  }

  describe(): string {
    return this.name;
  }

  async put(key: string, body: ObjectBody): Promise<StoredObject> {
    const target = this.objectKey(checkKey(key));
    const attempts = typeof body === 'function' ? (this.settings.uploadAttempts ?? 3) : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const upload = new Upload({
          client: this.client,
          params: { Bucket: this.settings.bucket, Key: target, Body: openBody(body), ContentType: 'application/octet-stream' },
          partSize: PART_SIZE,
          queueSize: QUEUE_SIZE,
          leavePartsOnError: false,
        });
        await upload.done();
        break;
      } catch (error) {
        const mapped = this.mapError(error);
        if (attempt >= attempts || !isTransientStorageError(mapped)) throw mapped;
        await sleep((this.settings.retryDelayMs ?? 250) * 2 ** (attempt - 1));
      }
    }
    const stored = await this.stat(key);
    if (!stored) throw storageUnavailable(this.name, `${key} was uploaded but is not listed`);
    return stored;
  }

  async get(key: string): Promise<Readable> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(checkKey(key)) }));
      return out.Body as Readable;
    } catch (error) {
      throw this.mapError(error, key);
    }
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(checkKey(key)) }));
      return { key, size: out.ContentLength ?? 0, modifiedAt: (out.LastModified ?? new Date(0)).toISOString() };
    } catch (error) {
      const mapped = this.mapError(error, key);
      if ((mapped as { code?: string }).code === 'BACKUP.NOT_FOUND') return null;
      throw mapped;
    }
  }

  async list(prefix = ''): Promise<StoredObject[]> {
    const base = this.settings.prefix ? `${this.settings.prefix}/` : '';
    const objects: StoredObject[] = [];
    let token: string | undefined;
    do {
      try {
        const page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: base + checkPrefix(prefix), ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) {
          const key = o.Key!.slice(base.length);
          // Objects another tool put under the prefix with names this service never writes are not its objects.
          if (!isValidKey(key)) continue;
          objects.push({ key, size: o.Size ?? 0, modifiedAt: (o.LastModified ?? new Date(0)).toISOString() });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } catch (error) {
        throw this.mapError(error);
      }
    } while (token);
    return objects.sort(byKey);
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(checkKey(key)) }));
    } catch (error) {
      const mapped = this.mapError(error, key);
      if ((mapped as { code?: string }).code !== 'BACKUP.NOT_FOUND') throw mapped;
    }
  }

  /** Closes the SDK's connections. */
  destroy(): void {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    return this.settings.prefix ? `${this.settings.prefix}/${key}` : key;
  }

  /** The SDK's failure as one of the port's typed errors (guarantee 5 of BackupStorage). */
  private mapError(error: unknown, key?: string): Error {
    if (error instanceof AppError) return error;
    const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    const reason = `${e.name ?? 'Error'}${status ? ` ${status}` : ''}: ${e.message ?? String(error)}`;
    if (e.name === 'NoSuchBucket') return storageBucketNotFound(this.name, reason);
    if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'Forbidden', 'CredentialsProviderError', 'InvalidToken', 'ExpiredToken'].includes(e.name ?? '') || status === 403 || status === 401) {
      return storageAccessDenied(this.name, reason);
    }
    if (key !== undefined && (e.name === 'NoSuchKey' || e.name === 'NotFound' || status === 404)) return storedObjectNotFound(key);
    if (status === 404) return storageBucketNotFound(this.name, reason);
    return storageUnavailable(this.name, reason);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
