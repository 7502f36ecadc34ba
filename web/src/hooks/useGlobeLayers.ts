import { useMemo } from 'react';
import type { GlobePoints } from '../../../clients/globe-vault-client/globe-points';
import type { Dataset } from '../api/types';
import { type GlobeLayer, type PointColumns, positionsOf, sizesOf } from '../globe/geo';
import { useVersion } from './dataChanges';
import { useDatasets } from './useDatasets';
import { loadGlobePoints } from './pointsCache';
import { useLoad } from './useLoad';

export interface GlobeData {
  datasets: Dataset[];
  layers: GlobeLayer[];
  /** Points in hand (0 until they arrive: one request brings them all). */
  loaded: number;
  loading: boolean;
  error: unknown;
}

/**
 * The globe's layers now, as of `at`, or as backup `backupId` holds them: one per dataset with locations, in the datasets' order,
 * with their colour and visibility. The points come from GET /api/globe/points (columns, no names
 * or properties: a clicked point's come from GET /api/locations/:id); positions and sizes are
 * computed once per fetch, and renaming, recolouring or hiding a dataset reuses them.
 * `updatedAt` also fetches each point's update time (the restore preview's "newest wins").
 */
export function useGlobeLayers(at?: string, backupId?: string, options: { updatedAt?: boolean } = {}): GlobeData {
  const version = useVersion('locations');
  const datasets = useDatasets(at, backupId);
  const points = useLoad(() => loadGlobePoints(at, version, backupId, options.updatedAt), [at, version, backupId, options.updatedAt]);
  const built = useMemo(() => buildLayers(points.data), [points.data]);
  const layers = useMemo(
    () =>
      (datasets.data ?? []).flatMap((d) => {
        const b = built.get(d.id);
        return b ? [{ id: d.id, name: d.name, color: d.color, visible: d.visible, ...b }] : [];
      }),
    [datasets.data, built],
  );
  return {
    datasets: datasets.data ?? [],
    layers,
    loaded: points.data?.ids.length ?? 0,
    loading: points.loading || datasets.loading,
    error: points.error ?? datasets.error,
  };
}

type Built = PointColumns & Pick<GlobeLayer, 'count' | 'positions' | 'sizes'>;

/** Each dataset's slice of the columns (views, not copies: the points come grouped by dataset), with its positions and sizes. */
function buildLayers(points: GlobePoints | undefined): Map<string, Built> {
  const out = new Map<string, Built>();
  if (!points) return out;
  let start = 0;
  for (const { id, count } of points.datasets) {
    const end = start + count;
    const columns: PointColumns = {
      ids: points.ids.slice(start, end),
      latitude: points.latitude.subarray(start, end),
      longitude: points.longitude.subarray(start, end),
      quantity: points.quantity.subarray(start, end),
      ...(points.updatedAt ? { updatedAt: points.updatedAt.slice(start, end) } : {}),
    };
    out.set(id, { ...columns, count, positions: positionsOf(columns), sizes: sizesOf(columns.quantity) });
    start = end;
  }
  return out;
}
