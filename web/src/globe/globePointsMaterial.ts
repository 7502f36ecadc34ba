import { PointsMaterial } from 'three';

/** Screen size of a point in pixels (independent of zoom). */
const POINT_SIZE = 3;

/** A points material for the globe, with its one switch: whether sizes follow the quantities. */
export type GlobePointsMaterial = PointsMaterial & { userData: { showQuantities: { value: number } } };

/**
 * The globe's points material, changed in its vertex shader in two ways.
 *
 * Far side culling: points behind the globe are hidden by the sphere anyway; moving them outside
 * the clip volume means they are never rasterised, which halves the work for a globe seen from
 * outside (measured: 8.5 → 16.6 fps for 100,000 points on SwiftShader). A point is on the near side
 * when the camera is above its horizon: dot(normal, camera − point) > 0, the normal of a point on a
 * sphere centred at the origin being its own direction.
 *
 * Quantities: each point's `pointScale` attribute multiplies its size while `showQuantities` is 1
 * (the Globe app's "Show quantities" setting); switching it is a uniform, no rebuild.
 */
export function globePointsMaterial(color: string): GlobePointsMaterial {
  const material = new PointsMaterial({ color, size: POINT_SIZE, sizeAttenuation: false }) as GlobePointsMaterial;
  material.userData.showQuantities = { value: 1 };
  material.onBeforeCompile = (shader) => {
    shader.uniforms.showQuantities = material.userData.showQuantities;
    shader.vertexShader = shader.vertexShader
      .replace('void main() {', 'attribute float pointScale;\nuniform float showQuantities;\nvoid main() {')
      .replace('gl_PointSize = size;', 'gl_PointSize = size * mix(1.0, pointScale, showQuantities);')
      .replace(
        '#include <project_vertex>',
        `#include <project_vertex>
      vec3 globeWorld = (modelMatrix * vec4(transformed, 1.0)).xyz;
      if (dot(normalize(globeWorld), cameraPosition - globeWorld) < 0.0) gl_Position = vec4(2.0, 2.0, 2.0, 1.0);`,
      );
  };
  material.customProgramCacheKey = () => 'globe-points';
  return material;
}
