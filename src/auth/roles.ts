import { SetMetadata } from '@nestjs/common';
import { z } from 'zod';

/** Ordered weakest first: a role holds every right of the roles before it. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = (typeof ROLES)[number];

export const ROLE_METADATA = 'globe-vault:role';

/**
 * The weakest role a route accepts: viewer reads data, jobs and the audit trail; editor changes
 * Globe data and imports; admin runs backups, restores, schedules, settings, snapshots, rebuilds,
 * compactions and manages tokens. Every route names one (test/auth/access.e2e-spec.ts checks them
 * all against the router); a route without one is treated as admin.
 */
export const Role = (role: Role) => SetMetadata(ROLE_METADATA, role);

export const grants = (held: Role, needed: Role): boolean => ROLES.indexOf(held) >= ROLES.indexOf(needed);

export const OPEN_METADATA = 'globe-vault:open';

/**
 * A route anyone who reaches the service may call, with or without a token (a token presented is
 * not even looked at): only for answers that hold no Globe data and change nothing — the liveness
 * and readiness probes (load balancers and orchestrators call them without credentials) and the
 * API explorer's page (its document, the API itself, still needs a viewer).
 */
export const Open = () => SetMetadata(OPEN_METADATA, true);
