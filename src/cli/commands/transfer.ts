import { Command, Option } from 'commander';
import { action, connected } from '../command-context';
import { followJob } from '../job-progress';
import { CliError, EXIT } from '../output';

/**
 * Data in and out: `import` streams a file into a dataset (a job, all or nothing), `export`
 * streams any export format to a file or stdout without storing a backup.
 */
export function registerTransfer(program: Command): void {
  connected(program.command('import <file>').description('import a CSV, JSON or GeoJSON file into a dataset (a job)'))
    .option('--dataset <id>', 'the dataset to import into')
    .option('--new-dataset <name>', 'or into a new dataset of this name, created by the same write (none if the file is refused)')
    .addOption(new Option('--duplicates <handling>', 'locations whose id exists already').choices(['skip', 'replace', 'allow']).default('skip'))
    .option('--skip-invalid-rows', 'import the valid rows, report the bad ones (default: a bad row fails the whole import)')
    .addOption(new Option('--encoding <encoding>', 'the file’s encoding').choices(['utf-8', 'latin1', 'windows-1252']))
    .addOption(new Option('--format <format>', 'default: recognised from the content').choices(['csv', 'json', 'geojson']))
    .action(
      action(async ({ client, out }, opts, file: string) => {
        if ((opts.dataset === undefined) === (opts.newDataset === undefined)) throw new CliError(EXIT.USAGE, 'import: give --dataset <id> or --new-dataset <name>');
        const path = opts.dataset !== undefined ? `/api/datasets/${encodeURIComponent(opts.dataset)}/import` : '/api/datasets/import';
        const { jobId, datasetId } = await client.upload<{ jobId: string; datasetId: string }>(path, file, {
          name: opts.newDataset,
          fileName: file.split(/[\\/]/).pop(),
          duplicateHandling: opts.duplicates,
          skipInvalidRows: opts.skipInvalidRows ? 'true' : undefined,
          encoding: opts.encoding,
          format: opts.format,
        });
        const job = await followJob(client, jobId, out);
        out.result({ jobId, datasetId, result: job.result }, (r) => `imported ${file} into dataset ${r.datasetId} (job ${r.jobId}): ${JSON.stringify(r.result)}`);
      }),
    );

  connected(program.command('export').description('export the data in one streamed download'))
    .addOption(new Option('--format <format>', 'what to write').choices(['globe-project', 'backup-data', 'csv', 'native']).default('globe-project'))
    .option('--dataset <id>', 'one dataset only')
    .option('-o, --output <file>', 'where to write it (`-` for stdout); default the server’s file name in this folder')
    .action(
      action(async ({ client, out }, opts) => {
        const saved = await client.download('/api/export', opts.output, { format: opts.format, datasetId: opts.dataset });
        if (saved.file !== '-') out.result(saved, (s) => `wrote ${s.file} (${s.bytes} bytes)`);
      }),
    );
}
