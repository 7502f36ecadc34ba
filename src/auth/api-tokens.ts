import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { AppError, conflict, notFound } from '../common/app-error';
import { Clock } from '../common/clock';
import { SERVER_SECRET } from '../common/server-secret.provider';
import { AppConfig } from '../config/app-config';
import { ApiTokenEntity } from './api-token.entity';
import { ENV_ADMIN_NAME, Principal, tokenPrincipal } from './principal';
import { Role, roleSchema } from './roles';
import { mintToken, sameHash, tokenHash } from './token-secret';

export const createTokenSchema = z
  .object({
    name: z.string().trim().regex(/^[\p{L}\p{N} ._@-]{1,100}$/u, '1 to 100 letters, digits, spaces or . _ @ -'),
    role: roleSchema,
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type CreateToken = z.infer<typeof createTokenSchema>;

/** A token as listed: never its secret, nor its hash. */
export interface TokenView {
  id: string;
  name: string;
  role: Role;
  expiresAt: string | null;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

/**
 * API tokens: minted here, shown once, stored only as HMAC-SHA-256 under the server secret, so a
 * copy of the database does not let anyone in. A presented token is hashed and looked up by its
 * hash: the SQL comparison reveals nothing about a stored token that an attacker could steer,
 * since its input is itself a keyed hash. ADMIN_TOKEN is never stored: its hash is held in memory
 * and compared in constant time.
 */
@Injectable()
export class ApiTokens {
  private readonly envAdminHash: Buffer | null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVER_SECRET) private readonly secret: Buffer,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    const admin = config.values.ADMIN_TOKEN;
    this.envAdminHash = admin ? tokenHash(secret, admin) : null;
  }

  async create(input: CreateToken, createdBy: string): Promise<TokenView & { token: string }> {
    const now = this.clock.now();
    if (input.expiresAt && Date.parse(input.expiresAt) <= now) throw new AppError('AUTH.INVALID_TOKEN_REQUEST', 'expiresAt is in the past', 400);
    if (input.name === ENV_ADMIN_NAME || (await this.repo().existsBy({ name: input.name }))) {
      throw conflict('AUTH.TOKEN_NAME_TAKEN', `a token named "${input.name}" exists or existed (names stay unique so the audit trail names one token)`);
    }
    const token = mintToken();
    const row: ApiTokenEntity = {
      id: uuidv7(),
      name: input.name,
      role: input.role,
      hash: tokenHash(this.secret, token).toString('hex'),
      created_at: new Date(now).toISOString(),
      created_by: createdBy,
      expires_at: input.expiresAt ? new Date(input.expiresAt).toISOString() : null,
      revoked_at: null,
    };
    await this.repo().insert(row);
    return { ...toView(row), token };
  }

  async list(): Promise<TokenView[]> {
    return (await this.repo().find({ order: { created_at: 'ASC', id: 'ASC' } })).map(toView);
  }

  /** Idempotent: revoking a revoked token answers it as it is. */
  async revoke(id: string): Promise<TokenView> {
    const row = await this.repo().findOneBy({ id });
    if (!row) throw notFound('AUTH.TOKEN_NOT_FOUND', `no token ${id}`, { id });
    if (!row.revoked_at) {
      row.revoked_at = new Date(this.clock.now()).toISOString();
      await this.repo().update({ id }, { revoked_at: row.revoked_at });
    }
    return toView(row);
  }

  /** The principal of a presented token, or null when it is unknown, revoked or expired. */
  async verify(token: string): Promise<Principal | null> {
    const hash = tokenHash(this.secret, token);
    if (this.envAdminHash && sameHash(hash, this.envAdminHash)) return tokenPrincipal('env', ENV_ADMIN_NAME, 'admin');
    const row = await this.repo().findOneBy({ hash: hash.toString('hex'), revoked_at: IsNull() });
    if (!row || (row.expires_at && Date.parse(row.expires_at) <= this.clock.now())) return null;
    return tokenPrincipal(row.id, row.name, roleSchema.parse(row.role));
  }

  /** Whether anyone could get in when tokens are required: ADMIN_TOKEN or a stored admin token still valid. */
  async anAdminCanGetIn(): Promise<boolean> {
    if (this.envAdminHash) return true;
    const admins = await this.repo().findBy({ role: 'admin', revoked_at: IsNull() });
    return admins.some((row) => !row.expires_at || Date.parse(row.expires_at) > this.clock.now());
  }

  private repo() {
    return this.dataSource.getRepository(ApiTokenEntity);
  }
}

const toView = (row: ApiTokenEntity): TokenView => ({
  id: row.id,
  name: row.name,
  role: roleSchema.parse(row.role),
  expiresAt: row.expires_at,
  createdAt: row.created_at,
  createdBy: row.created_by,
  revokedAt: row.revoked_at,
});
