import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Dataset } from '../../domain/dataset';
import { datasetNotFound } from '../../domain/domain-errors';
import { DatasetEntity } from '../../projections/entities/dataset.entity';
import { LocationEntity } from '../../projections/entities/location.entity';
import { locationCountsByDataset } from '../../projections/read-model-queries';
import { toDataset } from '../../projections/row-mappers';
import { TimeTravel } from '../../recovery/time-travel';

export type DatasetView = Dataset & { locationCount: number };

export class GetDataset {
  constructor(readonly id: string) {}
}
export class ListDatasets {
  constructor(
    readonly at?: string,
    readonly backupId?: string,
  ) {}
}

@QueryHandler(GetDataset)
export class GetDatasetHandler implements IQueryHandler<GetDataset, DatasetView> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}
  async execute({ id }: GetDataset): Promise<DatasetView> {
    const row = await this.dataSource.getRepository(DatasetEntity).findOneBy({ id });
    if (!row) throw datasetNotFound(id);
    return { ...toDataset(row), locationCount: await this.dataSource.getRepository(LocationEntity).countBy({ datasetId: id }) };
  }
}

/** All datasets, oldest first, with their location counts (a user has tens of datasets, not millions). */
@QueryHandler(ListDatasets)
export class ListDatasetsHandler implements IQueryHandler<ListDatasets, { items: DatasetView[]; next: null }> {
  constructor(private readonly timeTravel: TimeTravel) {}
  execute({ at, backupId }: ListDatasets): Promise<{ items: DatasetView[]; next: null }> {
    return this.timeTravel.read({ at, backupId }, async (dataSource) => {
      const rows = await dataSource.getRepository(DatasetEntity).find({ order: { created_at: 'ASC', id: 'ASC' } });
      const byId = await locationCountsByDataset(dataSource);
      return { items: rows.map((r) => ({ ...toDataset(r), locationCount: byId.get(r.id) ?? 0 })), next: null };
    });
  }
}
