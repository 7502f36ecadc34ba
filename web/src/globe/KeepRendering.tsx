import { useFrame, useThree } from '@react-three/fiber';
import { useEffect } from 'react';

/**
 * The canvas renders on demand (nothing moves, nothing is drawn: no battery spent on a still
 * globe). While `active` (the globe turns by itself) it asks for the next frame from every frame.
 */
export function KeepRendering({ active }: { active: boolean }) {
  const invalidate = useThree((s) => s.invalidate);
  useEffect(() => {
    if (active) invalidate();
  }, [active, invalidate]);
  useFrame(() => {
    if (active) invalidate();
  });
  return null;
}
