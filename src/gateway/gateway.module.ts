import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { ProgressGateway } from './progress.gateway';
import { RedisAdapterLink } from './redis-adapter.link';

/** Live job progress over Socket.IO (namespace /progress), across instances through Redis when REDIS_URL is set. */
@Module({ imports: [JobsModule], providers: [ProgressGateway, RedisAdapterLink] })
export class GatewayModule {}
