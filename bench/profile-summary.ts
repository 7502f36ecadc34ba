import { readFileSync } from 'node:fs';

/**
 * Summarizes a V8 .cpuprofile (from BENCH_PROFILE=1 or --cpu-prof):
 *
 *   node -r @swc-node/register bench/profile-summary.ts <file.cpuprofile> [root-function] [depth]
 *
 * prints the functions with the most self time, and the call tree (total time, self time) under
 * every frame named `root-function` (e.g. `appendRows`, `applyBatch`, `stageImportChunks`), merged
 * by call path, to `depth` levels. better-sqlite3's native work shows as the self time of the JS
 * function that called into it (`run`, `all`, `iterate`, …).
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, root, depthArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [root-function] [depth]');
const profile: Profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from the samples (the delta before each sample is charged to it).
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = profile.endTime - profile.startTime;

const label = (n: Node) => {
  const where = n.callFrame.url ? `${n.callFrame.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${n.callFrame.lineNumber + 1}` : '';
  return `${n.callFrame.functionName || '(anonymous)'} ${where}`.trim();
};
const ms = (us: number) => `${(us / 1000).toFixed(0)} ms`;
const pct = (us: number, of: number) => `${((100 * us) / of).toFixed(1)}%`;

// Top self time by function.
const selfByLabel = new Map<string, number>();
for (const [id, us] of selfUs) {
  const key = label(byId.get(id)!);
  selfByLabel.set(key, (selfByLabel.get(key) ?? 0) + us);
}
console.log(`profile: ${ms(totalUs)} wall, ${profile.samples.length} samples`);
console.log('\nself time, top 25:');
for (const [key, us] of [...selfByLabel].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${ms(us).padStart(9)}  ${pct(us, totalUs).padStart(6)}  ${key}`);

if (root) {
  const depth = Number(depthArg ?? 4);
  const inclusive = new Map<number, number>();
  const total = (id: number): number => {
    if (inclusive.has(id)) return inclusive.get(id)!;
    const n = byId.get(id)!;
    const us = (selfUs.get(id) ?? 0) + (n.children ?? []).reduce((s, c) => s + total(c), 0);
    inclusive.set(id, us);
    return us;
  };
  // Roots: frames named `root` with no `root` above them (recursion counted once).
  const roots = profile.nodes.filter((n) => {
    if (n.callFrame.functionName !== root) return false;
    for (let p = parent.get(n.id); p !== undefined; p = parent.get(p)) if (byId.get(p)!.callFrame.functionName === root) return false;
    return true;
  });
  // Merge the subtrees by call path (label chain).
  interface Merged {
    total: number;
    self: number;
    children: Map<string, Merged>;
  }
  const merged: Merged = { total: 0, self: 0, children: new Map() };
  const add = (id: number, into: Merged, level: number) => {
    into.total += total(id);
    into.self += selfUs.get(id) ?? 0;
    for (const c of byId.get(id)!.children ?? []) {
      const key = label(byId.get(c)!);
      if (!into.children.has(key)) into.children.set(key, { total: 0, self: 0, children: new Map() });
      add(c, into.children.get(key)!, level + 1);
    }
  };
  for (const r of roots) add(r.id, merged, 0);
  console.log(`\nunder ${root} (${roots.length} frames): ${ms(merged.total)} total, ${pct(merged.total, totalUs)} of the profile`);
  const print = (m: Merged, name: string, level: number) => {
    if (level > depth || m.total < merged.total * 0.005) return;
    console.log(`${'  '.repeat(level + 1)}${ms(m.total).padStart(9)} ${pct(m.total, merged.total).padStart(6)}  self ${ms(m.self).padStart(8)}  ${name}`);
    for (const [key, child] of [...m.children].sort((a, b) => b[1].total - a[1].total)) print(child, key, level + 1);
  };
  print(merged, root, 0);
}
