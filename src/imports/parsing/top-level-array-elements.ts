import { Transform, TransformCallback } from 'node:stream';
import Assembler = require('stream-json/Assembler');
import { MAX_JSON_DEPTH } from '../../common/json-depth';
import { malformedFile, recordTooDeep, recordTooLarge } from './import-errors';
import { MAX_RECORD_CHARS, RawRecord } from './raw-record';

/** Where a document keeps the array of records it carries. */
export type RecordArrayLocation = {
  /** Whether the document may itself be the array. */
  bareArray: boolean;
  /** Top-level keys whose value may be the array; the first one present in the document is used. */
  keys: readonly string[];
  /** When set, a top-level `type` member, if present, must equal it. */
  type?: string;
  /** Completes "The JSON file must be …" in error messages. */
  expected: string;
};

/** A stream-json token, as emitted with `packValues` on and `streamValues` off. */
type Token = { name: string; value?: string };

type State = 'document' | 'members' | 'member-value' | 'skipping' | 'elements' | 'ended';

/**
 * Consumes stream-json tokens and emits one RawRecord per element of the record array,
 * assembling only one element at a time: memory holds the current element, never the
 * array. `toRecord` turns an element and its 1-based index into a record, and may throw
 * an AppError to reject the document.
 *
 * Guarantees: members other than the record array (a Save Project file's
 * `columnMapping`, `uiSettings`, `metadata`) are skipped token by token without being
 * built; a document of another shape fails with `IMPORT.MALFORMED_FILE` as soon as the
 * shape is known, which for an object without the array is at its end. An element longer
 * than MAX_RECORD_CHARS (counting its keys and values) fails with `IMPORT.RECORD_TOO_LARGE`,
 * one nesting arrays and objects deeper than MAX_JSON_DEPTH with `IMPORT.TOO_DEEP`, both as
 * soon as the token that crosses the limit arrives, before the element is built further.
 */
export class TopLevelArrayElements extends Transform {
  private state: State = 'document';
  private arrayIsBare = false;
  private arrayFound = false;
  private memberKey = '';
  private skipDepth = 0;
  private readonly element = new Assembler();
  private elementCount = 0;
  private elementChars = 0;
  private elementDepth = 0;

  constructor(
    private readonly location: RecordArrayLocation,
    private readonly toRecord: (element: unknown, index: number) => RawRecord,
  ) {
    super({ objectMode: true });
  }

  /** 1-based index of the element being read, for locating a parse failure; undefined outside the array. */
  get currentIndex(): number | undefined {
    return this.state === 'elements' ? this.elementCount + 1 : undefined;
  }

  override _transform(token: Token, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.consume(token);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  // A document that ends before its shape is complete is malformed. stream-json rejects
  // truncated JSON before this runs; the check keeps the guarantee from resting on that.
  override _flush(done: TransformCallback): void {
    done(this.state === 'ended' ? undefined : this.wrongShape());
  }

  private consume(token: Token): void {
    switch (this.state) {
      case 'document':
        return this.startDocument(token);
      case 'members':
        return this.nextMember(token);
      case 'member-value':
        return this.startMemberValue(token);
      case 'skipping':
        return this.skip(token);
      case 'elements':
        return this.nextElementToken(token);
      case 'ended':
        return;
    }
  }

  private startDocument(token: Token): void {
    if (token.name === 'startObject') {
      this.state = 'members';
    } else if (token.name === 'startArray' && this.location.bareArray) {
      this.arrayIsBare = true;
      this.state = 'elements';
    } else {
      throw this.wrongShape();
    }
  }

  private nextMember(token: Token): void {
    if (token.name === 'keyValue') {
      this.memberKey = token.value ?? '';
      this.state = 'member-value';
    } else if (this.arrayFound) {
      this.state = 'ended';
    } else {
      throw this.wrongShape();
    }
  }

  private startMemberValue(token: Token): void {
    const key = this.memberKey;
    if (!this.arrayFound && this.location.keys.includes(key)) {
      if (token.name !== 'startArray') throw malformedFile(`"${key}" in the JSON file must be an array of records`);
      this.arrayFound = true;
      this.state = 'elements';
      return;
    }
    if (key === 'type' && this.location.type !== undefined && token.value !== this.location.type) {
      throw malformedFile(`The JSON file has type "${token.value ?? token.name}"; expected "${this.location.type}"`);
    }
    if (token.name === 'startObject' || token.name === 'startArray') {
      this.skipDepth = 1;
      this.state = 'skipping';
    } else {
      this.state = 'members';
    }
  }

  private skip(token: Token): void {
    if (token.name === 'startObject' || token.name === 'startArray') this.skipDepth++;
    else if (token.name === 'endObject' || token.name === 'endArray') this.skipDepth--;
    if (this.skipDepth === 0) this.state = 'members';
  }

  private nextElementToken(token: Token): void {
    // Between elements the assembler is idle, so an endArray there closes the record array itself.
    if (this.element.done && token.name === 'endArray') {
      this.state = this.arrayIsBare ? 'ended' : 'members';
      return;
    }
    this.checkLimits(token);
    this.element.consume(token);
    if (this.element.done) {
      this.elementChars = this.elementDepth = 0;
      this.elementCount++;
      this.push(this.toRecord(this.element.current, this.elementCount));
    }
  }

  private checkLimits(token: Token): void {
    this.elementChars += 1 + (token.value?.length ?? 0);
    if (this.elementChars > MAX_RECORD_CHARS) {
      const index = this.elementCount + 1;
      throw recordTooLarge(`Record ${index} of the JSON file is longer than ${MAX_RECORD_CHARS} characters`, MAX_RECORD_CHARS, index);
    }
    if (token.name === 'startObject' || token.name === 'startArray') {
      if (++this.elementDepth > MAX_JSON_DEPTH) throw recordTooDeep(MAX_JSON_DEPTH, this.elementCount + 1);
    } else if (token.name === 'endObject' || token.name === 'endArray') {
      this.elementDepth--;
    }
  }

  private wrongShape(): Error {
    return malformedFile(`The JSON file must be ${this.location.expected}`);
  }
}
