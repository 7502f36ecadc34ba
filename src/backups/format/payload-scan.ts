import { Readable } from 'node:stream';
import { AppError } from '../../common/app-error';
import { BackupManifest } from './backup-manifest';
import { BackupRecord } from './backup-record';
import { recordInvalid } from './backup-format-errors';
import { checkRecordLine } from './check-record';
import { InvalidUtf8Error, LineTooLongError, NdjsonLine, ndjsonLines } from './ndjson-lines';
import { ContentFacts, payloadChecks, PayloadCheck, Section } from './payload-checks';
import { decodePayload, DecodingPayload } from './payload-decoder';
import { PayloadKey } from './payload-key';
import { RecordSequence } from './record-sequence';

/**
 * Invalid lines a scan reads before it stops (the file is refused by the first one; the rest only
 * counts them): each costs a failed parse and an error with its stack, and a crafted payload of
 * millions of them (64 MiB of newlines gzip to 66 KB) would otherwise hold a core for the better
 * part of an hour. A scan that stops there leaves the content unproven (no counts, no state hash,
 * nothing restorable); the stored bytes are still read to the end and checked.
 */
export const MAX_INVALID_LINES = 1000;

export type ScannedRecord = { line: number; record: BackupRecord } | { line: number; invalid: AppError; section: Section };

export interface ScanOptions {
  /** Null when the payload is encrypted and cannot be decrypted: its stored bytes are then only hashed. */
  key: PayloadKey | null;
  /** Event lines are counted but neither parsed nor yielded (a state-only restore). */
  skipHistory: boolean;
  /**
   * State lines are counted but neither parsed, checked nor hashed (a reader that wants only the
   * history of a file verified in full before, such as adoption: the sha256 of the stored bytes,
   * checked at the end, still covers them). Default false.
   */
  skipState?: boolean;
}

/**
 * One pass over a payload: decodes it into records, checking each one (schema, order, upcast) and
 * feeding the counts and the state hash, then, in `checks()`, compares everything with the manifest.
 * Invalid lines are yielded as such and the scan goes on, so a verifier can see the whole file; only
 * the first invalid record of each section is kept. Which section a line belongs to is known from
 * the manifest's counts (state records come first).
 */
export class PayloadScan {
  private readonly sequence: RecordSequence;
  private decodingStarted: DecodingPayload | null = null;
  private readonly stateLines: number;
  private readonly invalid: Record<Section, { first: AppError | null; count: number }> = {
    state: { first: null, count: 0 },
    history: { first: null, count: 0 },
  };
  private rawBytes = 0;
  private skippedEvents = 0;
  private lastLine = 0;
  private decodeError: AppError | null = null;
  private decoded = false;

  constructor(
    private readonly manifest: BackupManifest,
    private readonly payload: Readable,
    private readonly payloadOffset: number,
    private readonly options: ScanOptions,
  ) {
    this.sequence = new RecordSequence(manifest.includesHistory);
    const { datasets, locations, settings, configurations } = manifest.counts;
    this.stateLines = datasets + locations + settings + configurations;
  }

  async *records(): AsyncGenerator<ScannedRecord> {
    const plaintext = this.decoding.plaintext;
    if (!plaintext) return;
    try {
      for await (const line of ndjsonLines(this.measured(plaintext))) {
        this.lastLine = line.line;
        const scanned = this.scan(line);
        if (scanned) yield scanned;
        if (this.invalid.state.count + this.invalid.history.count >= MAX_INVALID_LINES) return;
      }
      this.decoded = true;
    } catch (error) {
      this.decodeError = this.asDecodeError(error);
    }
  }

  /** Every payload check, in the order a reader reports them; waits for the stored bytes to be read to the end. */
  async checks(): Promise<PayloadCheck[]> {
    this.decoding.abandon();
    const stored = await this.decoding.stored;
    const content = this.decoding.plaintext === null ? null : this.contentFacts();
    return payloadChecks(this.manifest, this.payloadOffset, stored, content);
  }

  destroy(): void {
    if (this.decodingStarted) this.decodingStarted.destroy();
    else this.payload.destroy();
  }

  /** Reading starts on first use, so a scan that is never iterated reads nothing. */
  private get decoding(): DecodingPayload {
    const { compression, encryption, rawBytes } = this.manifest.payload;
    this.decodingStarted ??= decodePayload(this.payload, { compression, key: this.options.key, decode: !encryption || this.options.key !== null, rawBytes });
    return this.decodingStarted;
  }

  private contentFacts(): ContentFacts {
    const complete = this.decoded && !this.decodeError;
    return {
      complete,
      decodeError: this.decodeError,
      invalid: this.invalid,
      historyChecked: !this.options.skipHistory,
      stateChecked: !this.options.skipState,
      counts: { ...this.sequence.counts, events: this.options.skipHistory ? this.skippedEvents : this.sequence.counts.events },
      rawBytes: this.rawBytes,
      stateHash: complete ? this.sequence.stateHash() : null,
    };
  }

  private scan({ line, text, terminated }: NdjsonLine): ScannedRecord | null {
    const section: Section = line > this.stateLines ? 'history' : 'state';
    if (section === 'history' && this.options.skipHistory) {
      this.skippedEvents += 1;
      return null;
    }
    if (section === 'state' && this.options.skipState) return null;
    if (!terminated) return this.refuse(section, recordInvalid(line, '', 'the payload ends inside this line (no line end)'));
    const checked = checkRecordLine(text, this.sequence);
    if (!checked.ok) return this.refuse(section, recordInvalid(line, checked.path, checked.message));
    return { line, record: checked.record };
  }

  private refuse(section: Section, error: AppError): ScannedRecord {
    const invalid = this.invalid[section];
    invalid.first ??= error;
    invalid.count += 1;
    return { line: this.lastLine, invalid: error, section };
  }

  /** Counts decompressed bytes (more than the manifest says fails the plaintext itself, see DecodeOptions.rawBytes). */
  private async *measured(plaintext: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of plaintext) {
      this.rawBytes += chunk.length;
      yield chunk;
    }
  }

  private asDecodeError(error: unknown): AppError {
    if (error instanceof AppError) return error;
    if (error instanceof LineTooLongError || error instanceof InvalidUtf8Error) return recordInvalid(error.line, '', error.message);
    return recordInvalid(this.lastLine + 1, '', `the payload does not decompress (${(error as Error).message})`);
  }
}
