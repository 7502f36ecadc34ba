import { GlobeCommand } from './commands';
import { decide } from './decide';
import { DomainErrorCode } from './domain-errors';
import { GlobeEvent } from './events';
import { evolve } from './evolve';
import { emptyGlobeState } from './globe-state';

/**
 * decide(state, command) as given/when/then: the state is the fold of the given events (as the
 * command handlers load it), the command is what the user asked, and the outcome is the events
 * that record it or the refusal's stable code.
 */
const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-02T00:00:00.000Z';

const cities: GlobeEvent = {
  type: 'DatasetCreated',
  data: {
    dataset: { id: 'd-1', name: 'Cities', description: '', color: '#3b82f6', visible: true, source: null, columnMapping: {}, created_at: T0, updated_at: T0 },
  },
};
const oslo: GlobeEvent = {
  type: 'LocationsAdded',
  data: { datasetId: 'd-1', locations: [{ id: 'l-1', name: 'Oslo', latitude: 59.91, longitude: 10.75, quantity: 3, properties: {}, created_at: T0, updated_at: T0 }] },
};
const saved: GlobeEvent = {
  type: 'ConfigurationSaved',
  data: { configuration: { id: 'c-1', kind: 'camera-view', name: 'Europe', value: { zoom: 2 }, created_at: T0, updated_at: T0 } },
};

type Then = { events: GlobeEvent[] } | { error: DomainErrorCode };

function outcome(given: GlobeEvent[], when: GlobeCommand): Then {
  const state = given.reduce(evolve, emptyGlobeState());
  try {
    return { events: decide(state, when) };
  } catch (error) {
    return { error: (error as { code: DomainErrorCode }).code };
  }
}

