import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import type { Points } from 'three';
import type { GlobePointsMaterial } from './globePointsMaterial';

/**
 * After each frame, says on the canvas element what that frame drew, for the browser specs and the
 * globe benchmark (`npm run bench -- globe`):
 * - `data-drawn-points`: how many points the visible layers hold;
 * - `data-drawn-at`: when the first frame with that many points was finished, in ms since the
 *   navigation started (performance.now()), also marked as the performance mark `globe-points-drawn`;
 * - `data-point-scale-min` / `-max`: the smallest and largest size multiplier the shader applied, read
 *   from the drawn geometries' `pointScale` buffers and the quantities switch;
 * - `data-point-opacity`: the lowest per-point opacity of the drawn layers (below 1 where density blending is on).
 * It reads one pixel when what was drawn changes, which waits for the GPU to finish that frame, so
 * `data-drawn-at` is when the points were on the canvas, not when the draw was queued.
 */
export function DrawnPointsMark() {
  const scene = useThree((s) => s.scene);
  const gl = useThree((s) => s.gl);
  useEffect(() => {
    let last = '';
    scene.onAfterRender = () => {
      const layers: Points[] = [];
      scene.traverseVisible((o) => {
        if ((o as Points).isPoints && o.name.startsWith('layer-')) layers.push(o as Points);
      });
      const key = layers.map((p) => `${p.geometry.id}:${(p.material as GlobePointsMaterial).userData.showQuantities.value}`).join(',');
      if (key === last) return;
      last = key;
      const context = gl.getContext();
      context.readPixels(0, 0, 1, 1, context.RGBA, context.UNSIGNED_BYTE, new Uint8Array(4));
      const drawnAt = performance.now();
      const points = layers.reduce((n, p) => n + p.geometry.getAttribute('position').count, 0);
      const [min, max] = scaleRange(layers);
      const canvas = gl.domElement;
      canvas.dataset.drawnPoints = String(points);
      canvas.dataset.drawnAt = drawnAt.toFixed(0);
      canvas.dataset.pointScaleMin = min.toFixed(2);
      canvas.dataset.pointScaleMax = max.toFixed(2);
      canvas.dataset.pointOpacity = Math.min(1, ...layers.map((p) => (p.material as GlobePointsMaterial).opacity)).toFixed(2);
      performance.mark('globe-points-drawn', { startTime: drawnAt, detail: { points } });
    };
    return () => {
      scene.onAfterRender = () => undefined;
    };
  }, [scene, gl]);
  return null;
}

function scaleRange(layers: Points[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const layer of layers) {
    const on = (layer.material as GlobePointsMaterial).userData.showQuantities.value;
    const scales = layer.geometry.getAttribute('pointScale').array;
    for (let i = 0; i < scales.length; i++) {
      const scale = 1 + (scales[i] - 1) * on;
      if (scale < min) min = scale;
      if (scale > max) max = scale;
    }
  }
  return min <= max ? [min, max] : [1, 1];
}
