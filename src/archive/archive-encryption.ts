import { createHmac } from 'node:crypto';
import { Encryption } from '../backups/format/backup-manifest';
import { PayloadKey, newPayloadKey, newServerKeyedPayloadKey, openPayloadKey, openServerKeyedPayloadKey } from '../backups/format/payload-key';
import { keyMissing, wrongKey } from '../backups/format/backup-format-errors';
import { ServerKey } from '../config/server-keys';
import { archiveEncryptionUnavailable, archivePassphraseRequired, archiveWrongPassphrase } from './archive-errors';

/** What seals one segment: the parameters its header records and the key with its IV. */
export interface SegmentSeal {
  encryption: Encryption;
  key: PayloadKey;
}

/**
 * How segments are encrypted, behind a port so that server-side keys (BACKUP_KEY, key ids) plug in
 * beside the passphrase. `sealFor` answers null only when no encryption is configured; when one is
 * configured and cannot be applied it THROWS (ARCHIVE.ENCRYPTION_UNAVAILABLE), and the archiver
 * then uploads nothing: never a clear-text fallback.
 */
export abstract class ArchiveEncryption {
  /** "aes-256-gcm (passphrase)" or null when segments are stored in clear. */
  abstract describe(): string | null;
  /** The seal for a segment whose content (NDJSON) has this sha256 and which will live at `key`. */
  abstract sealFor(contentSha256: string, key: string): Promise<SegmentSeal | null>;
  /** The key that opens a segment sealed with these parameters. */
  abstract open(encryption: Encryption, key: string): Promise<PayloadKey>;
}

/**
 * Encryption by the server key (BACKUP_KEY / BACKUP_KEY_FILE, the current key seals) or, when none
 * is configured, by BACKUP_PASSPHRASE, with the backups' own key derivations and AES-256-GCM
 * cipher. One segment key is derived per process and reused for its segments; each segment's IV is
 * an HMAC of its content hash and object key under that key, so sealing the same range with the
 * same content again yields the same bytes (an upload retried after a crash writes what the key
 * already holds, never different bytes), while two different contents never share an IV. Opening
 * follows the header: a server key found by its id (any key this server holds, so rotation keeps
 * old segments readable), or the passphrase.
 */
export class ServerArchiveEncryption extends ArchiveEncryption {
  private sealing: Promise<{ encryption: Encryption; key: PayloadKey }> | null = null;
  /** Derived keys by salt and cost: a restore opens hundreds of segments sealed with a handful of keys. */
  private readonly opened = new Map<string, Promise<Buffer | null>>();

  constructor(
    private readonly passphrase: string | undefined,
    private readonly keys: readonly ServerKey[] = [],
  ) {
    super();
  }

  describe(): string | null {
    const current = this.keys.at(-1);
    if (current) return `aes-256-gcm (server key ${current.id})`;
    return this.passphrase ? 'aes-256-gcm (scrypt passphrase)' : null;
  }

  async sealFor(contentSha256: string, key: string): Promise<SegmentSeal | null> {
    const current = this.keys.at(-1);
    if (!current && !this.passphrase) return null;
    this.sealing ??= current ? Promise.resolve().then(() => newServerKeyedPayloadKey(current)) : newPayloadKey(this.passphrase!);
    let base;
    try {
      base = await this.sealing;
    } catch (error) {
      this.sealing = null;
      throw archiveEncryptionUnavailable(error instanceof Error ? error.message : String(error));
    }
    const iv = createHmac('sha256', base.key.key).update(`globe-vault archive iv\n${contentSha256}\n${key}`).digest().subarray(0, 12);
    return { encryption: { ...base.encryption, iv: iv.toString('base64') }, key: { key: base.key.key, iv } };
  }

  async open(encryption: Encryption, key: string): Promise<PayloadKey> {
    if (encryption.kdf === 'hkdf-sha256') {
      const serverKey = this.keys.find((k) => k.id === encryption.keyId);
      if (!serverKey) throw keyMissing(encryption.keyId);
      const opened = openServerKeyedPayloadKey(serverKey, encryption);
      if (!opened) throw wrongKey(encryption.keyId);
      return opened;
    }
    if (!this.passphrase) throw archivePassphraseRequired(key);
    const id = `${encryption.salt}:${encryption.N}:${encryption.r}:${encryption.p}:${encryption.keyCheck}`;
    let derived = this.opened.get(id);
    if (!derived) this.opened.set(id, (derived = openPayloadKey(this.passphrase, encryption).then((k) => k?.key ?? null)));
    const opened = await derived;
    if (!opened) throw archiveWrongPassphrase(key);
    return { key: opened, iv: Buffer.from(encryption.iv, 'base64') };
  }
}
