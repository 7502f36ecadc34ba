import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries from 'world-atlas/countries-110m.json';
import type { GlobePalette } from './globeStyles';

/** 2:1, the equirectangular shape; 2048 px across is about 20 km a pixel, finer than the 1:110m shapes. */
const WIDTH = 2048;
const HEIGHT = 1024;

type Ring = number[][];

/**
 * The oceans and the filled countries of Natural Earth 1:110m (world-atlas, bundled) drawn on a
 * canvas in the equirectangular projection (x from longitude, y from latitude), which is exactly how
 * a sphere's UV coordinates wrap: the land becomes the texture of the one globe mesh. Chosen over
 * triangulating the polygons: a canvas fills a 1:110m world in a few milliseconds, and a texture
 * cannot cut under the curved surface as large flat triangles would.
 *
 * Shapes are cut at the antimeridian, so a ring crosses the map only once: Antarctica, whose ring
 * jumps from 180° back to −180°. That jump goes around by the south pole, so the cap is filled.
 */
export function drawLandTexture(palette: GlobePalette): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = palette.ocean;
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  const topology = countries as unknown as Topology<{ countries: GeometryCollection }>;
  const shapes = feature(topology, topology.objects.countries);
  shapes.features.forEach((country, i) => {
    const geometry = country.geometry;
    const polygons: Ring[][] = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
    ctx.beginPath();
    for (const rings of polygons) for (const ring of rings) traceRing(ctx, ring);
    ctx.fillStyle = palette.land[i % palette.land.length];
    ctx.fill('evenodd');
  });
  return canvas;
}

const x = (lng: number) => ((lng + 180) / 360) * WIDTH;
const y = (lat: number) => ((90 - lat) / 180) * HEIGHT;

function traceRing(ctx: CanvasRenderingContext2D, ring: Ring): void {
  ring.forEach(([lng, lat], i) => {
    if (i === 0) return ctx.moveTo(x(lng), y(lat));
    const [prevLng, prevLat] = ring[i - 1];
    if (Math.abs(lng - prevLng) > 180) {
      const pole = prevLat < 0 ? -90 : 90;
      ctx.lineTo(x(prevLng), y(pole));
      ctx.lineTo(x(lng), y(pole));
    }
    ctx.lineTo(x(lng), y(lat));
  });
  ctx.closePath();
}
