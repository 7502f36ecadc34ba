import type { Settings } from '../api/types';

export interface GlobePalette {
  background: string;
  ocean: string;
  outline: string;
}

/** The Globe app's globe styles as colours of the sphere, the country outlines and the space around. */
export const GLOBE_PALETTES: Record<Settings['globeStyle'], GlobePalette> = {
  default: { background: '#0b1220', ocean: '#12365c', outline: '#8ec5ea' },
  satellite: { background: '#000000', ocean: '#0a2a4f', outline: '#b8e0b0' },
  dark: { background: '#0a0a0a', ocean: '#1f2937', outline: '#9ca3af' },
  night: { background: '#020617', ocean: '#0b1024', outline: '#f5c451' },
  political: { background: '#0f172a', ocean: '#1d4ed8', outline: '#f8fafc' },
};

export type GlobeView = Pick<Settings, 'globeStyle' | 'autoRotate' | 'rotationSpeed' | 'showQuantityVisualization'>;

/** How the globe looks before the settings have loaded, and in read-only previews. */
export const DEFAULT_VIEW: GlobeView = { globeStyle: 'default', autoRotate: false, rotationSpeed: 0.5, showQuantityVisualization: true };
