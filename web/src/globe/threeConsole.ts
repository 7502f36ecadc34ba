import { setConsoleFunction } from 'three';

/**
 * The one three.js warning the globe cannot fix at its cause: three r183 deprecated THREE.Clock and
 * warns when one is made, and @react-three/fiber 9.8.2 (its newest release) still makes one for
 * every <Canvas> (its store's `clock`). Nothing the globe passes to <Canvas> avoids it. This message,
 * exactly, is dropped; every other three.js log, warning and error goes to the console as before, so
 * a new deprecation still shows. Remove when fiber moves to THREE.Timer (or three is pinned below r183).
 */
const FIBER_CLOCK = 'THREE.Clock: This module has been deprecated. Please use THREE.Timer instead.';

setConsoleFunction((type: 'log' | 'warn' | 'error', message: string, ...params: unknown[]) => {
  if (type === 'warn' && message === FIBER_CLOCK) return;
  console[type](message, ...params);
});
