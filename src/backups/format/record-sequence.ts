import { Configuration } from '../../domain/configuration';
import { Dataset } from '../../domain/dataset';
import { Location } from '../../domain/location';
import { Settings } from '../../domain/settings';
import { StateHasher } from '../../domain/state-hash';
import { RecordCounts } from './backup-manifest';
import { BackupRecord, BackupRecordKind } from './backup-record';

const RANK: Record<BackupRecordKind, number> = { dataset: 0, location: 1, settings: 2, configuration: 3, event: 4 };
const COUNT_KEY = { dataset: 'datasets', location: 'locations', settings: 'settings', configuration: 'configurations', event: 'events' } as const;

/**
 * The order rules of a payload, checked record by record, and what the manifest says about the
 * records: counts per kind and the state hash. Writer and reader both feed every record through one
 * of these, so a file the writer accepts is a file the reader accepts.
 *
 * The hash is over each record's value as it is in the file's JSON (what the writer serialised,
 * what a reader parses), not over a schema-stripped copy: it equals the snapshots' hashState of the
 * same state, key for key. Ids are not checked for ascending order: the source's order is kept
 * (SQLite's byte order and JavaScript's UTF-16 order differ for some characters).
 */
export class RecordSequence {
  readonly counts: RecordCounts = { datasets: 0, locations: 0, settings: 0, configurations: 0, events: 0 };
  private readonly hasher = new StateHasher();
  private rank = 0;
  private lastPosition = 0;

  constructor(private readonly includesHistory: boolean) {}

  /** Returns why `record` cannot come next (its counts and hash are then left as they were), or null once added. */
  add(record: { t: BackupRecordKind; v: unknown }): string | null {
    const problem = this.refusal(record);
    if (problem) return problem;
    this.rank = RANK[record.t];
    this.counts[COUNT_KEY[record.t]] += 1;
    switch (record.t) {
      case 'dataset':
        this.hasher.dataset(record.v as Dataset);
        break;
      case 'location':
        this.hasher.location(record.v as Location);
        break;
      case 'settings':
        this.hasher.settings(record.v as Settings);
        break;
      case 'configuration':
        this.hasher.configuration(record.v as Configuration);
        break;
      case 'event':
        this.lastPosition = (record.v as Extract<BackupRecord, { t: 'event' }>['v']).position;
        break;
    }
    return null;
  }

  /** The StateHasher digest of the state records added; call once, after the last record. */
  stateHash(): string {
    return this.hasher.digest();
  }

  private refusal(record: { t: BackupRecordKind; v: unknown }): string | null {
    const rank = RANK[record.t];
    if (rank < this.rank) return `a ${record.t} record after the ${kindOfRank(this.rank)} records (order: datasets, locations, settings, configurations, events)`;
    if (record.t === 'settings' && this.counts.settings > 0) return 'a second settings record';
    if (record.t === 'event') {
      if (!this.includesHistory) return 'an event record in a backup whose manifest says it has no history';
      const position = (record.v as { position: number }).position;
      if (position <= this.lastPosition) return `event position ${position} after position ${this.lastPosition} (positions ascend)`;
    }
    return null;
  }
}

const kindOfRank = (rank: number) => (Object.keys(RANK) as BackupRecordKind[]).find((k) => RANK[k] === rank);
