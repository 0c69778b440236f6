import path from 'node:path';
import { z } from 'zod';
import type { Limits } from './graphql/limits';

/**
 * Everything the service and its commands read from the environment, validated once at the edge
 * (see the configuration table in the README). Nothing deeper in the code reads `process.env`.
 */
export interface Config {
  /** `development`, `production` or `test`. */
  env: 'development' | 'production' | 'test';
  /** HTTP port of the API. */
  port: number;
  /** Address the HTTP server binds to. */
  host: string;
  /** External PostgreSQL; when set, no embedded server is started. */
  databaseUrl: string | undefined;
  /** Where the embedded PostgreSQL keeps its data, absolute. */
  dataDir: string;
  /** Port of the embedded PostgreSQL; undefined picks a free one at first start. */
  embeddedPgPort: number | undefined;
  /** Connections in the service's pool. */
  poolSize: number;
  /** pino log level. */
  logLevel: string;
  /** How long a shutdown waits for in-flight requests before closing them. */
  shutdownGraceMs: number;
  /** Largest accepted request body. */
  maxBodyBytes: number;
  /** Bounds on the work of one request. */
  limits: Limits;
  /** Whether reads need an API key too (mutations always do). */
  readsRequireKey: boolean;
}

const integer = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be between ${min} and ${max}`);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: integer('PORT', 1, 65535).default(4000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .trim()
    .refine((url) => /^postgres(ql)?:\/\//.test(url), 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().trim().min(1).default('./.data'),
  EMBEDDED_PG_PORT: integer('EMBEDDED_PG_PORT', 1, 65535).optional(),
  DATABASE_POOL_SIZE: integer('DATABASE_POOL_SIZE', 1, 200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_GRACE_MS: integer('SHUTDOWN_GRACE_MS', 0, 600_000).default(10_000),
  MAX_BODY_BYTES: integer('MAX_BODY_BYTES', 1024, 100 * 1024 * 1024).default(1024 * 1024),
  READS_REQUIRE_KEY: z.enum(['true', 'false', '1', '0']).default('false'),
  NETWORK_MAX_PAIRS: integer('NETWORK_MAX_PAIRS', 100, 10_000_000).default(20_000),
});

/** Thrown when the environment does not describe a usable configuration; lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the configuration. Empty variables count as unset, so `PORT=` in a shell or a
 * compose file falls back to the default instead of failing.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = issue.path.join('.');
        return `${variable}: ${issue.message} (got ${JSON.stringify(present[variable] ?? null)})`;
      }),
    );
  }
  const c = parsed.data;
  return {
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir: path.resolve(cwd, c.DATA_DIR),
    embeddedPgPort: c.EMBEDDED_PG_PORT,
    poolSize: c.DATABASE_POOL_SIZE,
    logLevel: c.LOG_LEVEL,
    shutdownGraceMs: c.SHUTDOWN_GRACE_MS,
    maxBodyBytes: c.MAX_BODY_BYTES,
    limits: { networkMaxPairs: c.NETWORK_MAX_PAIRS },
    readsRequireKey: c.READS_REQUIRE_KEY === 'true' || c.READS_REQUIRE_KEY === '1',
  };
}
