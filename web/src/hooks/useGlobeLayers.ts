import { useMemo, useState } from 'react';
import type { Dataset, Location } from '../api/types';
import { type GlobeLayer, groupByDataset, positionsOf, sizesOf } from '../globe/geo';
import { useVersion } from './dataChanges';
import { useDatasets } from './useDatasets';
import { loadAllLocations } from './locationCache';
import { useLoad } from './useLoad';

export interface GlobeData {
  datasets: Dataset[];
  layers: GlobeLayer[];
  /** Locations fetched so far (pages arrive 10,000 at a time). */
  loaded: number;
  loading: boolean;
  error: unknown;
}

/**
 * The globe's layers now, as of `at`, or as backup `backupId` holds them: one per dataset with locations, in the datasets' order,
 * with their colour and visibility. Point positions and sizes are computed once per fetch;
 * renaming, recolouring or hiding a dataset reuses them.
 */
export function useGlobeLayers(at?: string, backupId?: string): GlobeData {
  const version = useVersion('locations');
  const [loaded, setLoaded] = useState(0);
  const datasets = useDatasets(at, backupId);
  const locations = useLoad(() => loadAllLocations(at, version, setLoaded, backupId), [at, version, backupId]);
  const built = useMemo(() => buildPositions(locations.data ?? []), [locations.data]);
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
    loaded: locations.data?.length ?? loaded,
    loading: locations.loading || datasets.loading,
    error: locations.error ?? datasets.error,
  };
}

type Built = Pick<GlobeLayer, 'locations' | 'positions' | 'sizes'>;

function buildPositions(locations: Location[]): Map<string, Built> {
  const out = new Map<string, Built>();
  for (const [id, group] of groupByDataset(locations)) out.set(id, { locations: group, positions: positionsOf(group), sizes: sizesOf(group) });
  return out;
}
