import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Location } from '../../domain/location';
import { locationNotFound } from '../../domain/domain-errors';
import { LocationEntity } from '../../projections/entities/location.entity';
import { toLocation } from '../../projections/row-mappers';
import { locationPage } from '../../projections/read-model-queries';
import { decodeCursor, encodeCursor } from './location-cursor';
import { ListLocationsQuery } from './location.dto';
import { TimeTravel } from '../../recovery/time-travel';

export class GetLocation {
  constructor(readonly id: string) {}
}
export class ListLocations {
  constructor(readonly query: ListLocationsQuery) {}
}

@QueryHandler(GetLocation)
export class GetLocationHandler implements IQueryHandler<GetLocation, Location> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}
  async execute({ id }: GetLocation): Promise<Location> {
    const row = await this.dataSource.getRepository(LocationEntity).findOneBy({ id });
    if (!row) throw locationNotFound(id);
    return toLocation(row);
  }
}

/**
 * Keyset pagination on (sort key, id) (stable under concurrent writes: a page never repeats or skips
 * a row that existed for the whole walk). Filters: dataset, name search (case- and
 * accent-insensitive substring), and a bbox that may cross the antimeridian (west > east). Reads the
 * live state, the state as of `at`, or a backup's.
 */
@QueryHandler(ListLocations)
export class ListLocationsHandler implements IQueryHandler<ListLocations, { items: Location[]; next: string | null }> {
  constructor(private readonly timeTravel: TimeTravel) {}
  execute({ query }: ListLocations): Promise<{ items: Location[]; next: string | null }> {
    return this.timeTravel.read({ at: query.at, backupId: query.backupId }, (dataSource) => listLocations(dataSource, query));
  }
}

async function listLocations(dataSource: DataSource, query: ListLocationsQuery): Promise<{ items: Location[]; next: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor, query.sort, query.order) : undefined;
  const rows = await locationPage(dataSource, { ...query, after, limit: query.limit + 1 });
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page[page.length - 1];
  const value = query.sort === 'id' ? null : (last?.[query.sort] ?? null);
  return { items: page.map(toLocation), next: more ? encodeCursor(query.sort, query.order, { value, id: last.id }) : null };
}
