import { Http, TestApp, startApp } from '../../test/support/app-harness';
import { Role } from '../../src/auth/roles';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** An app that requires tokens as a public one does (HOST not loopback; it still listens on 127.0.0.1), seeded by ADMIN_TOKEN. */
export function startPublicApp(env: Record<string, string> = {}): Promise<TestApp> {
  return startApp({ HOST: '0.0.0.0', ADMIN_TOKEN, ...env });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** POST /api/tokens as the ADMIN_TOKEN admin; returns the created token's answer (201 expected). */
export async function createToken(http: Http, name: string, role: Role, expiresAt?: string): Promise<{ id: string; token: string; name: string; role: Role }> {
  const res = await http.post('/api/tokens').set(bearer(ADMIN_TOKEN)).send({ name, role, ...(expiresAt ? { expiresAt } : {}) });
  if (res.status !== 201) throw new Error(`POST /api/tokens answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}
