import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A random key kept in `<DATA_DIR>/.secret` (created once, mode 0600) for signing tokens the
 * service hands out and must later trust again, such as restore preview tokens.
 */
export function loadServerSecret(dataDir: string): Buffer {
  const path = join(dataDir, '.secret');
  try {
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  } catch {
    const secret = randomBytes(32);
    writeFileSync(path, secret.toString('hex'), { mode: 0o600, flag: 'wx' });
    return secret;
  }
}
