import { Provider } from '@nestjs/common';
import { loadServerSecret } from './server-secret';
import { AppConfig } from '../config/app-config';

/** The key of `<DATA_DIR>/.secret` (preview tokens, API token hashes); provided once, by the global ConfigModule. */
export const SERVER_SECRET = Symbol('SERVER_SECRET');

export const serverSecretProvider: Provider = {
  provide: SERVER_SECRET,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => loadServerSecret(config.values.dataDir),
};
