import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef } from 'react';
import { BufferAttribute, BufferGeometry, CanvasTexture, type DirectionalLight, SRGBColorSpace, Vector3 } from 'three';
import { Atmosphere } from './Atmosphere';
import { countryOutlinePositions } from './countryOutlines';
import { GLOBE_RADIUS } from './geo';
import type { GlobePalette } from './globeStyles';
import { drawLandTexture } from './landTexture';

/** Where the sun stands, in the camera's frame: above, left and in front of the viewer. */
const SUN_FROM_CAMERA = new Vector3(-1.2, 1.4, 2).normalize().multiplyScalar(10);

/**
 * The globe: oceans and filled land (one textured sphere, see landTexture), lit by a sun that
 * follows the camera, so the hemisphere in view is always the lit one and shading shows the curve,
 * the country outlines and the atmosphere. The sphere writes depth, so points behind it are hidden.
 */
export function Earth({ palette }: { palette: GlobePalette }) {
  const outlines = useMemo(() => {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(countryOutlinePositions(), 3));
    return geometry;
  }, []);
  useEffect(() => () => outlines.dispose(), [outlines]);
  const land = useMemo(() => {
    const texture = new CanvasTexture(drawLandTexture(palette));
    texture.colorSpace = SRGBColorSpace;
    texture.anisotropy = 4;
    return texture;
  }, [palette]);
  useEffect(() => () => land.dispose(), [land]);

  return (
    <group>
      <ambientLight intensity={0.9} />
      <Sun />
      {/* SphereGeometry's u = 0 faces −x, which writeLatLng gives to longitude −90°: turned a quarter so u = 0 is −180°, as in the texture. */}
      <mesh name="earth" rotation={[0, -Math.PI / 2, 0]}>
        <sphereGeometry args={[GLOBE_RADIUS, 96, 64]} />
        <meshLambertMaterial map={land} />
      </mesh>
      <lineSegments geometry={outlines}>
        <lineBasicMaterial color={palette.outline} transparent opacity={0.55} />
      </lineSegments>
      <Atmosphere color={palette.atmosphere} />
    </group>
  );
}

function Sun() {
  const light = useRef<DirectionalLight>(null);
  const camera = useThree((s) => s.camera);
  useFrame(() => light.current?.position.copy(SUN_FROM_CAMERA).applyQuaternion(camera.quaternion).add(camera.position));
  return <directionalLight ref={light} intensity={2.2} />;
}
