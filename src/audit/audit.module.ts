import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { SnapshotsModule } from '../snapshots/snapshots.module';
import { AuditController } from './audit.controller';
import { ChainVerification } from './chain-verification';

@Module({ imports: [JobsModule, SnapshotsModule], controllers: [AuditController], providers: [ChainVerification] })
export class AuditModule {}
