import { useRef, useState } from 'react';
import type { Location } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { GlobeCanvas } from '../globe/GlobeCanvas';
import { GlobeStatus } from '../globe/GlobeStatus';
import { LayerPanel } from '../globe/LayerPanel';
import { PropertiesPanel } from '../globe/PropertiesPanel';
import { useGlobeLayers } from '../hooks/useGlobeLayers';
import { useSettings } from '../hooks/useSettings';
import { DEFAULT_VIEW } from '../globe/globeStyles';

/** The Globe: every dataset as a layer of points, click a point to see its properties. */
export function GlobePage() {
  const globe = useGlobeLayers();
  const settings = useSettings();
  const [selected, setSelected] = useState<Location | null>(null);
  const fpsRef = useRef<HTMLSpanElement>(null);
  return (
    <div className="globe-page">
      <h1 className="visually-hidden">Globe</h1>
      <div className="globe-stage">
        <GlobeCanvas
          layers={globe.layers}
          view={settings.data ?? DEFAULT_VIEW}
          selected={selected}
          onPick={setSelected}
          fpsTarget={fpsRef}
          label="3D globe of your locations; drag to turn, scroll to zoom, click a point to see its properties"
        />
        <div className="globe-overlay globe-overlay-left">
          <LayerPanel datasets={globe.datasets} />
        </div>
        {selected && (
          <div className="globe-overlay globe-overlay-right">
            <PropertiesPanel key={selected.id} location={selected} dataset={globe.datasets.find((d) => d.id === selected.datasetId)} onClose={() => setSelected(null)} onChanged={setSelected} />
          </div>
        )}
      </div>
      <GlobeStatus layers={globe.layers} loaded={globe.loaded} loading={globe.loading} fpsRef={fpsRef} />
      <ErrorNotice error={globe.error} title="Could not load the locations" />
    </div>
  );
}
