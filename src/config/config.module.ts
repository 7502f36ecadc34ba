import { DynamicModule, Module } from '@nestjs/common';
import { mkdirSync, rmSync } from 'node:fs';
import { SERVER_SECRET, serverSecretProvider } from '../common/server-secret.provider';
import { AppConfig, loadConfig, tmpDirOf } from './app-config';
import { KeyRing } from './key-ring';
import { RunMode, RunModeName } from './run-mode';

/** This process's hold on DATA_DIR until `release` (or its death): the composition root says how it is taken (events/sqlite/data-dir-lock.ts). */
export interface DataDirHold {
  release(): void;
}
export type TakeDataDir = (dataDir: string) => DataDirHold;

/**
 * Parses the environment once, makes sure DATA_DIR exists before any store opens a file in it,
 * takes the DATA_DIR lock (a SQLite DATA_DIR belongs to one process; scale-out runs on PostgreSQL
 * and shared object storage), and only then empties DATA_DIR/tmp: everything there (staged
 * uploads, scratch states, files being written) is temporary by definition, so what a crash left
 * there is removed before anything starts, and never what a running server is writing.
 */
export function prepareConfig(env: NodeJS.ProcessEnv, takeLock: TakeDataDir): { config: AppConfig; lock: DataDirHold } {
  const config = loadConfig(env);
  mkdirSync(config.values.dataDir, { recursive: true });
  const lock = takeLock(config.values.dataDir);
  const tmp = tmpDirOf(config);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  return { config, lock };
}

const PREPARED = Symbol('PREPARED_CONFIG');
const DATA_DIR_HOLD = Symbol('DATA_DIR_HOLD');

/**
 * Global. `takeLock` is how DATA_DIR is held (the app module passes DataDirLock.take); `mode` what
 * this process runs the application for (./run-mode.ts).
 */
@Module({})
export class ConfigModule {
  static forRoot(takeLock: TakeDataDir, mode: RunModeName = 'server'): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [
        { provide: PREPARED, useFactory: () => prepareConfig(process.env, takeLock) },
        { provide: AppConfig, useFactory: (prepared: { config: AppConfig }) => prepared.config, inject: [PREPARED] },
        // Released when the application shuts down (its onApplicationShutdown), by the OS if it dies.
        { provide: DATA_DIR_HOLD, useFactory: (prepared: { lock: DataDirHold }) => prepared.lock, inject: [PREPARED] },
        { provide: RunMode, useValue: new RunMode(mode) },
        serverSecretProvider,
        KeyRing,
      ],
      exports: [AppConfig, SERVER_SECRET, KeyRing, RunMode],
    };
  }
}
