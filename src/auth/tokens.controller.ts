import { Body, Controller, Delete, Get, HttpCode, Logger, Param, Post } from '@nestjs/common';
import { Ctx, RequestContext } from '../common/http/request-context';
import { parseInput } from '../common/http/parse-input';
import { ApiTokens, TokenView, createTokenSchema } from './api-tokens';
import { RateLimited } from './rate-limit.guard';
import { Role } from './roles';
import { ApiJsonBody } from '../common/http/api-input';

/**
 * Token management (admin). A token is shown once, in the answer that creates it. Creation and
 * revocation are logged (id, name, role, by whom) and kept on the token's row (created_by,
 * revoked_at), not written to the event log: tokens are access configuration beside the jobs, not
 * Globe data, and events for them would widen the catalog every adapter and backup carries.
 */
@Controller('api/tokens')
@RateLimited('tokens')
export class TokensController {
  private readonly logger = new Logger('Access');

  constructor(private readonly tokens: ApiTokens) {}

  @Post()
  @Role('admin')
  @ApiJsonBody('CreateTokenBody', createTokenSchema)
  async create(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<TokenView & { token: string }> {
    const created = await this.tokens.create(parseInput(createTokenSchema, body, 'AUTH.INVALID_TOKEN_REQUEST'), ctx.actor);
    this.logger.log(`token ${created.id} "${created.name}" (${created.role}) created by ${ctx.actor}`);
    return created;
  }

  @Get()
  @Role('admin')
  async list(): Promise<{ items: TokenView[]; next: null }> {
    return { items: await this.tokens.list(), next: null };
  }

  @Delete(':id')
  @Role('admin')
  @HttpCode(200)
  async revoke(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<TokenView> {
    const revoked = await this.tokens.revoke(id);
    this.logger.log(`token ${revoked.id} "${revoked.name}" revoked by ${ctx.actor}`);
    return revoked;
  }
}
