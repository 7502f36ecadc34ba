import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An API token as stored: its HMAC-SHA-256 under the server secret, never the token itself. Rows
 * stay after revocation (revoked_at set) so a name in the audit trail always names one token.
 */
@Entity({ name: 'api_tokens' })
export class ApiTokenEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { unique: true }) name!: string;
  @Column('text') role!: string;
  @Column('text', { unique: true }) hash!: string;
  @Column('text') created_at!: string;
  @Column('text') created_by!: string;
  @Column('text', { nullable: true }) expires_at!: string | null;
  @Column('text', { nullable: true }) revoked_at!: string | null;
}
