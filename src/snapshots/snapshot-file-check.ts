import { Hash, createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { SnapshotEntity } from './snapshot.entity';

/**
 * Reading a stored snapshot file (`<dir>/<file>`, gzip) back, always against the sha256 recorded
 * when it was written: a file that does not match throws, and its caller marks it invalid.
 */

/** Decompresses a snapshot into `targetPath`, checking the file's sha256 as it streams. */
export async function decompressSnapshot(dir: string, snapshot: SnapshotEntity, targetPath: string): Promise<void> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(join(dir, snapshot.file)), hashing(hash), createGunzip(), createWriteStream(targetPath));
  checkDigest(snapshot, hash.digest('hex'));
}

/** Checks the file's sha256 without decompressing it. */
export async function checkSnapshotFile(dir: string, snapshot: SnapshotEntity): Promise<void> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(join(dir, snapshot.file))) hash.update(chunk as Buffer);
  checkDigest(snapshot, hash.digest('hex'));
}

function hashing(hash: Hash): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

function checkDigest(snapshot: SnapshotEntity, actual: string): void {
  if (actual !== snapshot.file_sha256) throw new Error(`checksum mismatch (file ${actual}, recorded ${snapshot.file_sha256})`);
}
