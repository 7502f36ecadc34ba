/**
 * Every write the service acknowledged (a 2xx), keyed by the correlation id its events carry: the
 * client's X-Request-Id for a command, the job id of an import, the restore id of a restore. A
 * harness records the write only once the 2xx has arrived, so a write in flight at a kill is not
 * in the ledger (it may or may not be in the log); one in the ledger must be.
 */
export class WriteLedger {
  private readonly writes = new Map<string, { what: string; oneEvent: boolean }>();
  /** Correlation ids of requests the service refused (4xx): none of them may be in the log. */
  private readonly refused = new Map<string, string>();
  private readonly backups = new Map<string, string>();
  private readonly deletedBackups = new Set<string>();

  /** `oneEvent`: the write decides exactly one event (a create, a patch), so it must be in the log exactly once. */
  ack(correlationId: string, what: string, oneEvent = false): void {
    this.writes.set(correlationId, { what, oneEvent });
  }

  refuse(correlationId: string, what: string): void {
    this.refused.set(correlationId, what);
  }

  /** A backup whose job completed (or an upload answered 201): it must stay listed and verify until deleted. */
  backupDone(backupId: string, what: string): void {
    this.backups.set(backupId, what);
  }

  backupDeleted(backupId: string): void {
    this.deletedBackups.add(backupId);
  }

  get acknowledged(): number {
    return this.writes.size;
  }

  get refusedCount(): number {
    return this.refused.size;
  }

  /** Backups that must still be listed. */
  expectedBackups(): [string, string][] {
    return [...this.backups].filter(([id]) => !this.deletedBackups.has(id));
  }

  /**
   * Compares the ledger with the log's events (the audit trail): every acknowledged write is there
   * (a one-event write exactly once), and no refused request is there at all.
   */
  problemsAgainst(events: { metadata: { correlationId: string } }[]): string[] {
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.metadata.correlationId, (counts.get(e.metadata.correlationId) ?? 0) + 1);
    const problems: string[] = [];
    for (const [id, { what, oneEvent }] of this.writes) {
      const n = counts.get(id) ?? 0;
      if (n === 0) problems.push(`acknowledged write missing from the log: ${what} (correlation ${id})`);
      else if (oneEvent && n !== 1) problems.push(`acknowledged write in the log ${n} times: ${what} (correlation ${id})`);
    }
    for (const [id, what] of this.refused) {
      if (counts.has(id)) problems.push(`refused request wrote ${counts.get(id)} event(s): ${what} (correlation ${id})`);
    }
    return problems;
  }
}
