import { INestApplicationContext } from '@nestjs/common';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { DataDirLock } from '../../events/sqlite/data-dir-lock';
import { EventStore } from '../../events/event-store';
import { JobRunner } from '../../jobs/job-runner';
import { RestoreService } from '../../recovery/restore.service';
import type { RestoreTarget } from '../../domain/restore';
import { BackupService } from '../../backups/catalog/backup.service';
import { BackupUpload } from '../../backups/writing/backup-upload';
import { BackupStorages } from '../../backups/storage/backup-storages';
import { confirm, integer, isoTime } from '../command-context';
import { ProgressView, settled } from '../job-progress';
import { CliError, EXIT, Output } from '../output';
import { describeCounts } from '../restore-target';
import { BackupSource, bootOffline, sourceOf } from './offline-app';

interface Step {
  target: RestoreTarget;
  restoreId: string;
  jobId: string;
  result: unknown;
}

/**
 * `globe-vault restore --data-dir <dir> --backup <file|storage url> [--at <time>]`: the disaster
 * restore, with no server running. It boots the application in this process on that DATA_DIR (no
 * HTTP listener; the DATA_DIR lock refuses a directory a server holds) and takes the same path a
 * server takes: the backup is uploaded (a file) or found in its storage (a URL), verified, restored
 * (on an empty DATA_DIR adopting its history), then, with --at or --position, restored again to
 * that point of the history. Without --backup, --at/--position restore from the continuous
 * archive (ARCHIVE_STORAGE), as an empty server would.
 */
export async function offlineRestore(out: Output, opts: Record<string, any>): Promise<void> {
  const dataDir = resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  if (DataDirLock.isHeld(dataDir)) throw new CliError(EXIT.CONFLICT, `${dataDir} is in use by a running server: stop it first, or restore through it (restore run --url …)`, { code: 'DATA_DIR.IN_USE', message: `${dataDir} is in use` });
  const point: RestoreTarget | null = opts.at !== undefined ? { at: isoTime(opts.at) } : opts.position !== undefined ? { position: integer(opts.position, '--position') } : null;
  const source = opts.backup === undefined ? null : sourceOf(opts.backup);
  if (!source && !point) throw new CliError(EXIT.USAGE, 'an offline restore needs --backup <file|storage url>, or --at/--position to restore from the archive');
  const app = await bootOffline(dataDir, source);
  try {
    const steps: Step[] = [];
    const run = (target: RestoreTarget) => restoreOnce(app, out, target, opts).then((step) => steps.push(step));
    if (source) {
      // --at with --backup means a point of the backup's history, which only an empty log adopts:
      // on a DATA_DIR with a log of its own it would name a point of that log instead.
      if (point && (await app.get(EventStore).headPosition()) > 0) {
        throw new CliError(EXIT.USAGE, `${dataDir} has a log of its own: --at/--position with --backup restore within the backup's history on an empty DATA_DIR only (start the server and use restore run --at)`);
      }
      const backupId = await backupIdOf(app, out, source, opts.passphrase);
      // Going back further than the backup needs its history: refused before any restore.
      if (point && !(await app.get(BackupService).get(backupId)).includesHistory) {
        throw new CliError(EXIT.USAGE, 'this backup holds the state only, without its history: it restores as it is, not to --at or --position');
      }
      await run({ backupId, ...(opts.passphrase ? { passphrase: opts.passphrase } : {}) });
    }
    if (point) await run(point);
    out.result({ dataDir, steps }, (r) => `restored ${r.dataDir}: ${r.steps.map((s) => `restore ${s.restoreId} (${JSON.stringify(s.target)})`).join(', then ')}`);
  } finally {
    await app.close();
  }
}

/** The backup to restore: a file admitted as an upload is (verified in full first), or one found in its storage. */
async function backupIdOf(app: INestApplicationContext, out: Output, source: BackupSource, passphrase?: string): Promise<string> {
  const backups = app.get(BackupService);
  if (source.kind === 'file') {
    out.note(`reading ${source.path} (verified in full before it is accepted)…`);
    // The service consumes what it admits: it gets a copy, the operator's file stays as it was.
    const staged = join(backups.tmpDir(), `offline-${process.pid}-${basename(source.path)}`);
    await copyFile(source.path, staged);
    try {
      return (await app.get(BackupUpload).accept(staged, actor(), passphrase, basename(source.path))).id;
    } finally {
      await rm(staged, { force: true });
    }
  }
  out.note(`looking for backups in ${source.storage}…`);
  await backups.refresh();
  const storage = app.get(BackupStorages).all.find((s) => s.url === source.storage)!.storage.describe();
  const found = (await backups.list()).filter((b) => b.copies.some((c) => c.storage === storage) && (source.key === null || b.key === source.key));
  if (found.length === 0) throw new CliError(EXIT.NOT_FOUND, `no backup${source.key ? ` ${source.key}` : ''} found in ${source.storage}`, { code: 'BACKUP.NOT_FOUND', message: 'no backup found' });
  out.note(`restoring ${found[0].key} (made ${found[0].createdAt})`);
  return found[0].id;
}

async function restoreOnce(app: INestApplicationContext, out: Output, target: RestoreTarget, opts: Record<string, any>): Promise<Step> {
  const restores = app.get(RestoreService);
  const preview = await restores.preview(target, {});
  out.note(`restore to ${JSON.stringify(preview.target)}, position ${preview.position}:\n${describeCounts(preview.counts, preview.conflicts.count)}`);
  await confirm('Restore?', opts.yes);
  const metadata = { actor: actor(), source: 'restore' as const, causationId: null, reason: 'offline disaster restore (globe-vault restore --data-dir)' };
  const { jobId, restoreId } = await restores.start(preview.previewToken, opts.strategy, {}, metadata, opts.passphrase);
  const jobs = app.get(JobRunner);
  const view = new ProgressView(out);
  const subscription = jobs.updates$.subscribe((job) => job.id === jobId && view.show(job));
  try {
    const job = settled(await jobs.finished(jobId));
    return { target: preview.target, restoreId, jobId, result: job.result };
  } finally {
    subscription.unsubscribe();
    view.stop();
  }
}

const actor = () => `cli:${userInfo().username}`;
