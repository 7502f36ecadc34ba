import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupKeysOf, loadConfig } from './app-config';
import { keyIdOf, parseServerKeys, readKeyFile } from './server-keys';

const K1 = Buffer.alloc(32, 1);
const K2 = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const K3 = Buffer.from(Array.from({ length: 32 }, (_, i) => 255 - i * 3));

describe('server keys', () => {
  it('derives an id from sha256("globe-vault key id" ‖ key): 16 hex digits, stable, and no part of the key', () => {
    const expected = createHash('sha256').update(Buffer.concat([Buffer.from('globe-vault key id'), K1])).digest('hex').slice(0, 16);
    expect(keyIdOf(K1)).toBe(expected);
    expect(keyIdOf(K1)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf(Buffer.from(K1))).toBe(keyIdOf(K1));
    expect(keyIdOf(K2)).not.toBe(keyIdOf(K1));
    expect(K1.toString('hex')).not.toContain(keyIdOf(K1));
  });

  it('reads hex, base64 and url-safe base64, with or without an id, in order, skipping blanks and comments', () => {
    const text = `# rotated in November, by ops\n${K1.toString('hex').toUpperCase()}\n\n  old.1 : ${K2.toString('base64')}  ,2026-12:${K3.toString('base64url')}\n`;
    expect(parseServerKeys(text)).toEqual([
      { id: keyIdOf(K1), key: K1 },
      { id: 'old.1', key: K2 },
      { id: '2026-12', key: K3 },
    ]);
    expect(parseServerKeys(K2.toString('base64').replace(/=+$/, ''))).toEqual([{ id: keyIdOf(K2), key: K2 }]);
  });

  it.each([
    ['', 'no key is given'],
    ['# only a comment', 'no key is given'],
    [Buffer.alloc(16, 7).toString('base64'), 'line 1: the key is 16 bytes, not 32'],
    [Buffer.alloc(33, 7).toString('hex'), 'line 1: the key is 66 hex digits, not 64'],
    [`${K1.toString('base64')}\r\nnot a key!`, 'line 2: the key is neither 64 hex digits nor base64'],
    [`${K1.toString('base64').slice(0, -2)}F=`, 'line 1: the key is not valid base64'],
    [`bad id:${K1.toString('hex')}`, "line 1: the key id must be 1-64 letters, digits, '.', '_' or '-'"],
    [`:${K1.toString('hex')}`, 'line 1: the key id must be'],
    [`a:${K1.toString('hex')}\na:${K2.toString('hex')}`, 'line 1 and line 2 have the same key id a'],
    [`${K1.toString('hex')},${keyIdOf(K1)}:${K2.toString('hex')}`, `line 1, entry 1 and line 1, entry 2 have the same key id ${keyIdOf(K1)}`],
    [`a:${K1.toString('hex')}\n\nb:${K1.toString('base64')}`, 'line 1 and line 3 hold the same key'],
  ])('refuses %j: %s, without quoting the key', (text, message) => {
    let thrown: Error | null = null;
    try {
      parseServerKeys(text);
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.message).toContain(message);
    for (const key of [K1, K2]) for (const encoding of ['hex', 'base64'] as const) expect(thrown?.message).not.toContain(key.toString(encoding).slice(0, 12));
  });

  describe('key file', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gv-keys-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const keyFile = (text: string, mode: number) => {
      const path = join(dir, 'keys');
      writeFileSync(path, text);
      chmodSync(path, mode);
      return path;
    };

    it('reads a private file (0600, 0640, 0400), one entry a line', () => {
      for (const mode of [0o600, 0o640, 0o400]) {
        expect(readKeyFile(keyFile(`k1:${K1.toString('hex')}\nk2:${K2.toString('base64')}\n`, mode))).toEqual([
          { id: 'k1', key: K1 },
          { id: 'k2', key: K2 },
        ]);
      }
    });

    it('refuses a file other users may read or write, a missing file and a folder, saying why', () => {
      expect(() => readKeyFile(keyFile(K1.toString('hex'), 0o644))).toThrow(`${join(dir, 'keys')} is accessible to every user (mode 0644): make it private, e.g. chmod 600`);
      expect(() => readKeyFile(keyFile(K1.toString('hex'), 0o602))).toThrow('is accessible to every user (mode 0602)');
      expect(() => readKeyFile(join(dir, 'absent'))).toThrow(`cannot read ${join(dir, 'absent')}: ENOENT`);
      expect(() => readKeyFile(dir)).toThrow(`cannot read ${dir}: not a regular file`);
    });

    it('is validated at start-up: BACKUP_KEY_FILE or BACKUP_KEY (not both), every error names the variable and never shows a key', () => {
      const base = { DATA_DIR: dir };
      expect(backupKeysOf(loadConfig(base).values)).toEqual([]);
      expect(backupKeysOf(loadConfig({ ...base, BACKUP_KEY: `${K1.toString('base64')},${K2.toString('hex')}` }).values).map((k) => k.id)).toEqual([keyIdOf(K1), keyIdOf(K2)]);
      const file = keyFile(`k2:${K2.toString('hex')}\n`, 0o600);
      expect(backupKeysOf(loadConfig({ ...base, BACKUP_KEY_FILE: file }).values)).toEqual([{ id: 'k2', key: K2 }]);

      const failure = (env: Record<string, string>) => {
        try {
          loadConfig({ ...base, ...env });
        } catch (error) {
          return (error as Error).message;
        }
        throw new Error('the configuration was accepted');
      };
      const short = Buffer.alloc(31, 9).toString('base64');
      expect(failure({ BACKUP_KEY: short })).toBe('Invalid configuration:\n  BACKUP_KEY: line 1: the key is 31 bytes, not 32 (generate one with: openssl rand -base64 32) (got a value not shown)');
      expect(failure({ BACKUP_KEY: K1.toString('hex'), BACKUP_KEY_FILE: file })).toBe('Invalid configuration:\n  BACKUP_KEY: set BACKUP_KEY or BACKUP_KEY_FILE, not both (got a value not shown)');
      chmodSync(file, 0o644);
      expect(failure({ BACKUP_KEY_FILE: file })).toContain(`BACKUP_KEY_FILE: ${file} is accessible to every user (mode 0644)`);
      expect(failure({ BACKUP_PASSPHRASE: 'short' })).not.toContain('short"');
    });
  });
});
