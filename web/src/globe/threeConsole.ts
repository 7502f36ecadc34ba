import { setConsoleFunction } from 'three';

/**
 * The one three.js warning the globe cannot fix at its cause: three r183 deprecated THREE.Clock and
 * warns when one is made, and @react-three/fiber 9.8.2 (its newest release, checked 2026-12-03)
 * makes one unconditionally in createStore for every <Canvas> (its store's `clock`): no Canvas prop
 * or fiber setting avoids it. Fiber drops Clock only in its next major, v10 (pmndrs/react-three-fiber
 * issue 3741; the additive `state.timer` of PR 3773 was closed unmerged, and would have kept the
 * clock anyway). The pairing that does not warn is three 0.182.0 (the last release before r183) with
 * fiber 9.8.2 and drei 10.7.9 (their peers accept three ≥ 0.156 / ≥ 0.159): a downgrade of five
 * three.js releases for one console line, not made here. This message, exactly, is dropped; every
 * other three.js log, warning and error goes to the console as before, so a new deprecation still
 * shows. Remove when fiber 10 is adopted (or three is pinned to 0.182.x).
 */
const FIBER_CLOCK = 'THREE.Clock: This module has been deprecated. Please use THREE.Timer instead.';

setConsoleFunction((type: 'log' | 'warn' | 'error', message: string, ...params: unknown[]) => {
  if (type === 'warn' && message === FIBER_CLOCK) return;
  console[type](message, ...params);
});
