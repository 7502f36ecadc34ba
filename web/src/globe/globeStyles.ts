import type { Settings } from '../api/types';

export interface GlobePalette {
  background: string;
  ocean: string;
  /** Land colours: one for every country, or several taken in turn (the political map). */
  land: string[];
  outline: string;
  atmosphere: string;
}

/**
 * The Globe app's globe styles as colours of the space around, the oceans, the land, the country
 * outlines and the atmosphere. Colours only: the globe draws its land from bundled Natural Earth
 * shapes and never loads a texture from the network.
 */
export const GLOBE_PALETTES: Record<Settings['globeStyle'], GlobePalette> = {
  default: { background: '#0b1220', ocean: '#123a63', land: ['#3d7a55'], outline: '#a7d8c0', atmosphere: '#5fa8ff' },
  satellite: { background: '#000000', ocean: '#0a2a4f', land: ['#5b6b3a'], outline: '#c9d8a8', atmosphere: '#7ab8ff' },
  dark: { background: '#0a0a0a', ocean: '#161d29', land: ['#333c4a'], outline: '#8b94a3', atmosphere: '#6b7280' },
  night: { background: '#020617', ocean: '#070c1e', land: ['#1a2340'], outline: '#f5c451', atmosphere: '#3b5bdb' },
  political: {
    background: '#0f172a',
    ocean: '#1d4ed8',
    land: ['#f2d98d', '#bcd9a3', '#f0a991', '#cab7e6', '#9fd4df', '#f5c4d8', '#d9c2a0'],
    outline: '#334155',
    atmosphere: '#93c5fd',
  },
};

export type GlobeView = Pick<Settings, 'globeStyle' | 'autoRotate' | 'rotationSpeed' | 'showQuantityVisualization'>;

/** How the globe looks before the settings have loaded, and in read-only previews. */
export const DEFAULT_VIEW: GlobeView = { globeStyle: 'default', autoRotate: false, rotationSpeed: 0.5, showQuantityVisualization: true };
