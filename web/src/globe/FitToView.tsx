import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import type { PerspectiveCamera } from 'three';
import { GLOBE_RADIUS } from './geo';

/** Room around the globe, as a fraction of its radius. */
const MARGIN = 1.12;

/**
 * Puts the camera at the distance where the whole globe fits the canvas, in its narrower direction
 * (a phone held upright is narrower than it is tall). Runs when the canvas changes shape, not on
 * zoom, so it never fights the user.
 */
export function FitToView() {
  const camera = useThree((s) => s.camera) as PerspectiveCamera;
  const { width, height } = useThree((s) => s.size);
  const invalidate = useThree((s) => s.invalidate);
  useEffect(() => {
    if (width === 0 || height === 0) return;
    const vertical = (camera.fov * Math.PI) / 180;
    const horizontal = 2 * Math.atan(Math.tan(vertical / 2) * (width / height));
    camera.position.setLength((GLOBE_RADIUS * MARGIN) / Math.sin(Math.min(vertical, horizontal) / 2));
    invalidate();
  }, [camera, width, height, invalidate]);
  return null;
}
