import { Global, Module } from '@nestjs/common';
import { mkdirSync, rmSync } from 'node:fs';
import { SERVER_SECRET, serverSecretProvider } from '../common/server-secret.provider';
import { AppConfig, loadConfig, tmpDirOf } from './app-config';
import { KeyRing } from './key-ring';

/**
 * Parses the environment once, makes sure DATA_DIR exists before any store opens a file in it, and
 * empties DATA_DIR/tmp: everything there (staged uploads, scratch states, files being written) is
 * temporary by definition, so what a crash left there is removed before anything starts. (A SQLite
 * DATA_DIR belongs to one process; scale-out runs on PostgreSQL and shared object storage.)
 */
export function prepareConfig(env: NodeJS.ProcessEnv): AppConfig {
  const config = loadConfig(env);
  mkdirSync(config.values.dataDir, { recursive: true });
  const tmp = tmpDirOf(config);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  return config;
}

@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => prepareConfig(process.env) }, serverSecretProvider, KeyRing],
  exports: [AppConfig, SERVER_SECRET, KeyRing],
})
export class ConfigModule {}
