import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/**
 * Dependencies between the top-level folders of src/ point one way (STYLE.md 12: domain ←
 * events/projections ← snapshots/recovery/backups ← API): no import cycle between two folders,
 * through however many others. Read from the source text (every relative import of every non-spec
 * file; the files at src/'s root are the composition root and may name any folder). The cycles
 * still open are listed with the reason they remain; a list that no longer matches fails too, so
 * the list stays the truth.
 */
const KNOWN_CYCLES: Record<string, string> = {
  'common,config': 'the HTTP filter and the server secret read AppConfig; config provides the server secret (#15: to untangle)',
};

const SRC = join(__dirname, '..', '..', 'src');
const IMPORT = /(?:from|import|require)\s*\(?\s*'(\.{1,2}\/[^']+)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

const folderOf = (path: string): string | null => {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 && !parts[0].startsWith('..') ? parts[0] : null;
};

/** folder → folder it imports → one example import, for the failure message. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    if (from === null) continue;
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = folderOf(normalize(join(dirname(file), specifier)));
      if (to === null || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from)!.has(to)) graph.get(from)!.set(to, `${relative(SRC, file)} → ${specifier}`);
    }
  }
  return graph;
}

/** The strongly connected components with more than one folder (Tarjan): each one is a cycle. */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do component.push((w = stack.pop()!));
      while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('folder dependencies', () => {
  it('have no import cycle between top-level folders of src/ beyond the known ones', () => {
    const graph = folderGraph();
    const explain = (component: string[]) =>
      component.flatMap((a) => component.filter((b) => graph.get(a)?.has(b)).map((b) => `${a} → ${b} (${graph.get(a)!.get(b)})`)).join('; ');
    const found = cycles(graph).map((component) => ({ cycle: component.join(','), edges: explain(component) }));
    expect(found.filter((c) => !(c.cycle in KNOWN_CYCLES))).toEqual([]);
    expect(found.map((c) => c.cycle).sort()).toEqual(Object.keys(KNOWN_CYCLES).sort());
  });

  it('keep domain, events, projections, snapshots and recovery out of every cycle', () => {
    const inCycle = cycles(folderGraph()).flat();
    expect(inCycle.filter((folder) => ['recovery', 'snapshots', 'projections', 'domain', 'events'].includes(folder))).toEqual([]);
  });
});
