import { Command } from 'commander';
import type { ChainReport, RecordedEvent } from '../../events/event-store';
import { action, connected, Ctx, integer, isoTime } from '../command-context';
import { followJob } from '../job-progress';
import { CliError, EXIT, Page } from '../output';

type AuditPage = Page<RecordedEvent>;

const line = (e: RecordedEvent) =>
  `#${e.position}  ${e.recordedAt}  ${e.type.padEnd(22)}  ${e.metadata.actor} (${e.metadata.source})  ${e.stream}${e.metadata.reason ? `  "${e.metadata.reason}"` : ''}`;

/**
 * The newest N events, oldest first (with --json a page: `next` is the cursor of the events before
 * them, for `audit search --after`); with --follow, then every new event as it is appended (polled
 * each second; with --json one event a line).
 */
async function tail({ client, out }: Ctx, opts: Record<string, any>): Promise<void> {
  const newest = await client.get<AuditPage>('/api/audit', { limit: integer(opts.lines, '--lines'), order: 'desc' });
  const shown = [...newest.items].reverse();
  if (!opts.follow) return out.result({ items: shown, next: newest.next }, ({ items }) => items.map(line).join('\n') || '(no events)');
  const print = (e: RecordedEvent) => process.stdout.write(`${opts.json ? JSON.stringify(e) : line(e)}\n`);
  shown.forEach(print);
  let last = shown.length ? shown[shown.length - 1].position : 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const events = await newerThan(client, last);
    events.forEach(print);
    if (events.length) last = events[events.length - 1].position;
  }
}

/** Every event after `last`, oldest first: newest-first pages (through the API's own `next` cursor) until one reaches `last`. */
async function newerThan(client: Ctx['client'], last: number): Promise<RecordedEvent[]> {
  const found: RecordedEvent[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await client.get<AuditPage>('/api/audit', { order: 'desc', limit: 1000, after });
    const newer = page.items.filter((e) => e.position > last);
    found.push(...newer);
    if (newer.length < page.items.length || !page.next) return found.reverse();
    after = page.next;
  }
}

async function search({ client, out }: Ctx, opts: Record<string, any>): Promise<void> {
  const page = await client.get<AuditPage>('/api/audit', {
    type: opts.type,
    actor: opts.actor,
    datasetId: opts.dataset,
    stream: opts.stream,
    correlationId: opts.correlationId,
    from: opts.from && isoTime(opts.from, '--from'),
    to: opts.to && isoTime(opts.to, '--to'),
    order: opts.order,
    limit: integer(opts.limit, '--limit'),
    after: opts.after,
  });
  out.result(page, (p) => [...p.items.map(line), ...(p.next ? [`(more: --after ${p.next})`] : [])].join('\n') || '(no events)');
}

/**
 * Walks the log's hash chain on the server (an `audit-verify` job, its progress shown as any job's)
 * and prints its report; a broken chain ends with EXIT.FAILED and names the first broken position.
 */
async function verify({ client, out }: Ctx): Promise<void> {
  const { jobId } = await client.get<{ jobId: string }>('/api/audit/verify', { wait: 'false' });
  const report = (await followJob(client, jobId, out)).result as ChainReport;
  out.result({ jobId, ...report }, (r) =>
    r.ok
      ? `the chain holds: positions ${r.verifiedFrom}…${r.verifiedThrough} verified, head hash ${r.headHash}`
      : `the chain is BROKEN at position ${r.firstBrokenPosition}: ${r.reason}`,
  );
  if (!report.ok) throw new CliError(EXIT.FAILED, `the audit chain is broken at position ${report.firstBrokenPosition}`, { code: 'AUDIT.CHAIN_BROKEN', message: report.reason ?? 'the chain is broken', details: report });
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the audit trail: every change, who made it, when, through what and why');

  connected(audit.command('tail').description('the newest events'))
    .option('-n, --lines <n>', 'how many', '20')
    .option('-f, --follow', 'keep printing new events (one JSON document a line with --json)')
    .action(action(tail));

  connected(audit.command('search').description('events by type, actor, dataset, stream, correlation id or time'))
    .option('--type <types>', 'event types, comma-separated (e.g. LocationsAdded,DatasetDeleted)')
    .option('--actor <actor>', 'e.g. token:ci or a local name')
    .option('--dataset <id>', 'events of one dataset')
    .option('--stream <stream>', 'one stream')
    .option('--correlation-id <id>', 'everything one request or job wrote')
    .option('--from <time>', 'recorded at or after')
    .option('--to <time>', 'recorded at or before')
    .option('--order <order>', 'asc or desc', 'desc')
    .option('--limit <n>', 'at most this many (1-1000)', '100')
    .option('--after <cursor>', 'the next page (the `next` of the previous answer)')
    .action(action(search));

  connected(audit.command('verify').description('check the hash chain of the whole log (a job): every event links to the one before it')).action(action(verify));
}
