import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditModule } from './audit/audit.module';
import { ApiTokenEntity } from './auth/api-token.entity';
import { AuthModule } from './auth/auth.module';
import { BackupCopyEntity } from './backups/catalog/backup-copy.entity';
import { BackupEntity } from './backups/catalog/backup.entity';
import { BackupsModule } from './backups/backups.module';
import { AppExceptionFilter } from './common/http/app-exception.filter';
import { ConfigModule } from './config/config.module';
import { RunModeName } from './config/run-mode';
import { EventsModule } from './events/events.module';
import { DataDirLock } from './events/sqlite/data-dir-lock';
import { GatewayModule } from './gateway/gateway.module';
import { GlobeModule } from './globe/globe.module';
import { ImportsModule } from './imports/imports.module';
import { JobEntity } from './jobs/job.entity';
import { JobsModule } from './jobs/jobs.module';
import { ScheduledRunEntity } from './jobs/scheduled-run.entity';
import { OperationsModule } from './operations/operations.module';
import { ProjectionsModule } from './projections/projections.module';
import { RecoveryModule } from './recovery/recovery.module';
import { SnapshotEntity } from './snapshots/snapshot.entity';
import { SnapshotsModule } from './snapshots/snapshots.module';

/** The application's modules; `mode` says what the process runs it for (src/config/run-mode.ts). */
const modulesFor = (mode: RunModeName) => [
  ConfigModule.forRoot((dataDir) => DataDirLock.take(dataDir), mode),
  CqrsModule.forRoot(),
  EventsModule,
  ProjectionsModule.forRoot([JobEntity, ScheduledRunEntity, SnapshotEntity, BackupEntity, BackupCopyEntity, ApiTokenEntity]),
  AuthModule,
  JobsModule,
  GlobeModule,
  ImportsModule,
  AuditModule,
  SnapshotsModule,
  RecoveryModule,
  BackupsModule,
  GatewayModule,
  OperationsModule,
];

const providers = [{ provide: APP_FILTER, useClass: AppExceptionFilter }];

/** The server: everything, the work that runs on its own included. */
@Module({ imports: modulesFor('server'), providers })
export class AppModule {}

/**
 * The offline restore (`globe-vault restore --data-dir`): the same application, none of its
 * background work started (no archiver, follower, schedules, copy queue).
 */
@Module({ imports: modulesFor('offline-restore'), providers })
export class OfflineRestoreModule {}
