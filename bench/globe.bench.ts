import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/browser/support/browser';
import { ensureWebBuild } from '../test/browser/support/web-build';
import { createDataset, importCsv, startQuietServer } from './e2e';
import { writeCsv } from './globe-csv';
import { freshDir, machine, median, printMachine, printTable, scaled, writeResults } from './measure';
import type { ServerProcess } from './server-process';

/**
 * The globe's first frame with every point, in real Chromium (Debian's, WebGL through
 * ANGLE/SwiftShader: software rendering, no GPU here), against a real server process:
 *
 * 1. 200,000 locations imported through the API (the import benchmark's CSV), the web UI built.
 * 2. Four pages, each in a fresh browser context (cold cache), taking turns for ROUNDS rounds so the
 *    machine's load falls on all alike; each time is ms from the navigation's start to the end of the
 *    first frame that holds every point (a pixel read back, so the GPU has finished it):
 *    - the app: GET / (the Globe page), until the canvas says `data-drawn-points` = all of them
 *      (see web/src/globe/DrawnPointsMark.tsx);
 *    - bare draw: a blank page of this server's origin that loads three.js and draws a bare
 *      THREE.Points of as many random points: what drawing them costs here, the physical limit;
 *    - bare fetch + draw: the same page, drawing the points it first fetched from GET /api/globe/points
 *      in the binary form the app reads (the same bytes; latitude and longitude read as typed-array
 *      views, the ids left undecoded): the limit once the data has to cross HTTP;
 *    - bare JSON fetch + draw: the same, from the endpoint's JSON form (format=json, the same columns
 *      as arrays): what the binary form saves.
 * Target: the app ≤ 2 s. `BENCH_SCALE=0.1` for a quick try.
 */
const POINTS = scaled(200_000, 1000);
const ROUNDS = 3;
const TARGET_MS = 2000;
const BARE_PATH = '/__bench/bare';
const THREE_DIR = resolve(__dirname, '..', 'node_modules', 'three', 'build');

type Variant = 'app' | 'bare draw' | 'bare fetch + draw' | 'bare JSON fetch + draw';

export async function globeBench(): Promise<void> {
  const info = machine();
  printMachine(info);
  await ensureWebBuild(600_000);
  const { dir, cleanup } = freshDir('globe');
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let chromium = '';
  try {
    const csv = join(dir, 'globe.csv');
    await writeCsv(csv, POINTS);
    server = await startQuietServer(join(dir, 'data'));
    const imported = await importCsv(server, await createDataset(server, 'Everywhere'), csv);
    console.log(`seeded ${imported.result.locationsWritten.toLocaleString('en-US')} locations in ${Math.round(imported.totalMs)} ms`);
    const serverCpu = await serverCpuPerRead(server);
    printTable('server CPU to answer every point once (user + system, all threads; load-independent, unlike the times below)', serverCpu);
    const times: Record<Variant, Timing[]> = { app: [], 'bare draw': [], 'bare fetch + draw': [], 'bare JSON fetch + draw': [] };
    const warnings = new Set<string>();
    const variants = Object.keys(times) as Variant[];
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[(i + round) % variants.length];
        // A browser of its own for each page: one page's memory or a crash cannot weigh on the next.
        browser = await launchChromium();
        const timing = await firstFullFrame(browser, server.url, variant, warnings);
        chromium = browser.version();
        await browser.close();
        times[variant].push(timing);
        const r = timing.request;
        const request = r ? `; points request sent at ${Math.round(r.start)}, first byte ${Math.round(r.firstByte)}, last ${Math.round(r.end)} ms, ${(r.bytes / 1e6).toFixed(1)} MB` : '';
        console.log(`round ${round + 1}: ${variant} ${Math.round(timing.total)} ms (${Math.round(timing.afterData)} ms after the data${request})`);
      }
    }
    const total = (v: Variant) => median(times[v].map((t) => t.total));
    const afterData = (v: Variant) => median(times[v].map((t) => t.afterData));
    const app = total('app');
    const table = variants.map((v) => ({
      page: v,
      'median ms': Math.round(total(v)),
      runs: times[v].map((t) => Math.round(t.total)).join(' / '),
      'vs bare draw': (total(v) / total('bare draw')).toFixed(2),
      'vs bare fetch': (total(v) / total('bare fetch + draw')).toFixed(2),
      'ms after the data': Math.round(afterData(v)),
    }));
    printTable(`globe: navigation → first frame with ${POINTS.toLocaleString('en-US')} points (Chromium ${chromium}, SwiftShader)`, table);
    const met = app <= TARGET_MS;
    console.log(`target: app ≤ ${TARGET_MS} ms ${met ? 'MET' : 'MISSED'} (${Math.round(app)} ms)`);
    console.log(warnings.size ? `console warnings on the Globe page:\n  ${[...warnings].join('\n  ')}` : 'console warnings on the Globe page: none');
    const out = writeResults('globe', { benchmark: 'globe', machine: info, browser: chromium, points: POINTS, serverCpu, times, results: table, warnings: [...warnings], target: { ms: TARGET_MS, met } });
    console.log(`results: ${out}`);
  } finally {
    await browser?.close();
    await server?.kill();
    cleanup();
  }
}

