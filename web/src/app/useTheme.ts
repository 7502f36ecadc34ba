import { useEffect } from 'react';
import type { Settings } from '../api/types';

/** Applies the theme setting to the page (light, dark, or the system's choice). */
export function useTheme(theme: Settings['theme'] | undefined): void {
  useEffect(() => {
    const root = document.documentElement;
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => (root.dataset.theme = theme === 'light' || theme === 'dark' ? theme : media.matches ? 'dark' : 'light');
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}
