import { Http, waitForJob } from '../../support/app-harness';

/** A CSV of `n` valid cities (`name,lat,lng,quantity`); every third row has no quantity. */
export function citiesCsv(n: number, prefix = 'City'): string {
  const lines = ['name,lat,lng,quantity,country'];
  for (let i = 0; i < n; i++) {
    const lat = (((i * 37) % 170) - 85 + (i % 10) / 10).toFixed(3);
    const lng = (((i * 53) % 350) - 175 + (i % 7) / 10).toFixed(3);
    lines.push(`${prefix} ${i},${lat},${lng},${i % 3 === 0 ? '' : i},Country ${i % 5}`);
  }
  return lines.join('\n') + '\n';
}

/** Points spread evenly over the sphere (a Fibonacci lattice), so a globe of them is dense everywhere. */
export function spreadCsv(n: number): string {
  const lines = ['name,lat,lng'];
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < n; i++) {
    const y = 1 - (2 * (i + 0.5)) / n;
    const lat = (Math.asin(y) * 180) / Math.PI;
    const lng = ((((i * golden * 180) / Math.PI) % 360) + 360) % 360 - 180;
    lines.push(`Point ${i},${lat.toFixed(5)},${lng.toFixed(5)}`);
  }
  return lines.join('\n') + '\n';
}

/** Creates a dataset and imports a CSV into it through the HTTP API (set-up, not the flow under test). */
export async function seedDataset(http: Http, name: string, csv: string, color = '#e4572e'): Promise<{ id: string }> {
  const created = await http.post('/api/datasets').send({ name, color });
  if (created.status !== 201) throw new Error(`POST /api/datasets answered ${created.status}`);
  const started = await http.post(`/api/datasets/${created.body.id}/import`).set('Content-Type', 'text/csv').send(csv);
  if (started.status !== 202) throw new Error(`import answered ${started.status}: ${JSON.stringify(started.body)}`);
  const job = await waitForJob(http, started.body.jobId, 60_000);
  if (job.state !== 'completed') throw new Error(`seed import ended ${job.state}: ${JSON.stringify(job.error)}`);
  return { id: created.body.id };
}
