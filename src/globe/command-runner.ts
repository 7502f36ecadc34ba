import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { Clock } from '../common/clock';
import { storageFullAfterAppend } from '../common/storage-full';
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
 * Read models with no room to write (a full disk) refuse the command before it appends (507
 * STORAGE.FULL), or, when they fill up just after, say the change is recorded but not yet shown.
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
      // Read models that have no room cannot catch up: refuse before appending anything.
      await this.projector.waitFor(await this.store.headPosition(), undefined, { unlessStorageFull: true });
      const state = await run.load();
      const events = decide(state, run.command(state));
      if (events.length === 0) return null;
      try {
        const result = await this.store.append(
          run.stream,
          events.map((e) => ({ ...e, metadata: run.metadata })),
          expected,
        );
        await this.projector.waitFor(result.lastPosition, undefined, { unlessStorageFull: true }).catch((error) => {
          throw error instanceof AppError && error.code === 'STORAGE.FULL' ? storageFullAfterAppend(result.lastPosition) : error;
        });
        return result;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}
