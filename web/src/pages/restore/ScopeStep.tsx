import { useState } from 'react';
import type { Dataset } from '../../api/types';
import { formatCount } from '../../components/format';
import { useDatasets } from '../../hooks/useDatasets';
import { ErrorNotice } from '../../components/ErrorNotice';
import { type ChosenSource, type ScopeChoice, WHOLE_SCOPE, scopeIsEmpty } from './wizardTypes';

interface Candidate {
  dataset: Dataset;
  note: string;
}

/** Datasets on either side: there now, there at the target, or both (a deleted one is only in the past). */
function candidates(now: Dataset[], then: Dataset[] | null): Candidate[] {
  if (!then) return now.map((dataset) => ({ dataset, note: '' }));
  const nowIds = new Set(now.map((d) => d.id));
  const thenIds = new Set(then.map((d) => d.id));
  return [
    ...then.map((dataset) => ({ dataset, note: nowIds.has(dataset.id) ? '' : 'deleted since — restoring brings it back' })),
    ...now.filter((d) => !thenIds.has(d.id)).map((dataset) => ({ dataset, note: 'created since — restoring removes it' })),
  ];
}

/** Step 2: what to restore (for a Save Project file, how to load it). */
export function ScopeStep({ source, initial, onBack, onNext, busy }: { source: ChosenSource; initial: ScopeChoice; onBack: () => void; onNext: (choice: ScopeChoice) => void; busy: boolean }) {
  if (source.project && source.backupId) return <ProjectScope backupId={source.backupId} label={source.label} busy={busy} onBack={onBack} onNext={onNext} />;
  return <ChosenScope source={source} initial={initial} busy={busy} onBack={onBack} onNext={onNext} />;
}

/**
 * Loading a Save Project file: by default its dataset is added and nothing else is touched (the
 * restore's scope is that dataset alone); replacing everything (the whole scope: every other
 * dataset, the settings and the configurations go back to the file's) is the explicit second choice.
 */
function ProjectScope({ backupId, label, onBack, onNext, busy }: { backupId: string; label: string; onBack: () => void; onNext: (choice: ScopeChoice) => void; busy: boolean }) {
  const [replace, setReplace] = useState(false);
  const inFile = useDatasets(undefined, backupId);
  const datasets = inFile.data ?? [];
  const choice: ScopeChoice = replace ? WHOLE_SCOPE : { everything: false, datasets: datasets.map((d) => d.id), settings: false, configurations: false };
  const names = datasets.map((d) => `“${d.name}” (${formatCount(d.locationCount)} locations)`).join(', ');
  return (
    <div className="stack">
      <p>
        Loading <strong>{label}</strong>.
      </p>
      <fieldset className="choice-group">
        <legend>How to load the project</legend>
        <label className="radio">
          <input type="radio" name="project" checked={!replace} onChange={() => setReplace(false)} />
          <span>Add it as a new dataset{names ? ` ${names}` : ''}, and keep everything else as it is</span>
        </label>
        <label className="radio">
          <input type="radio" name="project" checked={replace} onChange={() => setReplace(true)} />
          <span>Replace everything: remove every other dataset and take the project’s settings</span>
        </label>
      </fieldset>
      <ErrorNotice error={inFile.error} />
      <div className="form-actions">
        <button type="button" className="button" onClick={onBack}>
          Back
        </button>
        <button type="button" className="button button-primary" disabled={scopeIsEmpty(choice) || busy} onClick={() => onNext(choice)}>
          {busy ? 'Computing the preview…' : 'Next: preview'}
        </button>
      </div>
    </div>
  );
}

/** Everything, or some datasets, the settings, the configurations. */
function ChosenScope({ source, initial, onBack, onNext, busy }: { source: ChosenSource; initial: ScopeChoice; onBack: () => void; onNext: (choice: ScopeChoice) => void; busy: boolean }) {
  const [choice, setChoice] = useState(initial);
  const now = useDatasets();
  const then = useDatasets(source.at ?? undefined);
  const list = candidates(now.data ?? [], source.at ? (then.data ?? []) : null);
  const toggleDataset = (id: string, on: boolean) => setChoice({ ...choice, datasets: on ? [...choice.datasets, id] : choice.datasets.filter((d) => d !== id) });
  return (
    <div className="stack">
      <p>
        Restoring to <strong>{source.label}</strong>.
      </p>
      <fieldset className="choice-group">
        <legend>What to restore</legend>
        <label className="radio">
          <input type="radio" name="scope" checked={choice.everything} onChange={() => setChoice({ ...choice, everything: true })} />
          <span>Everything: all datasets and locations, the settings and the configurations</span>
        </label>
        <label className="radio">
          <input type="radio" name="scope" checked={!choice.everything} onChange={() => setChoice({ ...choice, everything: false })} />
          <span>Only what I choose</span>
        </label>
      </fieldset>
      {!choice.everything && (
        <fieldset className="choice-group">
          <legend>Choose</legend>
          {list.map(({ dataset, note }) => (
            <label key={dataset.id} className="checkbox">
              <input type="checkbox" checked={choice.datasets.includes(dataset.id)} onChange={(e) => toggleDataset(dataset.id, e.target.checked)} />
              <span>
                <span className="swatch" style={{ background: dataset.color }} aria-hidden="true" /> Dataset “{dataset.name}” ({formatCount(dataset.locationCount)} locations)
                {note && <em className="muted"> — {note}</em>}
              </span>
            </label>
          ))}
          <label className="checkbox">
            <input type="checkbox" checked={choice.settings} onChange={(e) => setChoice({ ...choice, settings: e.target.checked })} />
            <span>The settings</span>
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={choice.configurations} onChange={(e) => setChoice({ ...choice, configurations: e.target.checked })} />
            <span>The saved configurations</span>
          </label>
        </fieldset>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onBack}>
          Back
        </button>
        <button type="button" className="button button-primary" disabled={scopeIsEmpty(choice) || busy} onClick={() => onNext(choice)}>
          {busy ? 'Computing the preview…' : 'Next: preview'}
        </button>
      </div>
    </div>
  );
}
