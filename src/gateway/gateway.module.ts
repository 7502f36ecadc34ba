import { Module } from '@nestjs/common';

/** The Socket.IO progress gateway (namespace /progress); the live-progress issue fills it. */
@Module({})
export class GatewayModule {}
