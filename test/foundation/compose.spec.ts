import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KNOWN_ENV_VARIABLES, loadConfig } from '../../src/config/app-config';

/**
 * docker-compose.yml cannot be run here (no Docker engine): this spec reads it as Compose would
 * (YAML merge keys included) and checks what a typo would break on a user's machine: the services
 * and their images, the ports, that each Globe Vault instance is built from the repo's Dockerfile,
 * that every variable an instance sets is one the config schema knows (a renamed variable fails
 * here) and that its whole environment passes start-up validation, and that every server an
 * instance names is a service of the file with the credentials that service was given.
 */
interface Service {
  image?: string;
  build?: string | { context: string };
  ports?: string[];
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: string[] | Record<string, unknown>;
  entrypoint?: string[];
  profiles?: string[];
}

const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const instances = ['gv1', 'gv2', 'gv-kurrentdb'];

/** The environment as Compose passes it, `${VAR:?…}` / `${VAR:-…}` given a value a user would set. */
function environmentOf(name: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(services[name].environment ?? {})) {
    env[key] = String(value ?? '').replace(/\$\{(\w+)(?::[?-][^}]*)?\}/g, (_, variable: string) => (variable === 'GLOBE_VAULT_ADMIN_TOKEN' ? 'a'.repeat(48) : `value-of-${variable}`));
  }
  return env;
}

const hostOf = (url: string) => new URL(url).hostname;

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, KurrentDB, MinIO (with its bucket), Redis and the Globe Vault instances, from pinned or documented images', () => {
    expect(Object.keys(services).sort()).toEqual(['gv-kurrentdb', 'gv1', 'gv2', 'kurrentdb', 'minio', 'minio-init', 'postgres', 'redis']);
    expect(services.postgres.image).toBe('postgres:16');
    // KurrentDB 25.1 or later: the adapter appends through multi-stream appends.
    expect(services.kurrentdb.image).toMatch(/^docker\.kurrent\.io\/kurrent-latest\/kurrentdb:(2[6-9]|25\.[1-9])/);
    expect(services.kurrentdb.environment).toMatchObject({ KURRENTDB_INSECURE: 'true' });
    expect(services.redis.image).toBe('redis:7');
    expect(services.minio.image).toBe('minio/minio');
    expect(services['minio-init'].image).toBe('minio/mc');
    for (const name of instances) {
      expect(services[name].image).toBeUndefined();
      expect(services[name].build).toBe('.');
    }
    expect(existsSync(join(root, 'Dockerfile'))).toBe(true);
    expect(services['gv-kurrentdb'].profiles).toEqual(['kurrentdb']);
  });

  it('publishes each instance on its own host port, and the consoles of MinIO and KurrentDB', () => {
    expect(instances.map((name) => services[name].ports)).toEqual([['3001:3000'], ['3002:3000'], ['3003:3000']]);
    expect(services.kurrentdb.ports).toEqual(['2113:2113']);
    expect(services.minio.ports).toEqual(['9001:9001']);
    for (const name of instances) expect(environmentOf(name).PORT).toBe('3000');
  });

  it('sets only variables the config schema knows, and each instance\'s environment passes start-up validation', () => {
    for (const name of instances) {
      const env = environmentOf(name);
      const unknown = Object.keys(env).filter((key) => !KNOWN_ENV_VARIABLES.includes(key));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
      expect(() => loadConfig(env)).not.toThrow();
    }
    expect(loadConfig(environmentOf('gv1')).values).toMatchObject({ EVENT_STORE: 'postgres', HOST: '0.0.0.0' });
    const kurrent = loadConfig(environmentOf('gv-kurrentdb')).values;
    expect([kurrent.EVENT_STORE, kurrent.DATABASE_URL]).toEqual(['kurrentdb', undefined]);
  });

  it('points every instance at servers of this file, with the credentials those were given, and creates the bucket it backs up to', () => {
    const pg = services.postgres.environment!;
    const minio = services.minio.environment!;
    const bucketCommand = services['minio-init'].entrypoint!.join(' ');
    for (const name of instances) {
      const env = environmentOf(name);
      const deps = Object.keys(services[name].depends_on ?? {});
      expect(deps.every((dep) => dep in services)).toBe(true);
      if (env.DATABASE_URL) {
        const url = new URL(env.DATABASE_URL);
        expect([url.hostname, url.username, url.password, url.pathname]).toEqual(['postgres', pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, `/${pg.POSTGRES_DB}`]);
        expect(deps).toContain('postgres');
      }
      if (env.KURRENTDB_URL) {
        expect(env.KURRENTDB_URL).toMatch(/^kurrentdb:\/\/kurrentdb:2113\?tls=false$/);
        expect(deps).toContain('kurrentdb');
      }
      expect(hostOf(env.REDIS_URL)).toBe('redis');
      expect(hostOf(env.S3_ENDPOINT)).toBe('minio');
      expect([env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY]).toEqual([minio.MINIO_ROOT_USER, minio.MINIO_ROOT_PASSWORD]);
      const bucket = /^s3:\/\/([^/]+)/.exec(env.BACKUP_STORAGE)?.[1];
      expect(bucketCommand).toContain(`mc mb --ignore-existing local/${bucket}`);
      expect(deps).toContain('minio-init');
    }
    expect(bucketCommand).toContain(`mc alias set local http://minio:9000 ${minio.MINIO_ROOT_USER} ${minio.MINIO_ROOT_PASSWORD}`);
    // The two instances of one log share every setting but their volume and port.
    const { ports: _p1, volumes: _v1, ...gv1 } = services.gv1 as Service & { volumes?: string[] };
    const { ports: _p2, volumes: _v2, ...gv2 } = services.gv2 as Service & { volumes?: string[] };
    expect(gv1).toEqual(gv2);
  });
});
