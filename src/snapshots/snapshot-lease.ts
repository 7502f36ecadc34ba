import { Injectable } from '@nestjs/common';

/**
 * A read/write lease over the snapshot files. Readers (a restore or preview materializing a
 * snapshot, a backup reading one) share it; compaction takes it alone, so retention can never delete
 * a snapshot someone is reading (a race other backup tools have lost data to). Waiting is FIFO-fair:
 * a waiting compaction holds back new readers, so it cannot starve.
 */
@Injectable()
export class SnapshotLease {
  private readers = 0;
  private writer = false;
  private readonly queue: { exclusive: boolean; grant: () => void }[] = [];

  async shared<R>(fn: () => Promise<R>): Promise<R> {
    await this.acquire(false);
    try {
      return await fn();
    } finally {
      this.readers -= 1;
      this.next();
    }
  }

  async exclusive<R>(fn: () => Promise<R>): Promise<R> {
    await this.acquire(true);
    try {
      return await fn();
    } finally {
      this.writer = false;
      this.next();
    }
  }

  private acquire(exclusive: boolean): Promise<void> {
    return new Promise((grant) => {
      this.queue.push({ exclusive, grant });
      this.next();
    });
  }

  private next(): void {
    while (this.queue.length > 0 && !this.writer) {
      const head = this.queue[0];
      if (head.exclusive) {
        if (this.readers > 0) return;
        this.writer = true;
      } else this.readers += 1;
      this.queue.shift();
      head.grant();
    }
  }
}
