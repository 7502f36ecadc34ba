import { Module } from '@nestjs/common';
import { JobRunner } from './job-runner';
import { JobsController } from './jobs.controller';
import { ScheduledRunClaims } from './scheduled-run-claims';

@Module({ controllers: [JobsController], providers: [JobRunner, ScheduledRunClaims], exports: [JobRunner, ScheduledRunClaims] })
export class JobsModule {}
