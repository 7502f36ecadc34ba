import { Controller, HttpCode, Post } from '@nestjs/common';
import { RateLimited } from '../auth/rate-limit.guard';
import { Role } from '../auth/roles';
import { ArchiveService, Promotion } from './archive.service';
import { AllowedWhileReadOnly } from './write.guard';

@Controller('api')
export class ArchiveController {
  constructor(private readonly archive: ArchiveService) {}

  /**
   * Promotes a follower (ARCHIVE_FOLLOW) to the writer: it catches up with the archive, claims a
   * new epoch continuing the followed one, archives under it and accepts writes from then on.
   * 409 ARCHIVE.NOT_FOLLOWER on an instance that does not follow.
   */
  @Post('archive/promote')
  @Role('admin')
  @RateLimited('heavy')
  @AllowedWhileReadOnly()
  @HttpCode(200)
  promote(): Promise<Promotion> {
    return this.archive.promote();
  }
}
