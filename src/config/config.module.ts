import { Global, Module } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { AppConfig, loadConfig } from './app-config';

/** Parses the environment once and makes sure DATA_DIR exists before any store opens a file in it. */
export function prepareConfig(env: NodeJS.ProcessEnv): AppConfig {
  const config = loadConfig(env);
  mkdirSync(config.values.dataDir, { recursive: true });
  return config;
}

@Global()
@Module({ providers: [{ provide: AppConfig, useFactory: () => prepareConfig(process.env) }], exports: [AppConfig] })
export class ConfigModule {}
