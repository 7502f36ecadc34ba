import { useCallback } from 'react';
import { getSettings, patchSettings } from '../api/globe';
import type { Settings } from '../api/types';
import { announce, useVersion } from './dataChanges';
import { useLoad } from './useLoad';

/** The settings document and a save that sends only the keys that changed. */
export function useSettings() {
  const version = useVersion('settings');
  const loaded = useLoad(() => getSettings(), [version]);
  const save = useCallback(async (patch: Partial<Settings>) => {
    if (Object.keys(patch).length === 0) return;
    await patchSettings(patch);
    announce('settings', 'audit');
  }, []);
  return { ...loaded, save };
}
