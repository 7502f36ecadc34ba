import { DEFAULT_SETTINGS } from '../../domain/settings';
import { GLOBE_UI_SETTINGS_KEYS, globeUiSettingsOf, overlaySettings } from './foreign-settings';

describe('foreign settings', () => {
  it("takes the Globe app's uiSettings as the first six keys of Settings", () => {
    expect(Object.keys(globeUiSettingsOf(DEFAULT_SETTINGS))).toEqual(Object.keys(DEFAULT_SETTINGS).slice(0, 6));
    expect([...GLOBE_UI_SETTINGS_KEYS]).toEqual(Object.keys(DEFAULT_SETTINGS).slice(0, 6));
  });

  it('overlays DEFAULT_SETTINGS with the valid known keys only', () => {
    const source = { theme: 'dark', rotationSpeed: 11, sortBy: 'name', language: 'de', snapshotRetention: { keepAllHours: 1 }, nope: 1 };
    expect(overlaySettings(source)).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', sortBy: 'name', language: 'de' });
    expect(overlaySettings(source, ['theme'])).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(overlaySettings('dark')).toEqual(DEFAULT_SETTINGS);
  });
});
