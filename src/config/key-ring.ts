import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, backupKeysOf } from './app-config';
import { ServerKey } from './server-keys';

/**
 * The server's keys for encrypted backups and archive segments (BACKUP_KEY or BACKUP_KEY_FILE),
 * validated at start-up. The last configured key is the current one: new files are sealed with it;
 * every configured key still opens the files sealed with it, so rotating is adding a key, and a key
 * may be removed once no file that names it is still needed. Here, in config, so that backups and
 * the log archive both depend on it without depending on each other.
 */
@Injectable()
export class KeyRing {
  private readonly keys: readonly ServerKey[];

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.keys = backupKeysOf(config.values);
  }

  /** The key new files are sealed with; null when no key is configured. */
  current(): ServerKey | null {
    return this.keys.at(-1) ?? null;
  }

  /** The key named `id`, if this server holds it. */
  find(id: string): ServerKey | undefined {
    return this.keys.find((k) => k.id === id);
  }

  /** Every key, oldest first (what a reader is given to open any file this server can open). */
  all(): readonly ServerKey[] {
    return this.keys;
  }
}
