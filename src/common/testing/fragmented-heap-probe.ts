import koffi from 'koffi';
import { NativeMemory } from '../native-memory';

/**
 * Run in a process of its own: leaves ~150 MiB of freed malloc memory behind (20,000 blocks of
 * 8 KiB from libc's malloc, written to, then all but every 16th freed, so the free pages sit between
 * live chunks where glibc does not trim them by itself), then calls NativeMemory.release. Prints
 * the resident size, in MiB, before and after. malloc and free are called directly (not through
 * Buffers, whose memory V8 frees later on a background thread), so what is freed is known.
 */
const libc = koffi.load('libc.so.6');
const malloc = libc.func('void *malloc(size_t size)');
const free = libc.func('void free(void *ptr)');
const memset = libc.func('void *memset(void *s, int c, size_t n)');

const rssMiB = () => Math.round(process.memoryUsage().rss / 1048576);
const blocks: unknown[] = [];
for (let i = 0; i < 20_000; i++) {
  const block = malloc(8192);
  memset(block, 1, 8192);
  blocks.push(block);
}
const allocated = rssMiB();
for (let i = 0; i < blocks.length; i++) if (i % 16 !== 0) free(blocks[i]);
const freed = rssMiB();
const released = NativeMemory.release();
console.log(JSON.stringify({ available: NativeMemory.available, released, allocated, freed, afterRelease: rssMiB() }));
for (let i = 0; i < blocks.length; i += 16) free(blocks[i]);
