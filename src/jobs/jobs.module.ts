import { Module } from '@nestjs/common';
import { JobRunner } from './job-runner';
import { JobsController } from './jobs.controller';

@Module({ controllers: [JobsController], providers: [JobRunner], exports: [JobRunner] })
export class JobsModule {}
