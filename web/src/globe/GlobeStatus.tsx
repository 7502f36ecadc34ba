import { formatCount } from '../components/format';
import type { GlobeLayer } from './geo';

/** Under the globe: how many points are drawn, loading progress, and the measured frame rate. */
export function GlobeStatus({ layers, loaded, loading, fpsRef }: { layers: GlobeLayer[]; loaded: number; loading: boolean; fpsRef?: React.RefObject<HTMLSpanElement | null> }) {
  const shown = layers.filter((l) => l.visible);
  const points = shown.reduce((n, l) => n + l.count, 0);
  return (
    <p className="globe-status" aria-live="polite">
      <span data-testid="globe-point-count" data-points={points}>
        {formatCount(points)} locations on the globe in {shown.length} {shown.length === 1 ? 'layer' : 'layers'}
      </span>
      {loading && <span> · loading{loaded > 0 ? ` ${formatCount(loaded)}` : ''}…</span>}
      {fpsRef && (
        <span>
          {' · '}
          <span ref={fpsRef} data-testid="fps" aria-label="Frames per second">
            – fps
          </span>
        </span>
      )}
    </p>
  );
}
