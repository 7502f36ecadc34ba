import fc from 'fast-check';
import { DomainError } from '../../src/domain/domain-errors';
import { GlobeCommand } from '../../src/domain/commands';
import { decide } from '../../src/domain/decide';
import { evolve } from '../../src/domain/evolve';
import { GlobeEvent } from '../../src/domain/events';
import { GlobeState } from '../../src/domain/globe-state';

/**
 * Random Globe histories for property tests: commands over a small pool of ids so that they collide
 * (updates of deleted things, re-created configurations), plus bulk upserts that move locations
 * between datasets the way imports and restores can.
 */
const ids = { ds: ['d1', 'd2', 'd3'], loc: ['l1', 'l2', 'l3', 'l4', 'l5', 'l6'], cfg: ['c1', 'c2'] };
const now = '2026-02-01T00:00:00.000Z';

export const commandArb: fc.Arbitrary<GlobeCommand> = fc.oneof(
  fc.record({ id: fc.constantFrom(...ids.ds), name: fc.string({ minLength: 1, maxLength: 8 }) }).map(
    (d): GlobeCommand => ({ type: 'CreateDataset', now, data: d }),
  ),
  fc
    .record({ id: fc.constantFrom(...ids.ds), changes: fc.record({ name: fc.string({ minLength: 1, maxLength: 5 }), visible: fc.boolean() }, { requiredKeys: [] }) })
    .map((d): GlobeCommand => ({ type: 'UpdateDataset', now, data: d })),
  fc.constantFrom(...ids.ds).map((id): GlobeCommand => ({ type: 'DeleteDataset', now, data: { id } })),
  fc
    .record({
      datasetId: fc.constantFrom(...ids.ds),
      id: fc.constantFrom(...ids.loc),
      latitude: fc.double({ min: -90, max: 90, noNaN: true }),
      longitude: fc.double({ min: -180, max: 180, noNaN: true }),
      quantity: fc.option(fc.integer({ min: -5, max: 1000 }), { nil: undefined }),
      note: fc.string({ maxLength: 6 }),
    })
    .map(
      (l): GlobeCommand => ({
        type: 'AddLocation',
        now,
        data: {
          datasetId: l.datasetId,
          location: { id: l.id, name: `n-${l.id}`, latitude: l.latitude, longitude: l.longitude, quantity: l.quantity, properties: { note: l.note } },
        },
      }),
    ),
  fc
    .record({
      id: fc.constantFrom(...ids.loc),
      changes: fc.record(
        { name: fc.string({ minLength: 1, maxLength: 5 }), quantity: fc.option(fc.integer(), { nil: null }), properties: fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }) },
        { requiredKeys: [] },
      ),
    })
    .map((d): GlobeCommand => ({ type: 'UpdateLocation', now, data: d })),
  fc.constantFrom(...ids.loc).map((id): GlobeCommand => ({ type: 'RemoveLocation', now, data: { id } })),
  fc.record({ theme: fc.constantFrom('light', 'dark', 'system' as const), rotationSpeed: fc.integer({ min: 0, max: 10 }) }, { requiredKeys: [] }).map(
    (patch): GlobeCommand => ({ type: 'ChangeSettings', now, data: { patch } }),
  ),
  fc.record({ id: fc.constantFrom(...ids.cfg), name: fc.string({ minLength: 1, maxLength: 5 }), value: fc.jsonValue({ maxDepth: 2 }) }).map(
    (c): GlobeCommand => ({ type: 'SaveConfiguration', now, data: { ...c, kind: 'camera-view' } }),
  ),
  fc.constantFrom(...ids.cfg).map((id): GlobeCommand => ({ type: 'DeleteConfiguration', now, data: { id } })),
);

/** Imports skip the AddLocation rule that refuses a taken id: a bulk LocationsAdded may move a location between datasets. */
export const bulkMoveArb = fc.record({ datasetId: fc.constantFrom(...ids.ds), locIds: fc.uniqueArray(fc.constantFrom(...ids.loc), { minLength: 1 }) });


export type GlobeStep = { c: GlobeCommand } | { m: { datasetId: string; locIds: string[] } };

export const globeStepArb: fc.Arbitrary<GlobeStep> = fc.oneof(
  { weight: 8, arbitrary: commandArb.map((c) => ({ c })) },
  { weight: 1, arbitrary: bulkMoveArb.map((m) => ({ m })) },
);

/** The events a step records, decided on and applied to `state` (a refused command records none). */
export function stepEvents(state: GlobeState, step: GlobeStep): GlobeEvent[] {
  let events: GlobeEvent[];
  if ('m' in step) {
    const locations = step.m.locIds.map((id) => ({ id, name: `bulk-${id}`, latitude: 1, longitude: 2, properties: { bulk: true }, created_at: now, updated_at: now }));
    events = [{ type: 'LocationsAdded', data: { datasetId: step.m.datasetId, locations } }];
  } else {
    try {
      events = decide(state, step.c);
    } catch (error) {
      if (error instanceof DomainError) return [];
      throw error;
    }
  }
  for (const e of events) evolve(state, e);
  return events;
}
