import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';

/**
 * Hands memory that native code has freed back to the operating system.
 *
 * Why: glibc's malloc keeps the pages of freed chunks in its arenas for reuse, and returns only the
 * top of a heap. After a bulk job (SQLite's page caches, zlib and brotli state, Buffers, a worker
 * thread's isolate) the freed memory stays resident, scattered between live chunks, so each job
 * raised the service's resident size for good (a 1,000,000-location backup: 136 → 217 MiB for the
 * idle service; BENCHMARKS.md, backup). `malloc_trim(0)` gives those pages back (217 → 133 MiB).
 * Node has no binding for it, so it is called through koffi's FFI (prebuilt, nothing compiled).
 *
 * Guarantees: `release` never throws and never frees anything in use (malloc_trim only returns free
 * pages). Where there is no glibc (musl, macOS, Windows) or koffi cannot load, it does nothing and
 * says so once at debug level: the service then works as before, with a higher resident size.
 */
export class NativeMemory {
  private static readonly logger = new Logger('NativeMemory');
  private static trim: ((pad: number) => number) | null | undefined;
  private static pending: NodeJS.Timeout | null = null;

  /** Whether this process can release freed memory (glibc's malloc_trim reachable). */
  static get available(): boolean {
    return NativeMemory.load() !== null;
  }

  /** Returns freed heap pages to the OS now; true if glibc said it released some. Takes a few ms. */
  static release(): boolean {
    const trim = NativeMemory.load();
    if (!trim) return false;
    try {
      const started = performance.now();
      const released = trim(0) === 1;
      NativeMemory.logger.debug(`malloc_trim: ${released ? 'released memory' : 'nothing to release'} in ${(performance.now() - started).toFixed(1)} ms`);
      return released;
    } catch (error) {
      NativeMemory.trim = null;
      NativeMemory.logger.debug(`malloc_trim failed, not called again: ${error}`);
      return false;
    }
  }

  /**
   * `release` once, `delayMs` after the last call: bulk work that ends in several steps (a job, then
   * its worker thread's exit) costs one trim, and the trim runs after their frees, not before.
   */
  static releaseSoon(delayMs = 50): void {
    // Loaded now, by the caller, not in the timer: a module must not be required after its caller's
    // context is gone (a test file's module registry, torn down before the timer fires).
    if (!NativeMemory.load()) return;
    if (NativeMemory.pending) clearTimeout(NativeMemory.pending);
    NativeMemory.pending = setTimeout(() => {
      NativeMemory.pending = null;
      NativeMemory.release();
    }, delayMs);
    NativeMemory.pending.unref();
  }

  private static load(): ((pad: number) => number) | null {
    if (NativeMemory.trim !== undefined) return NativeMemory.trim;
    NativeMemory.trim = null;
    if (process.platform !== 'linux') return null;
    try {
      // Required lazily: koffi is a native module, and nothing else needs it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const koffi = require('koffi') as typeof import('koffi');
      const libc = koffi.load('libc.so.6');
      NativeMemory.trim = libc.func('int malloc_trim(size_t pad)') as (pad: number) => number;
    } catch (error) {
      NativeMemory.logger.debug(`freed native memory cannot be returned to the OS here (no glibc malloc_trim): ${error}`);
    }
    return NativeMemory.trim;
  }
}
