import { useState } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useDatasets } from '../../hooks/useDatasets';
import { DatasetRow } from './DatasetRow';
import { NewDatasetForm } from './NewDatasetForm';

/** Every dataset with what can be done to it. */
export function DatasetsPanel() {
  const datasets = useDatasets();
  const [error, setError] = useState<unknown>(null);
  const items = datasets.data ?? [];
  return (
    <div className="stack">
      <NewDatasetForm />
      <ErrorNotice error={error ?? datasets.error} />
      {items.length === 0 && !datasets.loading ? (
        <p className="muted">No datasets yet: create one, or import a file.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" aria-label="Datasets">
            <thead>
              <tr>
                <th scope="col">Colour</th>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  Locations
                </th>
                <th scope="col">Source</th>
                <th scope="col">Updated</th>
                <th scope="col">On the globe</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <DatasetRow key={d.id} dataset={d} onError={setError} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
