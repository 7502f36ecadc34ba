import { Role } from './roles';

/**
 * Who a request or a socket acts as. `tokenId` null is the local user of a loopback service that
 * does not require tokens (admin rights: the one-command local setup); `actor` is what events
 * record (null for the local user: the name the client gives, see request-context.ts).
 */
export interface Principal {
  readonly tokenId: string | null;
  readonly name: string;
  readonly role: Role;
  readonly actor: string | null;
}

export const LOCAL_USER: Principal = { tokenId: null, name: 'local', role: 'admin', actor: null };

/** The token given by ADMIN_TOKEN: not stored, so it has no row; its name is reserved. */
export const ENV_ADMIN_NAME = 'ADMIN_TOKEN';

export const tokenPrincipal = (tokenId: string, name: string, role: Role): Principal => ({ tokenId, name, role, actor: `token:${name}` });
