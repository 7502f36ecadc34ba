import { INestApplicationContext, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync, statSync } from 'node:fs';
import { OfflineRestoreModule } from '../../app.module';
import { parseStorageUrl } from '../../config/storage-urls';
import { EventStore } from '../../events/event-store';
import { Projector } from '../../projections/projector';
import { CliError, EXIT } from '../output';

/** Where an offline restore reads its backup: a file on this machine, or a storage (and maybe one object in it). */
export type BackupSource = { kind: 'file'; path: string } | { kind: 'storage'; storage: string; key: string | null };

const BACKUP_OBJECT = /^(.*)\/([^/]+\.gvbk)$/;

/**
 * `./x.gvbk` or `file:/dir/x.gvbk` (a file) → that file; `s3://bucket/prefix`, `rclone:remote:path`,
 * `file:/dir` → that storage, its newest backup; the same ending in `/<name>.gvbk` → that object.
 */
export function sourceOf(raw: string): BackupSource {
  const path = raw.startsWith('file:') ? raw.slice('file:'.length) : raw;
  if (existsSync(path) && statSync(path).isFile()) return { kind: 'file', path };
  if (!/^(s3:\/\/|rclone:|file:)/.test(raw)) throw new CliError(EXIT.USAGE, `--backup: ${raw} is neither a file nor a storage URL (s3://…, rclone:…, file:<dir>)`);
  const object = BACKUP_OBJECT.exec(raw);
  const storage = object && !raw.startsWith('file:') ? object[1] : raw;
  const parsed = parseStorageUrl(storage);
  if (!parsed.ok) throw new CliError(EXIT.USAGE, `--backup: ${parsed.message}`);
  return { kind: 'storage', storage: parsed.value.url, key: object && !raw.startsWith('file:') ? object[2] : null };
}

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/**
 * The application in this process on `dataDir`, initialised but serving nothing (no HTTP listener,
 * no socket), its read models caught up with the log, and none of its background work running
 * (OfflineRestoreModule, src/config/run-mode.ts): above all no archiver, whose new epoch would fence
 * a writer still running elsewhere on the same archive. The configuration is the environment's, as
 * for a server, with DATA_DIR set and a storage named by --backup added to BACKUP_STORAGE (after
 * the DATA_DIR's own folder, which stays the primary).
 */
export async function bootOffline(dataDir: string, source: BackupSource | null): Promise<INestApplicationContext> {
  process.env.DATA_DIR = dataDir;
  process.env.LOG_LEVEL ??= 'warn';
  if (source?.kind === 'storage') {
    const storages = process.env.BACKUP_STORAGE ?? `file:${dataDir}/backups`;
    if (!storages.split(',').map((s) => s.trim()).includes(source.storage)) process.env.BACKUP_STORAGE = `${storages},${source.storage}`;
  }
  // abortOnError false: a bad configuration or a held DATA_DIR is thrown to the CLI (its exit code), not a process.exit in Nest.
  const app = await NestFactory.createApplicationContext(OfflineRestoreModule, { abortOnError: false, logger: stderrLogger(process.env.LOG_LEVEL as LogLevel) });
  await app.get(Projector).waitFor(await app.get(EventStore).headPosition(), 24 * 3600_000);
  return app;
}

/** The application's log on stderr, at LOG_LEVEL and above: stdout carries only the CLI's answer. */
function stderrLogger(level: LogLevel): LoggerService {
  const shown = new Set(LEVELS.slice(0, Math.max(LEVELS.indexOf(level), 1) + 1));
  const line = (at: LogLevel) => (message: unknown, ...context: unknown[]) => {
    if (shown.has(at)) process.stderr.write(`[${at}] ${context.length ? `${String(context[context.length - 1])}: ` : ''}${String(message)}\n`);
  };
  return { log: line('log'), warn: line('warn'), error: line('error'), debug: line('debug'), verbose: line('verbose') };
}
