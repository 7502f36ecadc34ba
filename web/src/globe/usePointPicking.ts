import { useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import { Points, Raycaster, Sphere, Vector2, Vector3 } from 'three';
import { GLOBE_RADIUS, type GlobeLayer } from './geo';

/** A clicked point: which location it is and where; the rest of it is fetched by id. */
export interface PickedPoint {
  id: string;
  datasetId: string;
  latitude: number;
  longitude: number;
}

/** A press that moves further than this (pixels) is a drag of the globe, not a click on a point. */
const CLICK_TOLERANCE_PX = 5;
/** Pick radius in scene units per unit of camera distance: about four pixels at the default zoom. */
const THRESHOLD_PER_DISTANCE = 0.006;

/**
 * Click-to-pick on the canvas: the ray is tested against the visible layers only, and a point
 * counts only if it lies on the near side of the globe (the sphere would hide it otherwise). Of the
 * candidates, the one closest to the ray wins.
 */
export function usePointPicking(layers: GlobeLayer[], refs: React.RefObject<Map<string, Points>>, onPick: (point: PickedPoint | null) => void) {
  const { camera, gl } = useThree();
  const latest = useRef({ layers, onPick });
  latest.current = { layers, onPick };

  useEffect(() => {
    const canvas = gl.domElement;
    const raycaster = new Raycaster();
    const globe = new Sphere(new Vector3(), GLOBE_RADIUS);
    let down: { x: number; y: number } | null = null;

    const onDown = (e: PointerEvent) => (down = { x: e.clientX, y: e.clientY });
    const onUp = (e: PointerEvent) => {
      if (!down || Math.hypot(e.clientX - down.x, e.clientY - down.y) > CLICK_TOLERANCE_PX) return;
      const rect = canvas.getBoundingClientRect();
      const ndc = new Vector2(((e.clientX - rect.left) / rect.width) * 2 - 1, -((e.clientY - rect.top) / rect.height) * 2 + 1);
      raycaster.setFromCamera(ndc, camera);
      raycaster.params.Points = { threshold: THRESHOLD_PER_DISTANCE * camera.position.length() };
      const surface = raycaster.ray.intersectSphere(globe, new Vector3());
      const horizon = surface ? surface.distanceTo(raycaster.ray.origin) + 0.01 : Infinity;
      let best: { point: PickedPoint; distanceToRay: number } | null = null;
      for (const layer of latest.current.layers) {
        const points = refs.current.get(layer.id);
        if (!layer.visible || !points) continue;
        for (const hit of raycaster.intersectObject(points, false)) {
          if (hit.distance > horizon || hit.index === undefined) continue;
          const distanceToRay = hit.distanceToRay ?? 0;
          const i = hit.index;
          if (!best || distanceToRay < best.distanceToRay) best = { point: { id: layer.ids[i], datasetId: layer.id, latitude: layer.latitude[i], longitude: layer.longitude[i] }, distanceToRay };
        }
      }
      latest.current.onPick(best?.point ?? null);
    };
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointerup', onUp);
    return () => {
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointerup', onUp);
    };
  }, [camera, gl, refs]);
}
