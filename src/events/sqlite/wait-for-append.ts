import { Observable } from 'rxjs';

/**
 * Resolves when this process appends at or past `position`, after `pollMs` (another process may
 * have appended to the same file: the caller looks again), or when `signal` aborts.
 */
export function waitForAppend(appended: Observable<number>, position: number, pollMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      subscription.unsubscribe();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, pollMs);
    const subscription = appended.subscribe({ next: (head) => head >= position && done(), complete: done });
    signal?.addEventListener('abort', done, { once: true });
  });
}
