import { useThree } from '@react-three/fiber';
import { forwardRef, useEffect, useMemo } from 'react';
import { BufferAttribute, BufferGeometry, Points } from 'three';
import { densityOpacity, globePointsMaterial } from './globePointsMaterial';
import type { GlobeLayer } from './geo';

/**
 * One dataset as one THREE.Points: a single BufferGeometry and a single draw call however many
 * locations it holds, so 100,000 points cost a few draw calls in all. Hidden layers stay built
 * (toggling visibility costs nothing) but are neither drawn nor picked.
 */
export const PointLayer = forwardRef<Points, { layer: GlobeLayer; showQuantities: boolean }>(function PointLayer({ layer, showQuantities }, ref) {
  const invalidate = useThree((s) => s.invalidate);
  const geometry = useMemo(() => {
    const g = new BufferGeometry();
    g.setAttribute('position', new BufferAttribute(layer.positions, 3));
    g.setAttribute('pointScale', new BufferAttribute(layer.sizes, 1));
    g.computeBoundingSphere();
    return g;
  }, [layer.positions, layer.sizes]);
  const material = useMemo(() => globePointsMaterial(layer.color, layer.count), []);
  useEffect(() => {
    material.color.set(layer.color);
    material.opacity = densityOpacity(layer.count);
    material.userData.showQuantities.value = showQuantities ? 1 : 0;
    invalidate();
  }, [material, layer.color, layer.count, showQuantities, invalidate]);
  useEffect(() => {
    // With DrawnPointsMark's `globe-points-drawn`: how long the globe took to draw points it had.
    performance.mark('globe-points-built', { detail: { layer: layer.id, points: layer.count } });
    return () => geometry.dispose();
  }, [geometry]);
  useEffect(() => () => material.dispose(), [material]);

  return <points ref={ref} geometry={geometry} material={material} visible={layer.visible} userData={{ layerId: layer.id }} name={`layer-${layer.id}`} />;
});
