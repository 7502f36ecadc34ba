import { useEffect, useState } from 'react';

/**
 * A counter that goes up every `ms` while the page is visible, for views of server state that
 * changes with no write to announce it (an archive's lag, a copy retried in the background).
 * A hidden tab asks nothing; it catches up as soon as it is shown again.
 */
export function useTicker(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const next = () => document.visibilityState === 'visible' && setTick((t) => t + 1);
    const timer = setInterval(next, ms);
    document.addEventListener('visibilitychange', next);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', next);
    };
  }, [ms]);
  return tick;
}