const rows: Array<[string, GlobeEvent[], GlobeCommand, Then]> = [
  [
    'a new dataset is created with the defaults it was not given',
    [],
    { type: 'CreateDataset', now: T1, data: { id: 'd-2', name: 'Rivers' } },
    {
      events: [
        {
          type: 'DatasetCreated',
          data: { dataset: { id: 'd-2', name: 'Rivers', description: '', color: '#3b82f6', visible: true, source: null, columnMapping: {}, created_at: T1, updated_at: T1 } },
        },
      ],
    },
  ],
  [
    'renaming a dataset records the change and what it was before',
    [cities],
    { type: 'UpdateDataset', now: T1, data: { id: 'd-1', changes: { name: 'Towns', color: '#3b82f6' } } },
    { events: [{ type: 'DatasetUpdated', data: { datasetId: 'd-1', changes: { name: 'Towns' }, before: { name: 'Cities' }, updated_at: T1 } }] },
  ],
  ['an update that changes nothing records nothing', [cities], { type: 'UpdateDataset', now: T1, data: { id: 'd-1', changes: { name: 'Cities' } } }, { events: [] }],
  ['updating a dataset that does not exist is refused', [], { type: 'UpdateDataset', now: T1, data: { id: 'd-9', changes: { name: 'X' } } }, { error: 'DATASET.NOT_FOUND' }],
  ['deleting a dataset', [cities, oslo], { type: 'DeleteDataset', now: T1, data: { id: 'd-1' } }, { events: [{ type: 'DatasetDeleted', data: { datasetId: 'd-1' } }] }],
  ['deleting a deleted dataset is refused', [cities, { type: 'DatasetDeleted', data: { datasetId: 'd-1' } }], { type: 'DeleteDataset', now: T1, data: { id: 'd-1' } }, { error: 'DATASET.NOT_FOUND' }],
  [
    'adding a location stamps it and gives it empty properties',
    [cities],
    { type: 'AddLocation', now: T1, data: { datasetId: 'd-1', location: { id: 'l-2', name: 'Bergen', latitude: 60.39, longitude: 5.32 } } },
    {
      events: [
        { type: 'LocationsAdded', data: { datasetId: 'd-1', locations: [{ id: 'l-2', name: 'Bergen', latitude: 60.39, longitude: 5.32, properties: {}, created_at: T1, updated_at: T1 }] } },
      ],
    },
  ],
  ['adding a location to a missing dataset is refused', [], { type: 'AddLocation', now: T1, data: { datasetId: 'd-1', location: { id: 'l-2', name: 'B', latitude: 0, longitude: 0 } } }, { error: 'DATASET.NOT_FOUND' }],
  ['adding a location under a taken id is refused', [cities, oslo], { type: 'AddLocation', now: T1, data: { datasetId: 'd-1', location: { id: 'l-1', name: 'B', latitude: 0, longitude: 0 } } }, { error: 'LOCATION.ID_TAKEN' }],
  [
    'clearing a quantity records null, and the value it had',
    [cities, oslo],
    { type: 'UpdateLocation', now: T1, data: { id: 'l-1', changes: { quantity: null, name: 'Oslo' } } },
    { events: [{ type: 'LocationUpdated', data: { datasetId: 'd-1', locationId: 'l-1', changes: { quantity: null }, before: { quantity: 3 }, updated_at: T1 } }] },
  ],
  ['updating a removed location is refused', [cities, oslo, { type: 'LocationsRemoved', data: { datasetId: 'd-1', locationIds: ['l-1'] } }], { type: 'UpdateLocation', now: T1, data: { id: 'l-1', changes: { name: 'X' } } }, { error: 'LOCATION.NOT_FOUND' }],
  ['removing a location', [cities, oslo], { type: 'RemoveLocation', now: T1, data: { id: 'l-1' } }, { events: [{ type: 'LocationsRemoved', data: { datasetId: 'd-1', locationIds: ['l-1'] } }] }],
  ['a location of a deleted dataset is gone with it', [cities, oslo, { type: 'DatasetDeleted', data: { datasetId: 'd-1' } }], { type: 'RemoveLocation', now: T1, data: { id: 'l-1' } }, { error: 'LOCATION.NOT_FOUND' }],
  [
    'changing settings records only the keys that change, and what they were',
    [],
    { type: 'ChangeSettings', now: T1, data: { patch: { theme: 'dark', language: 'en' } } },
    { events: [{ type: 'SettingsChanged', data: { patch: { theme: 'dark' }, before: { theme: 'system' } } }] },
  ],
  ['settings already so record nothing', [{ type: 'SettingsChanged', data: { patch: { theme: 'dark' } } }], { type: 'ChangeSettings', now: T1, data: { patch: { theme: 'dark' } } }, { events: [] }],
  [
    'saving a new configuration stamps both times',
    [],
    { type: 'SaveConfiguration', now: T1, data: { id: 'c-2', kind: 'camera-view', name: 'Asia', value: { zoom: 3 } } },
    { events: [{ type: 'ConfigurationSaved', data: { configuration: { id: 'c-2', kind: 'camera-view', name: 'Asia', value: { zoom: 3 }, created_at: T1, updated_at: T1 } } }] },
  ],
  [
    'saving over a configuration keeps its creation time and records what it replaced',
    [saved],
    { type: 'SaveConfiguration', now: T1, data: { id: 'c-1', kind: 'camera-view', name: 'Europe', value: { zoom: 4 } } },
    {
      events: [
        {
          type: 'ConfigurationSaved',
          data: {
            configuration: { id: 'c-1', kind: 'camera-view', name: 'Europe', value: { zoom: 4 }, created_at: T0, updated_at: T1 },
            before: { id: 'c-1', kind: 'camera-view', name: 'Europe', value: { zoom: 2 }, created_at: T0, updated_at: T0 },
          },
        },
      ],
    },
  ],
  ['deleting a configuration', [saved], { type: 'DeleteConfiguration', now: T1, data: { id: 'c-1' } }, { events: [{ type: 'ConfigurationDeleted', data: { configurationId: 'c-1' } }] }],
  ['deleting a missing configuration is refused', [], { type: 'DeleteConfiguration', now: T1, data: { id: 'c-1' } }, { error: 'CONFIGURATION.NOT_FOUND' }],
];

describe('decide: given events, when a command, then events or a refusal', () => {
  it.each(rows)('%s', (_title, given, when, then) => {
    expect(outcome(given, when)).toEqual(then);
  });

  it('is pure: the same state and command give the same events, and the state is not changed', () => {
    const state = [cities, oslo].reduce(evolve, emptyGlobeState());
    const before = JSON.stringify([...state.locations.entries()]);
    const command: GlobeCommand = { type: 'UpdateLocation', now: T1, data: { id: 'l-1', changes: { name: 'Christiania' } } };
    expect(decide(state, command)).toEqual(decide(state, command));
    expect(JSON.stringify([...state.locations.entries()])).toBe(before);
  });
});
