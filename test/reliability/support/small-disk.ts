import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small tmpfs mounted on a folder (needs root and a kernel that lets this container mount):
 * the disk a full-disk test fills with ballast and frees again.
 */
export class SmallDisk {
  private constructor(readonly dir: string) {}

  /** Mounts a tmpfs of `megabytes` on `dir`; answers the reason when mounting is not permitted here. */
  static mount(dir: string, megabytes: number): SmallDisk | string {
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'pipe' });
      return new SmallDisk(dir);
    } catch (error) {
      return `mount -t tmpfs failed (${(error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message})`;
    }
  }

  /** Null where a tmpfs can be mounted here, else the reason (mounts and unmounts a 1 MB probe). */
  static whyNotMountable(): string | null {
    const dir = mkdtempSync(join(tmpdir(), 'gv-mount-probe-'));
    try {
      const disk = SmallDisk.mount(dir, 1);
      if (typeof disk === 'string') return disk;
      disk.unmount();
      return null;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Writes ballast files until the disk refuses a byte (ENOSPC); answers the bytes written. */
  fill(): number {
    let written = 0;
    const chunk = Buffer.alloc(64 * 1024, 1);
    for (let i = 0; ; i++) {
      const fd = openSync(join(this.dir, `.ballast-${Date.now()}-${i}`), 'w');
      try {
        for (let j = 0; j < 64; j++) written += writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        // the last chunk may fit in part: fill to the very last byte
        for (let size = chunk.length / 2; size >= 1; size = Math.floor(size / 2)) {
          try {
            written += writeSync(fd, chunk, 0, size);
          } catch {
            // smaller next time
          }
        }
        return written;
      } finally {
        closeSync(fd);
      }
    }
  }

  /** Removes the ballast: the space returns. */
  free(): void {
    for (const name of readdirSync(this.dir)) if (name.startsWith('.ballast-')) rmSync(join(this.dir, name));
  }

  unmount(): void {
    execFileSync('umount', ['-l', this.dir], { stdio: 'pipe' });
  }
}