/**
 * The server's CPU seconds (from /proc) for every point read once, each way a page can ask: the
 * compact read in both forms, and the paged GET /api/locations the globe used before it.
 */
async function serverCpuPerRead(server: ServerProcess): Promise<{ read: string; requests: number; 'MB': string; 'server CPU ms': number }[]> {
  const measure = async (read: string, paths: () => AsyncGenerator<string>) => {
    const before = server.cpuSeconds();
    let [requests, bytes] = [0, 0];
    for await (const path of paths()) {
      const res = await fetch(server.url + path);
      if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
      const body = await res.arrayBuffer();
      [requests, bytes] = [requests + 1, bytes + body.byteLength];
      if (path.startsWith('/api/locations')) lastPage = JSON.parse(new TextDecoder().decode(body));
    }
    return { read, requests, MB: (bytes / 1e6).toFixed(1), 'server CPU ms': Math.round((server.cpuSeconds() - before) * 1000) };
  };
  let lastPage: { next: string | null } = { next: null };
  return [
    await measure('GET /api/globe/points?format=binary', async function* () { yield '/api/globe/points?format=binary'; }),
    await measure('GET /api/globe/points?format=json', async function* () { yield '/api/globe/points?format=json'; }),
    await measure('GET /api/locations?limit=10000, every page', async function* () {
      let cursor: string | null = null;
      do {
        yield `/api/locations?limit=10000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        cursor = lastPage.next;
      } while (cursor);
    }),
  ];
}

/** ms from the navigation's start to the first full frame, and from the points' data in hand (fetched, parsed, placed) to that frame. */
interface Timing {
  total: number;
  afterData: number;
  /** The points request as the page saw it (Resource Timing, ms since navigation): sent, first byte, last byte. */
  request?: { start: number; firstByte: number; end: number; bytes: number };
}

async function firstFullFrame(browser: Browser, url: string, variant: Variant, warnings: Set<string>): Promise<Timing> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: url });
  try {
    const page = await context.newPage();
    page.on('crash', () => console.log(`${variant}: the page crashed`));
    page.on('console', (m) => {
      if (variant === 'app' && (m.type() === 'warning' || m.type() === 'error')) warnings.add(m.text());
    });
    if (variant === 'app') {
      await page.goto('/');
      const canvas = page.locator(`.globe-canvas canvas[data-drawn-points="${POINTS}"]`);
      await canvas.waitFor({ timeout: 300_000 });
      const total = Number(await canvas.getAttribute('data-drawn-at'));
      const built = await page.evaluate(() => Math.max(...performance.getEntriesByName('globe-points-built').map((e) => e.startTime)));
      const request = await page.evaluate(() => {
        const e = performance.getEntriesByType('resource').find((r) => r.name.includes('/api/globe/points')) as PerformanceResourceTiming | undefined;
        return e && { start: e.startTime, firstByte: e.responseStart, end: e.responseEnd, bytes: e.encodedBodySize };
      });
      return { total, afterData: total - built, request };
    }
    await routeBarePage(page);
    const fetch = variant === 'bare fetch + draw' ? 'binary' : variant === 'bare JSON fetch + draw' ? 'json' : '';
    await page.goto(`${BARE_PATH}?points=${POINTS}&fetch=${fetch}`);
    await page.waitForFunction(() => document.body.dataset.drawnAt, undefined, { timeout: 300_000 });
    return await page.evaluate(() => ({ total: Number(document.body.dataset.drawnAt), afterData: Number(document.body.dataset.drawnAt) - Number(document.body.dataset.dataAt) }));
  } finally {
    await context.close();
  }
}

/** Serves the bare page and three.js's own build files from this process, on the server's origin (so it may fetch the API). */
async function routeBarePage(page: Page): Promise<void> {
  await page.route(`**${BARE_PATH}*`, (route) => route.fulfill({ contentType: 'text/html', body: BARE_PAGE }));
  await page.route('**/__bench/three/*.js', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop()!;
    return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(THREE_DIR, name)) });
  });
}

const BARE_PAGE = `<!doctype html>
<html><body style="margin:0;background:#000">
<script type="module">
import * as THREE from '/__bench/three/three.module.js';
const query = new URLSearchParams(location.search);
const n = Number(query.get('points'));
const positions = new Float32Array(n * 3);
const place = (lat, lng) => {
  for (let k = 0, i = 0; k < lat.length; k++) {
    const phi = lat[k] * Math.PI / 180, lambda = lng[k] * Math.PI / 180;
    positions[i++] = Math.cos(phi) * Math.sin(lambda); positions[i++] = Math.sin(phi); positions[i++] = Math.cos(phi) * Math.cos(lambda);
  }
};
if (query.get('fetch') === 'binary') {
  // the layout of src/globe/points/globe-points-wire.ts: magic, u32 header length, header, pad to 8, latitude f64[n], longitude f64[n]
  const body = await (await fetch('/api/globe/points?format=binary')).arrayBuffer();
  const headerLength = new DataView(body).getUint32(4, true);
  const count = JSON.parse(new TextDecoder().decode(new Uint8Array(body, 8, headerLength))).count;
  const start = 8 + headerLength + ((8 - ((8 + headerLength) % 8)) % 8);
  place(new Float64Array(body, start, count), new Float64Array(body, start + count * 8, count));
} else if (query.get('fetch') === 'json') {
  const points = await (await fetch('/api/globe/points?format=json')).json();
  place(points.latitude, points.longitude);
} else {
  for (let i = 0; i < n; i++) {
    const y = Math.random() * 2 - 1, t = Math.random() * 2 * Math.PI, r = Math.sqrt(1 - y * y);
    positions.set([r * Math.sin(t), y, r * Math.cos(t)], i * 3);
  }
}
document.body.dataset.dataAt = performance.now().toFixed(0);
const renderer = new THREE.WebGLRenderer();
renderer.setSize(innerWidth, innerHeight);
document.body.appendChild(renderer.domElement);
const scene = new THREE.Scene();
const camera = new THREE.PerspectiveCamera(45, innerWidth / innerHeight, 0.01, 100);
camera.position.set(0, 0, 2.9);
const geometry = new THREE.BufferGeometry();
geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
scene.add(new THREE.Points(geometry, new THREE.PointsMaterial({ color: 0xffb000, size: 3, sizeAttenuation: false })));
renderer.render(scene, camera);
const gl = renderer.getContext();
gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
document.body.dataset.drawnAt = performance.now().toFixed(0);
</script></body></html>`;
