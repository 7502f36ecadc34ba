import { useMemo } from 'react';
import type { Dataset } from '../../api/types';
import { formatCount } from '../../components/format';
import { type GlobeLayer, positionsOf, sizesOf } from '../../globe/geo';
import { GlobeCanvas } from '../../globe/GlobeCanvas';
import { GlobeStatus } from '../../globe/GlobeStatus';
import { DEFAULT_VIEW } from '../../globe/globeStyles';
import { LayerPanel } from '../../globe/LayerPanel';
import { useGlobeLayers } from '../../hooks/useGlobeLayers';
import { useSettings } from '../../hooks/useSettings';
import { type Resolution, keepsCurrent } from './resolution';
import type { ChosenSource, ScopeChoice } from './wizardTypes';

/**
 * The globe as the restore would leave it: the datasets in scope as they were at the target, the
 * others as they are now, and the conflicts as the wizard's choices settle them.
 */
function merge<T extends { id: string }>(now: T[], then: T[], choice: ScopeChoice): T[] {
  if (choice.everything) return then;
  const inScope = new Set(choice.datasets);
  return [...now.filter((x) => !inScope.has(x.id)), ...then.filter((x) => inScope.has(x.id))];
}

/**
 * The merged layers with every location the choices keep as it is now put back in its current
 * version (its position and quantity: what the globe draws of it). A location is a candidate when
 * both sides hold it in different layers' data and its drawn fields or update time differ.
 */
function withChoices(layers: GlobeLayer[], now: GlobeLayer[], r: Resolution): GlobeLayer[] {
  const mayKeep = r.strategy === 'keep-current' || r.strategy === 'newest-wins' || Object.values(r.overrides).includes('current');
  if (!mayKeep) return layers;
  const current = new Map<string, { layer: GlobeLayer; i: number }>();
  for (const layer of now) for (let i = 0; i < layer.count; i++) current.set(layer.ids[i], { layer, i });
  return layers.map((layer) => {
    let kept: Pick<GlobeLayer, 'latitude' | 'longitude' | 'quantity'> | null = null;
    for (let i = 0; i < layer.count; i++) {
      const c = current.get(layer.ids[i]);
      if (!c || c.layer === layer) continue;
      const [lat, lng, q, updated] = [c.layer.latitude[c.i], c.layer.longitude[c.i], c.layer.quantity[c.i], c.layer.updatedAt?.[c.i]];
      const differs = lat !== layer.latitude[i] || lng !== layer.longitude[i] || !Object.is(q, layer.quantity[i]) || updated !== layer.updatedAt?.[i];
      if (!differs || !keepsCurrent(`location:${layer.ids[i]}`, { target: layer.updatedAt?.[i], current: updated }, r)) continue;
      kept ??= { latitude: layer.latitude.slice(), longitude: layer.longitude.slice(), quantity: layer.quantity.slice() };
      [kept.latitude[i], kept.longitude[i], kept.quantity[i]] = [lat, lng, q];
    }
    return kept ? { ...layer, ...kept, positions: positionsOf(kept), sizes: sizesOf(kept.quantity) } : layer;
  });
}

/** "Newest wins" compares update times: the preview fetches them with the points. */
const WITH_UPDATED_AT = { updatedAt: true };

/** Step 4: see the globe as it would be (read-only), with the choices made for the conflicts. */
export function GlobePreviewStep({ source, choice, resolution, onBack, onNext }: { source: ChosenSource; choice: ScopeChoice; resolution: Resolution; onBack: () => void; onNext: () => void }) {
  const now = useGlobeLayers(undefined, undefined, WITH_UPDATED_AT);
  const then = useGlobeLayers(source.at ?? undefined, source.backupId, WITH_UPDATED_AT);
  const settings = useSettings();
  const layers = useMemo(() => withChoices(merge<GlobeLayer>(now.layers, then.layers, choice), now.layers, resolution), [now.layers, then.layers, choice, resolution]);
  const datasets = useMemo(() => merge<Dataset>(now.datasets, then.datasets, choice), [now.datasets, then.datasets, choice]);
  const pointsNow = now.layers.reduce((n, l) => n + l.count, 0);
  return (
    <div className="stack">
      {source.noGlobe || (source.at === null && !source.backupId) ? (
        <p className="notice notice-info">{source.noGlobe ?? 'An encrypted backup is not opened just to draw it: the preview’s counts say what would change.'}</p>
      ) : (
        <>
          <p>
            The globe after restoring to <strong>{source.label}</strong>. Now it shows {formatCount(pointsNow)} locations.
          </p>
          <div className="globe-stage globe-stage-small">
            <GlobeCanvas layers={layers} view={settings.data ?? DEFAULT_VIEW} label="The globe as the restore would leave it (read-only)" />
            <div className="globe-overlay globe-overlay-left">
              <LayerPanel datasets={datasets} readOnly />
            </div>
          </div>
          <GlobeStatus layers={layers} loaded={now.loaded + then.loaded} loading={now.loading || then.loading} />
        </>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onBack}>
          Back
        </button>
        <button type="button" className="button button-primary" onClick={onNext}>
          Next: confirm
        </button>
      </div>
    </div>
  );
}
