import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { listDatasets, startImport, type ImportOptions } from '../../api/globe';
import { DropZone } from '../../components/DropZone';
import { ErrorNotice } from '../../components/ErrorNotice';
import { JobProgress } from '../../components/JobProgress';
import { UploadProgress, type UploadState } from '../../components/UploadProgress';
import { announce } from '../../hooks/dataChanges';
import { useDatasets } from '../../hooks/useDatasets';
import { isFinished, useJob } from '../../hooks/useJob';
import { ImportReport } from './ImportReport';
import { nextDatasetColor } from './dataset-palette';

const NEW_DATASET = '';

interface Run {
  file: File;
  /** The dataset imported into: an existing one, or the one this import creates (it exists once the job completes). */
  datasetId: string;
  datasetName: string;
  createsDataset: boolean;
  jobId: string;
}

/** Import a CSV, JSON or GeoJSON file into a dataset (a new one named after the file, or an existing one), with live progress. */
export function ImportPanel() {
  const datasets = useDatasets();
  const [target, setTarget] = useState(NEW_DATASET);
  const [options, setOptions] = useState<ImportOptions>({ skipInvalidRows: false, duplicateHandling: 'skip' });
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const [upload, setUpload] = useState<(UploadState & { name: string }) | null>(null);
  const job = useJob(run?.jobId ?? null);
  const busy = starting || (run !== null && !isFinished(job));

  // A new dataset appears (and takes its place in the list) once its import has written it.
  useEffect(() => {
    if (run?.createsDataset && job?.state === 'completed') announce('datasets', 'audit');
  }, [run, job?.state]);

  /** `datasetId` null: a new dataset named after the file, in a colour no dataset has yet. */
  const begin = async (file: File, datasetId: string | null, opts: ImportOptions) => {
    setError(null);
    setRun(null);
    setStarting(true);
    try {
      // Read now, not from the list on screen, which may not have loaded yet: the colour must be one no dataset has.
      const existing = await listDatasets();
      const name = datasetId ? (existing.find((d) => d.id === datasetId)?.name ?? 'dataset') : file.name.replace(/\.[^.]+$/, '') || file.name;
      const target = datasetId ? { datasetId } : { newDataset: { name, color: nextDatasetColor(existing.map((d) => d.color)) } };
      setUpload({ name: file.name, sent: 0, total: file.size });
      const started = await startImport(target, file, opts, (sent, total) => setUpload({ name: file.name, sent, total }));
      setRun({ file, datasetId: started.datasetId, datasetName: name, createsDataset: !datasetId, jobId: started.jobId });
    } catch (e) {
      setError(e);
    } finally {
      setStarting(false);
      setUpload(null);
    }
  };

  return (
    <div className="stack">
      <div className="form-row">
        <label>
          <span>Import into</span>
          <select value={target} onChange={(e) => setTarget(e.target.value)} disabled={busy}>
            <option value={NEW_DATASET}>A new dataset named after the file</option>
            {(datasets.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Locations whose id exists already</span>
          <select value={options.duplicateHandling} onChange={(e) => setOptions({ ...options, duplicateHandling: e.target.value as ImportOptions['duplicateHandling'] })} disabled={busy}>
            <option value="skip">Skip them</option>
            <option value="replace">Replace the existing ones</option>
            <option value="allow">Keep both (new id)</option>
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={options.skipInvalidRows} onChange={(e) => setOptions({ ...options, skipInvalidRows: e.target.checked })} disabled={busy} />
          <span>Skip bad rows instead of refusing the file</span>
        </label>
      </div>
      <DropZone
        label="Drop a CSV, JSON or GeoJSON file here"
        hint="Columns are read as the Globe app reads them: name, lat/latitude, lng/lon/longitude, quantity; every other column is kept."
        accept=".csv,.txt,.json,.geojson,text/csv,application/json,application/geo+json"
        disabled={busy}
        onFile={(file) => void begin(file, target || null, options)}
      />
      {upload && <UploadProgress name={upload.name} upload={upload} />}
      <ErrorNotice error={error} title="The file was not accepted" />
      {run && !upload && (
        <section aria-label="Import progress" className="stack">
          <p className="muted">
            {run.file.name} → {run.createsDataset ? `a new dataset, ${run.datasetName}` : run.datasetName}
          </p>
          <JobProgress job={job} label="Import" onCancel={() => void api.post(`/api/jobs/${run.jobId}/cancel`).catch(setError)} />
          {job && <ImportReport job={job} onSkipBadRows={() => void begin(run.file, run.createsDataset ? null : run.datasetId, { ...options, skipInvalidRows: true })} />}
        </section>
      )}
    </div>
  );
}
