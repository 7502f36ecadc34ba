import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const BLOCK = 1 << 20;

/**
 * The lines of a file, read synchronously a block at a time. Synchronous on purpose: the import's
 * append consumes it inside one SQLite transaction, which cannot await, so a million-row import is
 * atomic while only one chunk at a time sits in memory.
 */
export function* readLinesSync(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(BLOCK);
    // The decoder holds back a character split across two blocks instead of garbling it.
    const decoder = new StringDecoder('utf8');
    let carry = '';
    for (;;) {
      const n = readSync(fd, buffer, 0, BLOCK, null);
      if (n === 0) break;
      const text = carry + decoder.write(buffer.subarray(0, n));
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) if (line) yield line;
    }
    carry += decoder.end();
    if (carry) yield carry;
  } finally {
    closeSync(fd);
  }
}
