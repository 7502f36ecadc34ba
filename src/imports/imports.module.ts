import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { ImportDatasetHandler } from './import-dataset.command';
import { ImportController } from './import.controller';

/** Dataset imports (CSV, JSON, GeoJSON) as jobs. */
@Module({ imports: [JobsModule], controllers: [ImportController], providers: [ImportDatasetHandler] })
export class ImportsModule {}
