/** Time is injected, never read from globals in the domain or the store, so tests can set it. */
export abstract class Clock {
  abstract now(): number;
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}

/** A clock tests move by hand. */
export class ManualClock extends Clock {
  private time: number;
  constructor(start: number | string = '2026-01-01T00:00:00.000Z') {
    super();
    this.time = typeof start === 'string' ? Date.parse(start) : start;
  }
  now(): number {
    return this.time;
  }
  set(time: number | string): void {
    this.time = typeof time === 'string' ? Date.parse(time) : time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}
