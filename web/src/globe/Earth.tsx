import { useEffect, useMemo } from 'react';
import { BufferAttribute, BufferGeometry } from 'three';
import { countryOutlinePositions } from './countryOutlines';
import { GLOBE_RADIUS } from './geo';
import type { GlobePalette } from './globeStyles';

/** The ocean sphere and the country outlines. The sphere writes depth, so points behind the globe are hidden. */
export function Earth({ palette }: { palette: GlobePalette }) {
  const outlines = useMemo(() => {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(countryOutlinePositions(), 3));
    return geometry;
  }, []);
  useEffect(() => () => outlines.dispose(), [outlines]);

  return (
    <group>
      <mesh name="earth">
        <sphereGeometry args={[GLOBE_RADIUS, 64, 48]} />
        <meshBasicMaterial color={palette.ocean} />
      </mesh>
      <lineSegments geometry={outlines}>
        <lineBasicMaterial color={palette.outline} transparent opacity={0.75} />
      </lineSegments>
    </group>
  );
}
