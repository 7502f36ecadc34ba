import { useRef, useState } from 'react';
import { getLocation } from '../api/globe';
import type { Location } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { GlobeCanvas } from '../globe/GlobeCanvas';
import { GlobeStatus } from '../globe/GlobeStatus';
import { LayerPanel } from '../globe/LayerPanel';
import { PropertiesPanel } from '../globe/PropertiesPanel';
import type { PickedPoint } from '../globe/usePointPicking';
import { useGlobeLayers } from '../hooks/useGlobeLayers';
import { useSettings } from '../hooks/useSettings';
import { DEFAULT_VIEW } from '../globe/globeStyles';

/**
 * The Globe: every dataset as a layer of points, click a point to see its properties. The globe
 * holds only what it draws; a clicked point's name, properties and times are fetched then.
 */
export function GlobePage() {
  const globe = useGlobeLayers();
  const settings = useSettings();
  const [picked, setPicked] = useState<PickedPoint | null>(null);
  const [selected, setSelected] = useState<Location | null>(null);
  const [pickError, setPickError] = useState<unknown>(null);
  const fpsRef = useRef<HTMLSpanElement>(null);
  const latestPick = useRef<PickedPoint | null>(null);

  const pick = (point: PickedPoint | null) => {
    latestPick.current = point;
    setPicked(point);
    setPickError(null);
    if (!point) return setSelected(null);
    getLocation(point.id).then(
      (location) => latestPick.current === point && setSelected(location),
      (error) => latestPick.current === point && (setSelected(null), setPickError(error)),
    );
  };
  const changed = (saved: Location | null) => {
    latestPick.current = saved && { id: saved.id, datasetId: saved.datasetId, latitude: saved.latitude, longitude: saved.longitude };
    setPicked(latestPick.current);
    setSelected(saved);
  };
  const shown = selected && selected.id === picked?.id ? selected : null;
  return (
    <div className="globe-page">
      <h1 className="visually-hidden">Globe</h1>
      <div className="globe-stage">
        <GlobeCanvas
          layers={globe.layers}
          view={settings.data ?? DEFAULT_VIEW}
          selected={shown ?? picked}
          onPick={pick}
          fpsTarget={fpsRef}
          label="3D globe of your locations; drag to turn, scroll to zoom, click a point to see its properties"
        />
        <div className="globe-overlay globe-overlay-left">
          <LayerPanel datasets={globe.datasets} />
        </div>
        {shown && (
          <div className="globe-overlay globe-overlay-right">
            <PropertiesPanel key={shown.id} location={shown} dataset={globe.datasets.find((d) => d.id === shown.datasetId)} onClose={() => pick(null)} onChanged={changed} />
          </div>
        )}
      </div>
      <GlobeStatus layers={globe.layers} loaded={globe.loaded} loading={globe.loading} fpsRef={fpsRef} />
      <ErrorNotice error={globe.error} title="Could not load the locations" />
      <ErrorNotice error={pickError} title="Could not load that location" />
    </div>
  );
}
