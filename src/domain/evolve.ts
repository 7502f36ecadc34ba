import { GlobeEvent } from './events';
import { GlobeState } from './globe-state';

/**
 * Applies one event to the state, in place (a fold over a million locations cannot copy maps per
 * event). Total and deterministic: it never throws for a well-formed event, whatever the state, so
 * replaying the log always succeeds and always gives the same result. The SQL projection mirrors
 * these rules exactly; the rebuild spec proves the two agree.
 *
 * Rules worth knowing: adding a location whose id exists replaces it (it may move to another
 * dataset); deleting a dataset deletes its locations; updates to things that no longer exist are
 * no-ops.
 */
export function evolve(state: GlobeState, event: GlobeEvent): GlobeState {
  switch (event.type) {
    case 'DatasetCreated':
      state.datasets.set(event.data.dataset.id, { ...event.data.dataset });
      return state;
    case 'DatasetUpdated': {
      const ds = state.datasets.get(event.data.datasetId);
      if (ds) state.datasets.set(ds.id, { ...ds, ...event.data.changes, updated_at: event.data.updated_at });
      return state;
    }
    case 'DatasetDeleted':
      state.datasets.delete(event.data.datasetId);
      for (const [id, loc] of state.locations) if (loc.datasetId === event.data.datasetId) state.locations.delete(id);
      return state;
    case 'DatasetImported': {
      const ds = state.datasets.get(event.data.datasetId);
      if (ds) state.datasets.set(ds.id, { ...ds, source: event.data.source, updated_at: event.data.updated_at });
      return state;
    }
    case 'LocationsAdded':
      for (const loc of event.data.locations) state.locations.set(loc.id, { ...loc, datasetId: event.data.datasetId });
      return state;
    case 'LocationUpdated': {
      const loc = state.locations.get(event.data.locationId);
      if (!loc || loc.datasetId !== event.data.datasetId) return state;
      const { quantity, ...rest } = event.data.changes;
      const next = { ...loc, ...rest, updated_at: event.data.updated_at };
      if (quantity === null) delete next.quantity;
      else if (quantity !== undefined) next.quantity = quantity;
      state.locations.set(loc.id, next);
      return state;
    }
    case 'LocationsRemoved':
      for (const id of event.data.locationIds) {
        if (state.locations.get(id)?.datasetId === event.data.datasetId) state.locations.delete(id);
      }
      return state;
    case 'SettingsChanged':
      state.settings = { ...state.settings, ...event.data.patch };
      return state;
    case 'ConfigurationSaved':
      state.configurations.set(event.data.configuration.id, { ...event.data.configuration });
      return state;
    case 'ConfigurationDeleted':
      state.configurations.delete(event.data.configurationId);
      return state;
    case 'RestoreStarted':
    case 'RestoreCompleted':
    case 'RestorePointCreated':
    case 'SnapshotsCompacted':
    case 'BackupSchedulesChanged':
    case 'LogCompacted':
      return state;
    default: {
      const unhandled: never = event;
      throw new Error(`evolve: unhandled event ${JSON.stringify(unhandled)}`);
    }
  }
}
