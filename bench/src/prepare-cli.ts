#!/usr/bin/env node
import { Command } from 'commander';
import { createLogger } from '../../src/logger';
import { prepareDatabase } from './prepare';

/**
 * A benchmark database on a PostgreSQL of your choice, for `npm run bench:plans` and `npm run
 * bench:rss`: `npm run bench:prepare -- --server postgres://postgres@127.0.0.1:5432/postgres
 * --name bench10 --scale 10`. Drops and recreates the database `--name` on that server, migrates
 * it and loads the generated dataset (what `npm run bench` does on its embedded PostgreSQL).
 */
const program = new Command()
  .requiredOption('--server <url>', 'a connection to the server, as a role that may create databases')
  .option('--name <name>', 'the database to (re)create', 'media_graph_bench')
  .option('--scale <n>', 'dataset size multiplier (1 = 2,000 studios, 50,000 films, 20,000 deals)', Number, 1)
  .option('--seed <n>', 'dataset seed', Number, 42);

async function main(): Promise<void> {
  const options = program.parse().opts<{ server: string; name: string; scale: number; seed: number }>();
  if (!/^[a-z_][a-z0-9_]*$/.test(options.name)) throw new Error(`--name must be a plain lower-case identifier, not ${JSON.stringify(options.name)}`);
  const { url, size } = await prepareDatabase(options.server, options.name, options.scale, options.seed, createLogger('warn', 'bench'));
  console.log(`Ready: ${url.replace(/\/\/[^@]*@/, '//')} (${size.studios} studios, ${size.producers} producers, ${size.films} films, ${size.deals} deals).`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
