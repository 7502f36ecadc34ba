import { Configuration } from './configuration';
import { Dataset } from './dataset';
import { Location } from './location';
import { DEFAULT_SETTINGS, Settings } from './settings';

/**
 * All Globe data at one log position. Maps keep insertion order, but nothing may depend on it:
 * comparisons and hashes sort by id.
 */
export interface GlobeState {
  datasets: Map<string, Dataset>;
  locations: Map<string, Location>;
  settings: Settings;
  configurations: Map<string, Configuration>;
}

export const emptyGlobeState = (): GlobeState => ({
  datasets: new Map(),
  locations: new Map(),
  settings: { ...DEFAULT_SETTINGS },
  configurations: new Map(),
});
