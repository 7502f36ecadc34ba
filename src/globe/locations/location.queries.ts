import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Location } from '../../domain/location';
import { locationNotFound } from '../../domain/domain-errors';
import { LocationEntity } from '../../projections/entities/location.entity';
import { toLocation } from '../../projections/row-mappers';
import { foldText } from '../../projections/sqlite/sql-functions';
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
  const qb = dataSource.getRepository(LocationEntity).createQueryBuilder('l');
  if (query.datasetId) qb.andWhere('l.dataset_id = :datasetId', { datasetId: query.datasetId });
  if (query.q) qb.andWhere("fold(l.name) LIKE :q ESCAPE '\\'", { q: `%${foldText(query.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
  if (query.bbox) {
    const [west, south, east, north] = query.bbox;
    qb.andWhere('l.latitude BETWEEN :south AND :north', { south, north });
    if (west <= east) qb.andWhere('l.longitude BETWEEN :west AND :east', { west, east });
    else qb.andWhere('(l.longitude >= :west OR l.longitude <= :east)', { west, east });
  }
  if (query.filterBy !== 'all') qb.andWhere(query.filterBy === 'with_quantity' ? 'l.quantity IS NOT NULL' : 'l.quantity IS NULL');
  const dir = query.order === 'asc' ? 'ASC' : 'DESC';
  const cmp = query.order === 'asc' ? '>' : '<';
  if (query.cursor) {
    const after = decodeCursor(query.cursor, query.sort, query.order);
    if (query.sort === 'id') qb.andWhere(`l.id ${cmp} :id`, { id: after.id });
    else qb.andWhere(`(l.${query.sort} ${cmp} :v OR (l.${query.sort} = :v AND l.id ${cmp} :id))`, { v: after.value, id: after.id });
  }
  if (query.sort !== 'id') qb.orderBy(`l.${query.sort}`, dir).addOrderBy('l.id', dir);
  else qb.orderBy('l.id', dir);
  const rows = await qb.limit(query.limit + 1).getMany();
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page[page.length - 1];
  const value = query.sort === 'id' ? null : (last?.[query.sort] ?? null);
  return { items: page.map(toLocation), next: more ? encodeCursor(query.sort, query.order, { value, id: last.id }) : null };
}
