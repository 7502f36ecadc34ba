import { mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries from 'world-atlas/countries-110m.json';
import { GLOBE_RADIUS, writeLatLng } from './geo';

const OUTLINE_RADIUS = GLOBE_RADIUS * 1.001;

/**
 * Country borders and coastlines of Natural Earth 1:110m (world-atlas, bundled), as pairs of
 * vertices for one THREE.LineSegments: one draw call for the whole world. Shared borders appear once
 * (topojson's mesh), so no line is drawn twice.
 */
export function countryOutlinePositions(): Float32Array {
  const topology = countries as unknown as Topology<{ countries: GeometryCollection }>;
  const lines = mesh(topology, topology.objects.countries).coordinates;
  const segments = lines.reduce((n, line) => n + Math.max(0, line.length - 1), 0);
  const out = new Float32Array(segments * 6);
  let offset = 0;
  for (const line of lines) {
    for (let i = 1; i < line.length; i++) {
      writeLatLng(out, offset, line[i - 1][1], line[i - 1][0], OUTLINE_RADIUS);
      writeLatLng(out, offset + 3, line[i][1], line[i][0], OUTLINE_RADIUS);
      offset += 6;
    }
  }
  return out;
}
