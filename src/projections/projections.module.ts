import { Global, Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { ApiTokenEntity } from '../auth/api-token.entity';
import { AppConfig } from '../config/app-config';
import { BackupEntity } from '../backups/backup.entity';
import { BackupCopyEntity } from '../backups/backup-copy.entity';
import { JobEntity } from '../jobs/job.entity';
import { ScheduledRunEntity } from '../jobs/scheduled-run.entity';
import { SnapshotEntity } from '../snapshots/snapshot.entity';
import { READ_MODEL_ENTITIES } from './entities/read-model-entities';
import { GlobeReadModel } from './globe-read-model';
import { LiveReadModels } from './live-read-models';
import { Projector } from './projector';
import { SqliteLiveReadModels } from './sqlite/sqlite-live-read-models';
import { SqliteTargetStates } from './sqlite/sqlite-target-states';
import { TargetStates } from './target-states';
import { registerSqlFunctions } from './sqlite/sql-functions';
import { READ_MODEL_DB, rawConnection } from './sqlite/read-model-db';

/**
 * Read models live in their own file, `<DATA_DIR>/read-models.sqlite`, apart from the log: they can
 * be deleted and rebuilt at any time. synchronous=NORMAL is enough here because the checkpoint
 * commits with the rows: a power cut loses at most the last slices, which the projector re-applies.
 * TypeORM creates the tables (synchronize); it never touches the log's file.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        type: 'better-sqlite3' as const,
        database: join(config.values.dataDir, 'read-models.sqlite'),
        entities: [...READ_MODEL_ENTITIES, JobEntity, ScheduledRunEntity, SnapshotEntity, BackupEntity, BackupCopyEntity, ApiTokenEntity],
        synchronize: true,
        prepareDatabase: (db: Database.Database) => {
          registerSqlFunctions(db);
          db.pragma('journal_mode = WAL');
          db.pragma('synchronous = NORMAL');
          db.pragma('busy_timeout = 10000');
        },
      }),
    }),
  ],
  providers: [
    { provide: READ_MODEL_DB, inject: [getDataSourceToken()], useFactory: rawConnection },
    { provide: LiveReadModels, useClass: SqliteLiveReadModels },
    { provide: TargetStates, useClass: SqliteTargetStates },
    Projector,
    GlobeReadModel,
  ],
  exports: [Projector, GlobeReadModel, LiveReadModels, TargetStates, READ_MODEL_DB],
})
export class ProjectionsModule {}
