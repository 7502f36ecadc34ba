import { createReadStream } from 'node:fs';
import Assembler = require('stream-json/Assembler');
import { iterateParsed } from '../../imports/parsing/iterate-parsed';
import { MAX_JSON_DEPTH } from '../../common/json-depth';
import { foreignMalformed, foreignTooDeep } from './foreign-errors';
import { JsonToken, TokenConsumer } from './token-consumer';

/** What the top-level members of interest of a JSON document hold, in file order. */
export type SectionItem =
  /** One element of a streamed section's array; `index` is 0-based. */
  | { kind: 'element'; section: string; index: number; value: unknown }
  /** A streamed section's array has ended. */
  | { kind: 'end'; section: string }
  /** An assembled section's whole value, or a streamed section's value when it is not an array. */
  | { kind: 'value'; section: string; value: unknown };

export interface SectionPlan {
  /** Members whose array is read one element at a time (locations, datasets, configurations). */
  streamed: readonly string[];
  /** Small members read whole (settings, metadata). */
  assembled: readonly string[];
}

/**
 * One value (an element, or an assembled section) larger than this many characters fails the file,
 * so a crafted file cannot make a reader build an unbounded object. Far above any real location
 * (a few hundred bytes) or configuration (256 KiB at most); the same bound as a native record line.
 */
export const MAX_VALUE_CHARS = 64 * 1024 * 1024;

/**
 * Streams the top-level members of the JSON object in the file at `path` that `plan` names, in one
 * pass: each element of a streamed array is built and handed on alone (memory holds one element,
 * never the array), assembled members are built whole, every other member is skipped token by token
 * without being built. A value nesting arrays and objects more than MAX_JSON_DEPTH levels fails with
 * `BACKUP.FOREIGN_TOO_DEEP` before it is built deeper. Other than as a JSON object, a file fails with `BACKUP.FOREIGN_MALFORMED`, as
 * does a member named twice (JSON.parse would silently keep the last) and a key `__proto__` inside a
 * value (the assembler would set a prototype instead of keeping the member). The iteration is pulled:
 * the file is read only as fast as items are taken, and stopping early closes it.
 */
export function readJsonSections(path: string, plan: SectionPlan): AsyncIterable<SectionItem> {
  const sections = new JsonSections(plan);
  return iterateParsed<SectionItem>(createReadStream(path), [sections], (error) =>
    foreignMalformed(`it is not valid JSON (${error instanceof Error ? error.message : String(error)})`, sections.where()),
  );
}

type State = 'document' | 'members' | 'member-value' | 'skipping' | 'assembling' | 'elements' | 'ended';

class JsonSections extends TokenConsumer {
  private state: State = 'document';
  private section = '';
  private readonly seen = new Set<string>();
  private skipDepth = 0;
  private readonly value = new Assembler();
  private valueChars = 0;
  private valueDepth = 0;
  private index = 0;

  constructor(private readonly plan: SectionPlan) {
    super();
  }

  /** Where reading is, for locating a parse failure. */
  where(): Record<string, unknown> | undefined {
    if (this.state === 'elements') return { section: this.section, index: this.index };
    return this.state === 'assembling' ? { section: this.section } : undefined;
  }

  // stream-json rejects a truncated document before this runs; the check keeps the guarantee from resting on that.
  protected override atEnd(): void {
    if (this.state !== 'ended') throw foreignMalformed('the JSON document ends early');
  }

  protected override consume(token: JsonToken): void {
    switch (this.state) {
      case 'document':
        if (token.name !== 'startObject') throw foreignMalformed('it is not a JSON object');
        this.state = 'members';
        return;
      case 'members':
        return this.nextMember(token);
      case 'member-value':
        return this.startMemberValue(token);
      case 'skipping':
        if (token.name === 'startObject' || token.name === 'startArray') this.skipDepth++;
        else if (token.name === 'endObject' || token.name === 'endArray') this.skipDepth--;
        if (this.skipDepth === 0) this.state = 'members';
        return;
      case 'assembling':
        if (this.build(token)) {
          this.output({ kind: 'value', section: this.section, value: this.value.current } satisfies SectionItem);
          this.state = 'members';
        }
        return;
      case 'elements':
        return this.nextElementToken(token);
      case 'ended':
        return;
    }
  }

  private nextMember(token: JsonToken): void {
    if (token.name === 'endObject') {
      this.state = 'ended';
      return;
    }
    this.section = token.value ?? '';
    const wanted = this.plan.streamed.includes(this.section) || this.plan.assembled.includes(this.section);
    if (wanted && this.seen.has(this.section)) throw foreignMalformed(`"${this.section}" appears twice`, { section: this.section });
    this.seen.add(this.section);
    this.state = wanted ? 'member-value' : 'skipping';
    this.skipDepth = 0;
  }

  private startMemberValue(token: JsonToken): void {
    if (this.plan.streamed.includes(this.section) && token.name === 'startArray') {
      this.index = 0;
      this.state = 'elements';
      return;
    }
    this.state = 'assembling';
    this.consume(token);
  }

  private nextElementToken(token: JsonToken): void {
    // Between elements the assembler is idle, so an endArray there closes the section's array.
    if (this.value.done && token.name === 'endArray') {
      this.output({ kind: 'end', section: this.section } satisfies SectionItem);
      this.state = 'members';
      return;
    }
    if (this.build(token)) {
      this.output({ kind: 'element', section: this.section, index: this.index, value: this.value.current } satisfies SectionItem);
      this.index++;
    }
  }

  /** Feeds the value being built; true once it is complete. */
  private build(token: JsonToken): boolean {
    if (this.value.done) this.valueChars = this.valueDepth = 0;
    this.valueChars += 1 + (token.value?.length ?? 0);
    if (this.valueChars > MAX_VALUE_CHARS) throw foreignMalformed(`a value is longer than ${MAX_VALUE_CHARS} characters`, this.where());
    if (token.name === 'startObject' || token.name === 'startArray') {
      if (++this.valueDepth > MAX_JSON_DEPTH) throw foreignTooDeep(MAX_JSON_DEPTH, this.where());
    } else if (token.name === 'endObject' || token.name === 'endArray') {
      this.valueDepth--;
    }
    if (token.name === 'keyValue' && token.value === '__proto__') throw foreignMalformed('a key "__proto__" is not accepted', this.where());
    this.value.consume(token);
    return this.value.done;
  }
}
