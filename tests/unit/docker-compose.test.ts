import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  JEMALLOC_PATHS,
  WORKER_CACHED_WORKFLOWS,
  WORKER_NODE_ARGS,
  jemallocEnv,
} from '../../src/worker/runtime.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string[] | string;
  container_name?: string;
  ports?: (string | { target: number; published?: string | number })[];
  environment?: Record<string, string | number> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  deploy?: { replicas?: number };
  healthcheck?: unknown;
}

// `merge: true` resolves the `<<: *app-env` merge key the schedule service uses.
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, Service> };
const services = compose.services;
const serviceNames = Object.keys(services);

function service(name: string): Service {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
}

function env(name: string): Record<string, string> {
  const e = service(name).environment ?? {};
  if (Array.isArray(e)) {
    return Object.fromEntries(
      e.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
  }
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)]));
}

/** Container ports a service publishes ("7233:7233" -> 7233). */
function containerPorts(name: string): number[] {
  return (service(name).ports ?? []).map((p) =>
    typeof p === 'string' ? Number(p.split(':').at(-1)!.split('/')[0]) : p.target,
  );
}

function dependsOn(name: string): string[] {
  const d = service(name).depends_on ?? [];
  return Array.isArray(d) ? d : Object.keys(d);
}

/** `${VAR:-default}`, or `${VAR:?why}` for a secret with no default (compose refuses to start without it). */
const VAR_WITH_DEFAULT = /^\$\{[A-Z][A-Z0-9_]*(?::-|:\?)[^}]*\}$/;

