import { Configuration } from '../domain/configuration';
import { Dataset } from '../domain/dataset';
import { Location } from '../domain/location';
import { ConfigurationEntity } from './entities/configuration.entity';
import { DatasetEntity } from './entities/dataset.entity';
import { LocationEntity } from './entities/location.entity';

/** Read-model rows to the domain's shapes (what the API answers and decide reads). */
export function toDataset(row: DatasetEntity): Dataset {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    color: row.color,
    visible: !!row.visible,
    source: row.source ? JSON.parse(row.source) : null,
    columnMapping: JSON.parse(row.columnMapping),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toLocation(row: LocationEntity): Location {
  const location: Location = {
    id: row.id,
    datasetId: row.datasetId,
    name: row.name,
    latitude: row.latitude,
    longitude: row.longitude,
    properties: JSON.parse(row.properties),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
  if (row.quantity !== null) location.quantity = row.quantity;
  return location;
}

export function toConfiguration(row: ConfigurationEntity): Configuration {
  return {
    id: row.id,
    kind: row.kind as Configuration['kind'],
    name: row.name,
    value: JSON.parse(row.value),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
