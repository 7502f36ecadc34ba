import { Page } from 'playwright-core';

/**
 * Records every value a job's progress bar shows (its state and percentage) from now on, so a spec can
 * assert the bar moved to done and not only that it ended there. Read with `progressSeen(page)`.
 */
export async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __progressSeen: string[] }).__progressSeen = seen;
    const note = () =>
      document.querySelectorAll('.job-progress[data-testid^="job-"]').forEach((el) => {
        const bar = el.querySelector('[role=progressbar]');
        const entry = `${el.getAttribute('data-state')}:${bar?.getAttribute('aria-valuenow') ?? '-'}`;
        if (seen[seen.length - 1] !== entry) seen.push(entry);
      });
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'aria-valuenow'] });
  });
}

export const progressSeen = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { __progressSeen: string[] }).__progressSeen);

/** Drops a file onto an element the way a browser does: a `drop` event carrying a DataTransfer with the file. */
export async function dropFile(page: Page, selector: string, file: { name: string; type: string; text: string }): Promise<void> {
  const dataTransfer = await page.evaluateHandle(({ name, type, text }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type }));
    return dt;
  }, file);
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}

/** Polls `read` until `accept` holds (for state the page saves in the background, e.g. a debounced colour). */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}
