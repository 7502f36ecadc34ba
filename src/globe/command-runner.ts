import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { GlobeCommand } from '../domain/commands';
import { decide } from '../domain/decide';
import { GlobeState } from '../domain/globe-state';
import { EventMetadata } from '../domain/event-metadata';
import { AppendResult, EventStore } from '../events/event-store';
import { WrongExpectedRevisionError } from '../events/event-store.errors';
import { Projector } from '../projections/projector';
import { KeyedQueue } from '../common/keyed-queue';

const MAX_ATTEMPTS = 5;

export interface CommandRun {
  stream: string;
  /** Builds the command from the loaded state (so ids and time are fixed before deciding). */
  command: (state: GlobeState) => GlobeCommand;
  /** Loads the part of the state the command touches. */
  load: () => Promise<GlobeState>;
  metadata: EventMetadata;
}

/**
 * Load, decide, append, with optimistic concurrency: the stream's revision is read before the
 * state, and the append expects it, so a decision taken on stale state is refused by the store and
 * taken again on fresh state (a bounded number of times, then the 409 reaches the caller).
 * Resolves after the read models include the append, so the caller's next read sees its write.
 * Within this process, commands on one stream run one after another: concurrent requests would only
 * refuse each other; the expected revision still guards against every other writer.
 */
@Injectable()
export class CommandRunner {
  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly clock: Clock,
  ) {}

  now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private readonly streams = new KeyedQueue();

  run(run: CommandRun): Promise<AppendResult | null> {
    return this.streams.run(run.stream, () => this.attempt(run));
  }

  private async attempt(run: CommandRun): Promise<AppendResult | null> {
    for (let attempt = 1; ; attempt++) {
      const expected = await this.store.streamRevision(run.stream);
      await this.projector.waitFor(await this.store.headPosition());
      const state = await run.load();
      const events = decide(state, run.command(state));
      if (events.length === 0) return null;
      try {
        const result = await this.store.append(
          run.stream,
          events.map((e) => ({ ...e, metadata: run.metadata })),
          expected,
        );
        await this.projector.waitFor(result.lastPosition);
        return result;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}
