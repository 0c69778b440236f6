process.env.TZ = 'UTC';
import 'reflect-metadata';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import { entities } from '../app/entities';
import { pendingSchemaChanges, runMigrations } from '../db/migrate';
import { connectClient, createPool } from '../db/pool';
import { articleSeed } from '../seed/article';
import { applySeed } from '../seed/seed';
import { connectDatabaseServer, withDatabase } from '../db/server';

const USAGE = `Usage: node dist/cli/db.js <command>

Commands:
  migrate            apply the committed migrations that are not applied yet
  seed [--force]     apply the article seed (skipped when this version is already applied, unless --force)
  generate <Name>    write src/db/migrations/<timestamp>-<Name>.ts with what the entities need beyond
                     the committed migrations (computed on a scratch database that is dropped afterwards)

The database is the one the service uses: DATABASE_URL when set, otherwise the embedded PostgreSQL of
DATA_DIR (joined if the service is running on it, started for the duration of the command if not).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (!['migrate', 'seed', 'generate'].includes(command)) {
    console.error(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  if (command === 'generate' && !/^[A-Z][A-Za-z0-9]*$/.test(args[0] ?? '')) {
    console.error(`generate needs a migration name in PascalCase, such as AddStudioLogo; got ${JSON.stringify(args[0] ?? '')}.`);
    return 2;
  }

  const config = loadConfig();
  const log = createLogger(config.logLevel, `db:${command}`);
  const server = await connectDatabaseServer(config, log, `db:${command}`);
  try {
    if (command === 'migrate') {
      const applied = await runMigrations(server.url, log);
      console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The schema is up to date.');
    } else if (command === 'seed') {
      await runMigrations(server.url, log);
      const pool = createPool(server.url, 2, 'media-graph seed');
      try {
        const result = await applySeed(pool, articleSeed, { force: args.includes('--force') });
        console.log(
          result.applied
            ? `Seed "${result.name}" version ${result.version} applied` +
                (result.previousVersion === null ? '.' : ` (was version ${result.previousVersion}).`)
            : `Seed "${result.name}" version ${result.previousVersion} is already applied; nothing to do (--force applies it again).`,
        );
      } finally {
        await pool.end();
      }
    } else {
      await generateMigration(server.adminUrl, args[0], log);
    }
    return 0;
  } finally {
    await server.release();
  }
}

async function generateMigration(adminUrl: string, name: string, log: ReturnType<typeof createLogger>): Promise<void> {
  const scratch = `media_graph_generate_${process.pid}`;
  const admin = await connectClient({ connectionString: adminUrl });
  try {
    await admin.query(`CREATE DATABASE ${scratch}`);
    const url = withDatabase(adminUrl, scratch);
    await runMigrations(url, log);
    const { up, down } = await pendingSchemaChanges(url, entities);
    if (up.length === 0) {
      console.log('The entities match the committed migrations: nothing to generate.');
      return;
    }
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const quote = (sql: string) => `    await queryRunner.query(${JSON.stringify(sql)});`;
    const file = path.join(process.cwd(), 'src', 'db', 'migrations', `${timestamp}-${name}.ts`);
    await fs.writeFile(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${up.map(quote).join('\n')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${down.map(quote).join('\n')}
  }
}
`,
    );
    console.log(`Wrote ${path.relative(process.cwd(), file)} (${up.length} statements). Add ${className} to src/db/migrations/index.ts.`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof ConfigError ? error.message : `Failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
