import { GlobeCommand } from './commands';
import { DEFAULT_DATASET_COLOR } from './dataset';
import { configurationNotFound, datasetNotFound, locationIdTaken, locationNotFound } from './domain-errors';
import { GlobeEvent } from './events';
import { GlobeState } from './globe-state';

/**
 * decide(state, command) → the events that record it, or a typed refusal. Pure: the same state and
 * command always give the same events. `state` needs to hold only what the command touches (the
 * handler loads that much); a command that changes nothing gives no events.
 */
export function decide(state: GlobeState, command: GlobeCommand): GlobeEvent[] {
  switch (command.type) {
    case 'CreateDataset': {
      const d = command.data;
      return [
        {
          type: 'DatasetCreated',
          data: {
            dataset: {
              id: d.id,
              name: d.name,
              description: d.description ?? '',
              color: d.color ?? DEFAULT_DATASET_COLOR,
              visible: d.visible ?? true,
              source: null,
              columnMapping: d.columnMapping ?? {},
              created_at: command.now,
              updated_at: command.now,
            },
          },
        },
      ];
    }
    case 'UpdateDataset': {
      const ds = state.datasets.get(command.data.id);
      if (!ds) throw datasetNotFound(command.data.id);
      const changes = Object.fromEntries(
        Object.entries(command.data.changes).filter(([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify(ds[k as keyof typeof ds])),
      );
      if (Object.keys(changes).length === 0) return [];
      const before = Object.fromEntries(Object.keys(changes).map((k) => [k, ds[k as keyof typeof ds]]));
      return [{ type: 'DatasetUpdated', data: { datasetId: ds.id, changes, before, updated_at: command.now } }];
    }
    case 'DeleteDataset': {
      if (!state.datasets.has(command.data.id)) throw datasetNotFound(command.data.id);
      return [{ type: 'DatasetDeleted', data: { datasetId: command.data.id } }];
    }
    case 'AddLocation': {
      const { datasetId, location } = command.data;
      if (!state.datasets.has(datasetId)) throw datasetNotFound(datasetId);
      if (state.locations.has(location.id)) throw locationIdTaken(location.id);
      return [
        {
          type: 'LocationsAdded',
          data: {
            datasetId,
            locations: [{ ...location, properties: location.properties ?? {}, created_at: command.now, updated_at: command.now }],
          },
        },
      ];
    }
    case 'UpdateLocation': {
      const loc = state.locations.get(command.data.id);
      if (!loc) throw locationNotFound(command.data.id);
      const changes = Object.fromEntries(
        Object.entries(command.data.changes).filter(([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify(loc[k as keyof typeof loc] ?? null)),
      );
      if (Object.keys(changes).length === 0) return [];
      const before = Object.fromEntries(Object.keys(changes).map((k) => [k, loc[k as keyof typeof loc] ?? null]));
      return [{ type: 'LocationUpdated', data: { datasetId: loc.datasetId, locationId: loc.id, changes, before, updated_at: command.now } }];
    }
    case 'RemoveLocation': {
      const loc = state.locations.get(command.data.id);
      if (!loc) throw locationNotFound(command.data.id);
      return [{ type: 'LocationsRemoved', data: { datasetId: loc.datasetId, locationIds: [loc.id] } }];
    }
    case 'ChangeSettings': {
      const patch = Object.fromEntries(
        Object.entries(command.data.patch).filter(
          ([k, v]) => v !== undefined && JSON.stringify(state.settings[k as keyof typeof state.settings]) !== JSON.stringify(v),
        ),
      );
      if (Object.keys(patch).length === 0) return [];
      const before = Object.fromEntries(Object.keys(patch).map((k) => [k, state.settings[k as keyof typeof state.settings]]));
      return [{ type: 'SettingsChanged', data: { patch, before } }];
    }
    case 'SaveConfiguration': {
      const existing = state.configurations.get(command.data.id);
      const configuration = { ...command.data, created_at: existing?.created_at ?? command.now, updated_at: command.now };
      return [{ type: 'ConfigurationSaved', data: existing ? { configuration, before: existing } : { configuration } }];
    }
    case 'DeleteConfiguration': {
      if (!state.configurations.has(command.data.id)) throw configurationNotFound(command.data.id);
      return [{ type: 'ConfigurationDeleted', data: { configurationId: command.data.id } }];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`decide: unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
}
