import { useFrame } from '@react-three/fiber';
import { useRef } from 'react';

/**
 * Counts the frames the renderer actually draws and writes frames per second (each half second)
 * into `target` directly, without re-rendering React. `data-frames` holds the running total, so a
 * test can measure over any window it likes.
 */
export function FrameMeter({ target }: { target: React.RefObject<HTMLElement | null> }) {
  const state = useRef({ frames: 0, windowFrames: 0, windowStart: performance.now() });
  useFrame(() => {
    const s = state.current;
    s.frames += 1;
    s.windowFrames += 1;
    const now = performance.now();
    const el = target.current;
    if (!el) return;
    el.dataset.frames = String(s.frames);
    if (now - s.windowStart >= 500) {
      const fps = (s.windowFrames * 1000) / (now - s.windowStart);
      el.dataset.fps = fps.toFixed(1);
      el.textContent = `${Math.round(fps)} fps`;
      s.windowFrames = 0;
      s.windowStart = now;
    }
  });
  return null;
}
