import { randomInt } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/**
 * Ids for the events of one append that came without their own: one uuidv7() per append, then its
 * last 48 bits (random in UUIDv7) counting up from a random start. They stay valid, time-ordered
 * UUIDv7s, increasing within the append; two appends in one millisecond would need overlapping
 * 47-bit ranges to collide (and the UNIQUE index would then refuse the append, not corrupt it).
 * A uuidv7() per event cost ~8% of an append of small events (BENCHMARKS.md, append).
 */
export class AppendEventIds {
  private prefix = '';
  private counter = 0;

  next(): string {
    if (this.prefix === '') {
      this.prefix = uuidv7().slice(0, 24);
      this.counter = randomInt(2 ** 47);
    }
    return this.prefix + (this.counter++).toString(16).padStart(12, '0');
  }
}