describe('docker-compose.yml', () => {
  it('has the six services', () => {
    for (const name of ['temporal-db', 'temporal', 'temporal-ui', 'app-db', 'worker', 'schedule']) {
      expect(serviceNames).toContain(name);
    }
  });

  it('exposes Temporal on 7233 and the UI on 8080', () => {
    expect(containerPorts('temporal')).toContain(7233);
    expect(containerPorts('temporal-ui')).toContain(8080);
  });

  it('points the UI at the temporal service', () => {
    expect(env('temporal-ui').TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(dependsOn('temporal-ui')).toContain('temporal');
  });

  it('points Temporal at its own database service', () => {
    const seeds = env('temporal').POSTGRES_SEEDS!;
    expect(seeds).toBe('temporal-db');
    expect(serviceNames).toContain(seeds);
    expect(dependsOn('temporal')).toEqual(['temporal-db']);
  });

  it('connects the worker to services in the file', () => {
    const e = env('worker');
    const temporalHost = e.TEMPORAL_ADDRESS!.split(':')[0]!;
    expect(temporalHost).toBe('temporal');
    expect(e.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(serviceNames).toContain(temporalHost);
    // The password is a `${VAR:-default}`, so read the host after the last '@'.
    const afterAt = e.DATABASE_URL!.slice(e.DATABASE_URL!.lastIndexOf('@') + 1);
    const dbHost = afterAt.split(/[:/]/)[0]!;
    expect(e.DATABASE_URL!.startsWith('postgres://')).toBe(true);
    expect(dbHost).toBe('app-db');
    expect(serviceNames).toContain(dbHost);
    expect(e.TEMPORAL_TASK_QUEUE).toBe('boardroom');
  });

  it('lets the worker scale: no container name, no host ports, at least 2 replicas', () => {
    const worker = service('worker');
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect(worker.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(worker.command).toEqual(['node', ...WORKER_NODE_ARGS, 'dist/client/main.js', 'worker']);
  });

  it('starts the worker after Temporal and the app database are healthy', () => {
    expect(dependsOn('worker').sort()).toEqual(['app-db', 'temporal']);
    const deps = service('worker').depends_on as Record<string, { condition?: string }>;
    for (const [name, dep] of Object.entries(deps)) {
      expect(dep.condition).toBe('service_healthy');
      // `service_healthy` needs a healthcheck on the dependency, or compose never starts the worker.
      expect(service(name).healthcheck).toBeDefined();
    }
  });

  it('gives the schedule job the same connection settings as the worker', () => {
    const s = env('schedule');
    const w = env('worker');
    expect(s.TEMPORAL_ADDRESS).toBe(w.TEMPORAL_ADDRESS);
    expect(s.DATABASE_URL).toBe(w.DATABASE_URL);
    expect(s.BOARDROOM_SCHEDULE_CRON).toBe('${BOARDROOM_SCHEDULE_CRON:-0 7 * * *}');
    expect(service('schedule').command).toEqual([
      'node',
      'dist/client/main.js',
      'schedule',
      'create',
    ]);
  });

  it('registers every folder of BOARDROOM_COMPANIES_DIR, mounted at the same path wherever a company is read', () => {
    const mount = '${BOARDROOM_COMPANIES_DIR:-./companies}:/companies:ro';
    for (const name of ['worker', 'web', 'companies'])
      expect((service(name) as { volumes?: string[] }).volumes, name).toContain(mount);
    const script = (service('companies').command as string[]).join(' ');
    expect(script).toContain('node dist/client/main.js companies add --if-new "$$d" || exit 1');
    expect(env('companies').DATABASE_URL).toBe(env('worker').DATABASE_URL);
    expect(dependsOn('companies').sort()).toEqual(['app-db', 'temporal']);
  });

  it("turns on task-queue fairness in the Temporal server's dynamic config", () => {
    const [host, container] = (service('temporal') as { volumes?: string[] }).volumes![0]!.split(
      ':',
    );
    expect(container).toBe(env('temporal').DYNAMIC_CONFIG_FILE_PATH);
    const dynamic = parse(readFileSync(path.join(ROOT, host!), 'utf8')) as Record<
      string,
      { value: unknown }[]
    >;
    expect(dynamic['matching.enableFairness']).toEqual([{ value: true }]);
  });

  it('holds no plain secret: passwords are ${VAR:-default} or ${VAR:?required}', () => {
    const checked: string[] = [];
    for (const name of serviceNames) {
      for (const [key, value] of Object.entries(env(name))) {
        if (/PASSWORD|PWD|SECRET|TOKEN|API_KEY/i.test(key)) {
          expect(value, `${name}.${key}`).toMatch(VAR_WITH_DEFAULT);
          checked.push(`${name}.${key}`);
        }
        const url = /^[a-z][a-z0-9+.-]*:\/\/([^@/]*)@/i.exec(value);
        if (url) {
          const userinfo = url[1]!;
          const password = userinfo.slice(userinfo.indexOf(':') + 1);
          expect(userinfo.includes(':'), `${name}.${key} has a password`).toBe(true);
          expect(password, `${name}.${key}`).toMatch(VAR_WITH_DEFAULT);
          checked.push(`${name}.${key}`);
        }
      }
    }
    expect(checked.sort()).toEqual([
      'app-db.POSTGRES_PASSWORD',
      'companies.DATABASE_URL',
      'schedule.DATABASE_URL',
      'temporal-db.POSTGRES_PASSWORD',
      'temporal.POSTGRES_PWD',
      'web.BOARDROOM_WEB_TOKEN',
      'web.DATABASE_URL',
      'worker.DATABASE_URL',
    ]);
  });

  it('builds the worker from a Dockerfile whose CMD runs the worker', () => {
    const build = service('worker').build;
    const context = typeof build === 'string' ? build : (build?.context ?? '.');
    const dockerfile =
      typeof build === 'object' && build.dockerfile ? build.dockerfile : 'Dockerfile';
    const file = path.join(ROOT, context, dockerfile);
    expect(existsSync(file)).toBe(true);
    const cmds = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /^CMD\s/.test(l));
    expect(cmds).toHaveLength(1);
    const arg = cmds[0]!.replace(/^CMD\s+/, '').trim();
    const argv: string[] = arg.startsWith('[') ? (JSON.parse(arg) as string[]) : arg.split(/\s+/);
    // The worker runs as the benchmark measured it (src/worker/runtime.ts).
    expect(argv).toEqual(['node', ...WORKER_NODE_ARGS, 'dist/client/main.js', 'worker']);
    expect(service('worker').command).toEqual(argv);
    const dockerEnv = Object.fromEntries(
      [...readFileSync(file, 'utf8').matchAll(/^\s*(?:ENV\s+)?([A-Z_]+)=(\S+?)\s*\\?$/gm)].map(
        (m) => [m[1]!, m[2]!],
      ),
    );
    expect(dockerEnv).toMatchObject({
      ...jemallocEnv(JEMALLOC_PATHS[0]),
      BOARDROOM_WORKER_CACHED_WORKFLOWS: String(WORKER_CACHED_WORKFLOWS),
    });
  });
});
