import { OrbitControls } from '@react-three/drei';
import { Canvas } from '@react-three/fiber';
import { useMemo, useRef } from 'react';
import type { Points } from 'three';
import type { Location } from '../api/types';
import './threeConsole';
import { DrawnPointsMark } from './DrawnPointsMark';
import { Earth } from './Earth';
import { FitToView } from './FitToView';
import { FrameMeter } from './FrameMeter';
import { KeepRendering } from './KeepRendering';
import { POINT_RADIUS, type GlobeLayer, writeLatLng } from './geo';
import { GLOBE_PALETTES, type GlobeView } from './globeStyles';
import { PointLayer } from './PointLayer';
import { type PickedPoint, usePointPicking } from './usePointPicking';

export interface GlobeCanvasProps {
  layers: GlobeLayer[];
  view: GlobeView;
  /** The location whose properties are shown (a white marker); picking a point only names it (`onPick`). */
  selected?: Pick<Location, 'latitude' | 'longitude'> | null;
  onPick?: (point: PickedPoint | null) => void;
  /** Where the frame rate is written (see FrameMeter). */
  fpsTarget?: React.RefObject<HTMLElement | null>;
  label: string;
}

/** The 3D globe: oceans, land, atmosphere, one point layer per dataset, orbit controls and picking. */
export function GlobeCanvas({ layers, view, selected, onPick, fpsTarget, label }: GlobeCanvasProps) {
  const palette = GLOBE_PALETTES[view.globeStyle] ?? GLOBE_PALETTES.default;
  const turning = view.autoRotate && !selected;
  return (
    <div className="globe-canvas" role="img" aria-label={label}>
      <Canvas frameloop="demand" camera={{ position: [0, 0.9, 2.7], fov: 45, near: 0.01, far: 100 }} dpr={[1, 2]} gl={{ antialias: false }}>
        <color attach="background" args={[palette.background]} />
        <Earth palette={palette} />
        <Layers layers={layers} showQuantities={view.showQuantityVisualization} onPick={onPick ?? (() => undefined)} />
        {selected && <SelectedMarker location={selected} />}
        <OrbitControls
          enablePan={false}
          minDistance={1.2}
          maxDistance={8}
          rotateSpeed={0.5}
          zoomSpeed={0.8}
          autoRotate={turning}
          autoRotateSpeed={view.rotationSpeed}
        />
        <FitToView />
        <DrawnPointsMark />
        <KeepRendering active={turning} />
        {fpsTarget && <FrameMeter target={fpsTarget} />}
      </Canvas>
    </div>
  );
}

function Layers({ layers, showQuantities, onPick }: { layers: GlobeLayer[]; showQuantities: boolean; onPick: (point: PickedPoint | null) => void }) {
  const refs = useRef(new Map<string, Points>());
  usePointPicking(layers, refs, onPick);
  return (
    <>
      {layers.map((layer) => (
        <PointLayer
          key={layer.id}
          layer={layer}
          showQuantities={showQuantities}
          ref={(points) => {
            if (points) refs.current.set(layer.id, points);
            else refs.current.delete(layer.id);
          }}
        />
      ))}
    </>
  );
}

function SelectedMarker({ location }: { location: Pick<Location, 'latitude' | 'longitude'> }) {
  const position = useMemo(() => {
    const p = new Float32Array(3);
    writeLatLng(p, 0, location.latitude, location.longitude, POINT_RADIUS);
    return [p[0], p[1], p[2]] as [number, number, number];
  }, [location]);
  return (
    <mesh position={position}>
      <sphereGeometry args={[0.012, 16, 12]} />
      <meshBasicMaterial color="#ffffff" />
    </mesh>
  );
}
