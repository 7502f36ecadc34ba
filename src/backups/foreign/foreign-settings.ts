import { DEFAULT_SETTINGS, Settings, settingsChangeSchema, settingsSchema } from '../../domain/settings';
import { isJsonObject } from '../../imports/parsing/is-json-object';

/** The Globe app's `uiSettings`: the first six keys of our Settings, verbatim. */
export const GLOBE_UI_SETTINGS_KEYS = ['drawerOpen', 'showQuantityVisualization', 'searchQuery', 'sortBy', 'sortOrder', 'filterBy'] as const;

const SETTINGS_KEYS = Object.keys(settingsSchema.shape) as (keyof Settings)[];

export type GlobeUiSettings = Pick<Settings, (typeof GLOBE_UI_SETTINGS_KEYS)[number]>;

export function globeUiSettingsOf(settings: Settings): GlobeUiSettings {
  const ui: Partial<GlobeUiSettings> = {};
  for (const key of GLOBE_UI_SETTINGS_KEYS) (ui as Record<string, unknown>)[key] = settings[key];
  return ui as GlobeUiSettings;
}

/**
 * DEFAULT_SETTINGS overlaid with those of `keys` whose value in `source` passes that key's schema.
 * A foreign settings object may hold keys we do not know, or values we do not accept: they are
 * left out rather than failing the file, since settings are easy to set again and locations are not.
 */
export function overlaySettings(source: unknown, keys: readonly (keyof Settings)[] = SETTINGS_KEYS): Settings {
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  if (!isJsonObject(source)) return settings as Settings;
  for (const key of keys) {
    if (!Object.hasOwn(source, key)) continue;
    const checked = settingsChangeSchema.shape[key].safeParse(source[key]);
    if (checked.success) settings[key] = checked.data;
  }
  return settings as Settings;
}
