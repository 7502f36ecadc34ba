import { Provider } from '@nestjs/common';
import { loadServerSecret } from '../common/server-secret';
import { AppConfig } from '../config/app-config';

export const SERVER_SECRET = Symbol('SERVER_SECRET');

export const serverSecretProvider: Provider = {
  provide: SERVER_SECRET,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => loadServerSecret(config.values.dataDir),
};
