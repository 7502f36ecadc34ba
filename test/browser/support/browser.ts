import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * WebGL through SwiftShader (software): `--use-angle=swiftshader` with `--enable-unsafe-swiftshader`;
 * `--use-gl=swiftshader` would leave the page without WebGL.
 */
const ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-gpu-sandbox',
];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * `describe` when Debian's Chromium is installed, else `describe.skip` with the reason printed, so
 * `npm test` passes on a machine without it and says what it did not test.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  console.log(`browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium) — "${name}" not run`);
  describe.skip(name, body);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors, so a spec can assert the page never threw. */
  pageErrors: string[];
  /** Console warnings of the session's page (three.js, React and library deprecations land here), so a spec can assert there were none. */
  consoleWarnings: string[];
  /** Saves a numbered full-page screenshot of `target` (default: the session's page) into the suite's folder; returns its path. */
  shot(name: string, target?: Page): Promise<string>;
  close(): Promise<void>;
}

/** A browser, one page at `viewport`, and a screenshot folder whose path is printed for the reader. */
export async function openSession(suite: string, baseURL: string, viewport = DESKTOP): Promise<BrowserSession> {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport, baseURL, acceptDownloads: true, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const consoleWarnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') consoleWarnings.push(message.text());
  });
  const dir = mkdtempSync(join(tmpdir(), `gv-browser-${suite}-`));
  console.log(`${suite}: screenshots in ${dir}`);
  let n = 0;
  return {
    browser,
    context,
    page,
    pageErrors,
    consoleWarnings,
    async shot(name, target = page) {
      n += 1;
      const path = join(dir, `${String(n).padStart(2, '0')}-${name}.png`);
      await target.screenshot({ path, fullPage: true });
      return path;
    },
    close: () => browser.close(),
  };
}
