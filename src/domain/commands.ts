import { ColumnMapping, DatasetChanges } from './dataset';
import { Configuration } from './configuration';
import { SettingsPatch } from './settings';

/**
 * What a user asks for. Ids and the time are chosen by the caller (the command handler, from the
 * injected clock and id generator), never inside decide, so deciding is a pure function.
 */
export type GlobeCommand =
  | {
      type: 'CreateDataset';
      now: string;
      data: { id: string; name: string; description?: string; color?: string; visible?: boolean; columnMapping?: ColumnMapping };
    }
  | { type: 'UpdateDataset'; now: string; data: { id: string; changes: DatasetChanges } }
  | { type: 'DeleteDataset'; now: string; data: { id: string } }
  | {
      type: 'AddLocation';
      now: string;
      data: {
        datasetId: string;
        location: { id: string; name: string; latitude: number; longitude: number; quantity?: number; properties?: Record<string, unknown> };
      };
    }
  | {
      type: 'UpdateLocation';
      now: string;
      data: {
        id: string;
        changes: { name?: string; latitude?: number; longitude?: number; quantity?: number | null; properties?: Record<string, unknown> };
      };
    }
  | { type: 'RemoveLocation'; now: string; data: { id: string } }
  | { type: 'ChangeSettings'; now: string; data: { patch: SettingsPatch } }
  | { type: 'SaveConfiguration'; now: string; data: Pick<Configuration, 'id' | 'kind' | 'name' | 'value'> }
  | { type: 'DeleteConfiguration'; now: string; data: { id: string } };

export type CommandOf<T extends GlobeCommand['type']> = Extract<GlobeCommand, { type: T }>;
