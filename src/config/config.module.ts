import { DynamicModule, Global, Module } from '@nestjs/common';
import { mkdirSync, rmSync } from 'node:fs';
import { SERVER_SECRET, serverSecretProvider } from '../common/server-secret.provider';
import { AppConfig, loadConfig, tmpDirOf } from './app-config';
import { DataDirLock } from './data-dir-lock';
import { KeyRing } from './key-ring';
import { RunMode, RunModeName } from './run-mode';

/**
 * Parses the environment once, makes sure DATA_DIR exists before any store opens a file in it,
 * takes the DATA_DIR lock (a SQLite DATA_DIR belongs to one process; scale-out runs on PostgreSQL
 * and shared object storage), and only then empties DATA_DIR/tmp: everything there (staged
 * uploads, scratch states, files being written) is temporary by definition, so what a crash left
 * there is removed before anything starts, and never what a running server is writing.
 */
export function prepareConfig(env: NodeJS.ProcessEnv): { config: AppConfig; lock: DataDirLock } {
  const config = loadConfig(env);
  mkdirSync(config.values.dataDir, { recursive: true });
  const lock = DataDirLock.take(config.values.dataDir);
  const tmp = tmpDirOf(config);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  return { config, lock };
}

const PREPARED = Symbol('PREPARED_CONFIG');

@Global()
@Module({
  providers: [
    { provide: PREPARED, useFactory: () => prepareConfig(process.env) },
    { provide: AppConfig, useFactory: (prepared: { config: AppConfig }) => prepared.config, inject: [PREPARED] },
    // Released when the application shuts down (its onApplicationShutdown), by the OS if it dies.
    { provide: DataDirLock, useFactory: (prepared: { lock: DataDirLock }) => prepared.lock, inject: [PREPARED] },
    serverSecretProvider,
    KeyRing,
  ],
  exports: [AppConfig, SERVER_SECRET, KeyRing],
})
export class ConfigModule {
  /** The configuration, and what this process runs the application for (./run-mode.ts). */
  static forMode(mode: RunModeName): DynamicModule {
    return { module: ConfigModule, global: true, providers: [{ provide: RunMode, useValue: new RunMode(mode) }], exports: [RunMode] };
  }
}
