import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { AppError } from '../../common/app-error';
import { iterateParsed } from '../../imports/parsing/iterate-parsed';
import { BACKUP_MAGIC } from '../format/backup-manifest';
import { foreignMalformed } from './foreign-errors';
import { JsonToken, TokenConsumer } from './token-consumer';

export type BackupFormat = 'native' | 'globe-project' | 'backup-data';

const NATIVE_LEAD = Buffer.from(`${BACKUP_MAGIC}\n`, 'utf8');

/**
 * What kind of backup the file at `path` is, from its content only:
 * - `native`: it starts with `GLOBE-VAULT-BACKUP\n`;
 * - otherwise a JSON object, classified by its top-level members in one streaming pass that builds
 *   nothing (skipped values are only tokenized) and stops at the first member that settles it:
 *   - `globe-project`: a `uiSettings` or `columnMapping` object (the Globe app's Save Project file);
 *   - `backup-data`: a `settings` object or a `configurations` array (or object), or top-level
 *     string `version` and `timestamp` together with a `datasets` array (how our export begins) or
 *     a numeric `metadata.totalLocations`. A Save Project file has no top-level version/timestamp
 *     (they are inside its metadata), so neither combination can be one.
 * - null for anything else: another JSON object, a bare array, CSV, binary, an empty file, or JSON
 *   that turns out malformed before a deciding member. A file that fails later than that is still
 *   classified; its reader reports the damage.
 * A file that cannot be opened or read rejects with the I/O error.
 */
export async function detectBackupFormat(path: string): Promise<BackupFormat | null> {
  if (await startsWith(path, NATIVE_LEAD)) return 'native';
  const verdicts = iterateParsed<{ format: BackupFormat | null }>(createReadStream(path), [new TopLevelKeys()], () => foreignMalformed('not JSON'));
  try {
    for await (const { format } of verdicts) return format;
    return null;
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}

async function startsWith(path: string, lead: Buffer): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(lead.length);
    const { bytesRead } = await file.read(head, 0, lead.length, 0);
    return bytesRead === lead.length && head.equals(lead);
  } finally {
    await file.close();
  }
}

type State = 'document' | 'members' | 'member-value' | 'skipping' | 'metadata' | 'decided';

/** Consumes stream-json tokens and outputs one `{format}` as soon as the top-level members settle it. */
class TopLevelKeys extends TokenConsumer {
  private state: State = 'document';
  private key = '';
  private depth = 0;
  private metadataKey = '';
  private readonly seen = { version: false, timestamp: false, datasets: false, totalLocations: false };

  protected override atEnd(): void {
    if (this.state !== 'decided') this.decide(null);
  }

  protected override consume(token: JsonToken): void {
    switch (this.state) {
      case 'document':
        if (token.name === 'startObject') this.state = 'members';
        else this.decide(null);
        return;
      case 'members':
        if (token.name === 'keyValue') {
          this.key = token.value ?? '';
          this.state = 'member-value';
        } else {
          this.decide(null);
        }
        return;
      case 'member-value':
        return this.memberValue(token);
      case 'skipping':
      case 'metadata':
        return this.nested(token);
      case 'decided':
        return;
    }
  }

  private memberValue(token: JsonToken): void {
    const { key } = this;
    const { name } = token;
    if ((key === 'uiSettings' || key === 'columnMapping') && name === 'startObject') return this.decide('globe-project');
    if ((key === 'settings' && name === 'startObject') || (key === 'configurations' && (name === 'startArray' || name === 'startObject'))) {
      return this.decide('backup-data');
    }
    if (key === 'version' && name === 'stringValue') this.seen.version = true;
    if (key === 'timestamp' && name === 'stringValue') this.seen.timestamp = true;
    if (key === 'datasets' && name === 'startArray') this.seen.datasets = true;
    if (this.settled()) return this.decide('backup-data');
    if (name === 'startObject' || name === 'startArray') {
      this.depth = 1;
      this.metadataKey = '';
      this.state = key === 'metadata' && name === 'startObject' ? 'metadata' : 'skipping';
    } else {
      this.state = 'members';
    }
  }

  /** Inside a skipped value; in `metadata`, its own members (depth 1) are looked at for totalLocations. */
  private nested(token: JsonToken): void {
    const { name } = token;
    if (this.state === 'metadata' && this.depth === 1) {
      if (name === 'keyValue') {
        this.metadataKey = token.value ?? '';
        return;
      }
      if (this.metadataKey === 'totalLocations' && name === 'numberValue') this.seen.totalLocations = true;
    }
    if (name === 'startObject' || name === 'startArray') this.depth++;
    else if (name === 'endObject' || name === 'endArray') this.depth--;
    if (this.depth > 0) return;
    if (this.settled()) return this.decide('backup-data');
    this.state = 'members';
  }

  private settled(): boolean {
    const { version, timestamp, datasets, totalLocations } = this.seen;
    return version && timestamp && (datasets || totalLocations);
  }

  private decide(format: BackupFormat | null): void {
    this.state = 'decided';
    this.output({ format });
  }
}
