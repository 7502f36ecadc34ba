import { useEffect, useMemo } from 'react';
import { AdditiveBlending, BackSide, Color, ShaderMaterial } from 'three';
import { GLOBE_RADIUS } from './geo';

/** The atmosphere's outer edge, as a multiple of the globe's radius. */
const THICKNESS = 1.15;
/**
 * Seen from outside, a ray that grazes the globe meets the outer sphere where the cosine between its
 * normal and the view direction is sqrt(1 − 1/THICKNESS²): the glow is brightest there (at the
 * globe's edge) and fades to nothing at the outer edge, where that cosine is 0.
 */
const AT_THE_LIMB = Math.sqrt(1 - 1 / (THICKNESS * THICKNESS));

/**
 * A halo around the globe: the inside (back faces) of a slightly larger sphere, shaded by a
 * fresnel-like term of the angle between its surface and the view, added to what is behind it. It
 * writes no depth, so it never hides a point.
 */
export function Atmosphere({ color }: { color: string }) {
  const material = useMemo(
    () =>
      new ShaderMaterial({
        uniforms: { glowColor: { value: new Color(color) }, atLimb: { value: AT_THE_LIMB } },
        vertexShader: `
          varying vec3 vNormal;
          varying vec3 vView;
          void main() {
            vec4 viewPosition = modelViewMatrix * vec4(position, 1.0);
            vNormal = normalize(normalMatrix * normal);
            vView = normalize(-viewPosition.xyz);
            gl_Position = projectionMatrix * viewPosition;
          }`,
        fragmentShader: `
          uniform vec3 glowColor;
          uniform float atLimb;
          varying vec3 vNormal;
          varying vec3 vView;
          void main() {
            float glow = pow(clamp(abs(dot(vNormal, vView)) / atLimb, 0.0, 1.0), 2.5);
            gl_FragColor = vec4(glowColor * glow, glow);
          }`,
        side: BackSide,
        blending: AdditiveBlending,
        transparent: true,
        depthWrite: false,
      }),
    [color],
  );
  useEffect(() => () => material.dispose(), [material]);
  return (
    <mesh material={material}>
      <sphereGeometry args={[GLOBE_RADIUS * THICKNESS, 64, 48]} />
    </mesh>
  );
}
