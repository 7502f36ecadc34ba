import { DataSource } from 'typeorm';
import { LocationEntity } from './entities/location.entity';
import { foldText } from './sqlite/sql-functions';

/** One page of locations, as the API asks for it (its cursor already decoded). */
export interface LocationPageQuery {
  datasetId?: string;
  /** Case- and accent-insensitive substring of the name. */
  q?: string;
  /** west, south, east, north; west > east crosses the antimeridian. */
  bbox?: [number, number, number, number];
  filterBy: 'all' | 'with_quantity' | 'without_quantity';
  sort: 'id' | 'name' | 'created_at' | 'updated_at';
  order: 'asc' | 'desc';
  limit: number;
  /** The last row of the previous page: its sort value and id. */
  after?: { value: string | null; id: string };
}

/**
 * The read models' API queries, for any read-model database TypeORM opens: the live one (SQLite or
 * PostgreSQL) or a scratch SQLite state (time travel, backups). Built by TypeORM's query builder
 * with named parameters, so each engine gets its own placeholders; both engines order text byte by
 * byte (PostgreSQL's columns are COLLATE "C") and both offer fold() (sql-functions.ts; the
 * PostgreSQL migration), so a query answers the same on either.
 */
export async function locationPage(dataSource: DataSource, query: LocationPageQuery): Promise<LocationEntity[]> {
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
  if (query.after) {
    if (query.sort === 'id') qb.andWhere(`l.id ${cmp} :id`, { id: query.after.id });
    else qb.andWhere(`(l.${query.sort} ${cmp} :v OR (l.${query.sort} = :v AND l.id ${cmp} :id))`, { v: query.after.value, id: query.after.id });
  }
  if (query.sort !== 'id') qb.orderBy(`l.${query.sort}`, dir).addOrderBy('l.id', dir);
  else qb.orderBy('l.id', dir);
  return qb.limit(query.limit).getMany();
}

/** How many locations each dataset holds (datasets without any are absent). */
export async function locationCountsByDataset(dataSource: DataSource): Promise<Map<string, number>> {
  const rows: { id: string; n: number | string }[] = await dataSource
    .getRepository(LocationEntity)
    .createQueryBuilder('l')
    .select('l.datasetId', 'id')
    .addSelect('COUNT(*)', 'n')
    .groupBy('l.datasetId')
    .getRawMany();
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}
