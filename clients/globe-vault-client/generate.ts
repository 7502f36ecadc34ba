import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ChildServer } from '../../test/support/child-server';

/** Where the generated types live: committed, so building or type-checking the client needs no server. */
export const OPENAPI_TYPES_FILE = resolve(__dirname, 'openapi.d.ts');

const CLI = resolve(__dirname, '..', '..', 'node_modules', 'openapi-typescript', 'bin', 'cli.js');

/** The OpenAPI document a running server serves at /api/docs-json (a viewer's read). */
export async function fetchOpenApiDocument(url: string, token?: string): Promise<unknown> {
  const res = await fetch(`${url}/api/docs-json`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`GET /api/docs-json answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/**
 * The TypeScript that openapi-typescript makes of `document`. Deterministic for one document, so
 * a spec can compare it with the committed file. Defaults do not make a property required: these
 * are request bodies, where the server fills them in. Runs the tool's own CLI (it is ESM-only; the
 * server and its tests are CommonJS).
 */
export async function openApiTypesOf(document: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gv-openapi-'));
  try {
    const input = join(dir, 'openapi.json');
    const output = join(dir, 'openapi.d.ts');
    await writeFile(input, JSON.stringify(document));
    await promisify(execFile)(process.execPath, [CLI, input, '--output', output, '--alphabetize', '--default-non-nullable', 'false'], { cwd: dir });
    return readFile(output, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `npm run client:generate`: the built server on a throwaway DATA_DIR, its document, the types file. */
async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gv-generate-'));
  const server = await ChildServer.start({ dataDir });
  try {
    await writeFile(OPENAPI_TYPES_FILE, await openApiTypesOf(await fetchOpenApiDocument(server.url)));
    process.stdout.write(`wrote ${OPENAPI_TYPES_FILE}\n`);
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
