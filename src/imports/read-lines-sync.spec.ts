import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../test/support/event-fixtures';
import { readLinesSync } from './read-lines-sync';

describe('readLinesSync', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  const linesOf = (text: string) => {
    const path = join(dir.dir, 'lines');
    writeFileSync(path, text);
    return [...readLinesSync(path)];
  };

  it('yields the non-empty lines, the last one with or without a newline', () => {
    expect(linesOf('a\n\nb\nc')).toEqual(['a', 'b', 'c']);
    expect(linesOf('a\nb\n')).toEqual(['a', 'b']);
    expect(linesOf('')).toEqual([]);
  });

  it('keeps multi-byte characters whole across block boundaries, and lines longer than a block', () => {
    // 3-byte and 4-byte characters at every offset around the 1 MiB block edges; lines up to 3 MiB.
    const lines = [
      'é'.repeat(300_000) + '€'.repeat(200_000),
      'x',
      '𝄞'.repeat(700_000),
      ...Array.from({ length: 50 }, (_, i) => `{"n":${i},"name":"Évora ${'ü'.repeat(i * 997)}"}`),
    ];
    expect(linesOf(lines.join('\n') + '\n')).toEqual(lines);
  });
});
