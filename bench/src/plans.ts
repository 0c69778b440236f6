#!/usr/bin/env node
import 'reflect-metadata';
import fs from 'node:fs/promises';
import { Command } from 'commander';
import { execute, parse } from 'graphql';
import pg from 'pg';
import { createContext } from '../../src/app/context';
import { buildAppSchema } from '../../src/app/schema';
import { PoolQueryable, type Queryable } from '../../src/db/pool';
import { QUERIES } from './queries';

/**
 * What PostgreSQL does for each of the benchmark's queries: every statement the service sends for it
 * (recorded in-process, the same SQL the HTTP server sends), run under EXPLAIN (ANALYZE, BUFFERS)
 * on an existing benchmark database. Prints, per query, each statement's median execution time (of
 * `--runs`, timing per plan node off so that it does not weigh on the figure), the buffers it touched,
 * and with `--plans` the plan itself. Run it on two builds over the same dataset to see what a change
 * of schema or SQL did: `npm run bench:plans -- --database postgres://.../bench`.
 */

const program = new Command()
  .requiredOption('--database <url>', 'a benchmark database (made by npm run bench:prepare)')
  .option('--runs <n>', 'runs of each statement; the median is printed', Number, 7)
  .option('--queries <ids>', 'which queries, e.g. Q1,Q6 (default: all)', (v) => v.split(','))
  .option('--plans', 'print each statement\'s plan (EXPLAIN ANALYZE, BUFFERS, costs off)')
  .option('--output <file>', 'also write the report (markdown) to this file');

interface Statement {
  text: string;
  values: unknown[] | undefined;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The first lines of a statement that say what it reads, for the report. */
function gist(sql: string): string {
  const from = /FROM\s+(?!unnest)([a-z_]+\s+[a-z]+(?:\s+JOIN\s+[a-z_]+\s+[a-z]+)?)/i.exec(sql)?.[1] ?? sql.slice(0, 40);
  const order = /ORDER BY ([^)]*?) LIMIT/i.exec(sql)?.[1];
  return `${from.replace(/\s+/g, ' ')}${order ? ` ORDER BY ${order.replace(/ ASC NULLS LAST/g, '').replace(/\s+/g, ' ')}` : ''}`;
}

async function main(): Promise<void> {
  const options = program.parse().opts<{ database: string; runs: number; queries?: string[]; plans?: boolean; output?: string }>();
  const pool = new pg.Pool({ connectionString: options.database, max: 1 });
  const base = new PoolQueryable(pool);
  const schema = await buildAppSchema({ direct: true });
  const lines: string[] = [`Statements of each query under EXPLAIN (ANALYZE, BUFFERS), median of ${options.runs} runs (planning as an unprepared statement plans each time), on ${options.database.replace(/\/\/[^@]*@/, '//')}.`, ''];
  const out = (line = '') => {
    lines.push(line);
    console.log(line);
  };
  try {
    for (const query of QUERIES.filter((q) => !options.queries || options.queries.includes(q.id))) {
      const statements: Statement[] = [];
      const recording = {
        query: (text: string, values?: unknown[]) => {
          statements.push({ text, values });
          return base.query(text, values);
        },
        transaction: (work: never) => base.transaction(work),
      } as unknown as Queryable;
      let variableValues: Record<string, unknown> | undefined;
      if (query.variables) {
        const asked = await execute({ schema, document: parse(query.variables.ours), contextValue: createContext(base) });
        variableValues = query.variables.pick.ours(asked.data);
      }
      const context = createContext(recording);
      const result = await execute({ schema, document: parse(query.ours), contextValue: context, variableValues });
      if (result.errors?.length) throw new Error(`${query.id}: ${result.errors[0].message}`);
      out(`### ${query.id}: ${query.title}`);
      out();
      out('| statement | reads | planning ms | execution ms | buffers |');
      out('|---|---|---:|---:|---:|');
      let totalMs = 0;
      let totalPlanning = 0;
      let totalBuffers = 0;
      const plans: string[] = [];
      for (const [i, statement] of statements.entries()) {
        const times: number[] = [];
        const planning: number[] = [];
        let buffers = 0;
        for (let run = 0; run < options.runs; run++) {
          const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) ${statement.text}`, statement.values);
          const [report] = rows[0]['QUERY PLAN'];
          times.push(report['Execution Time']);
          planning.push(report['Planning Time']);
          buffers = report.Plan['Shared Hit Blocks'] + report.Plan['Shared Read Blocks'];
        }
        const ms = median(times);
        totalMs += ms;
        totalPlanning += median(planning);
        totalBuffers += buffers;
        out(`| ${i + 1} | \`${gist(statement.text)}\` | ${median(planning).toFixed(2)} | ${ms.toFixed(2)} | ${buffers} |`);
        if (options.plans) {
          const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${statement.text}`, statement.values);
          plans.push(`-- statement ${i + 1}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
        }
      }
      out(`| all | ${statements.length} statements | ${totalPlanning.toFixed(2)} | ${totalMs.toFixed(2)} | ${totalBuffers} |`);
      out();
      if (plans.length) {
        out('```');
        for (const plan of plans) out(plan);
        out('```');
        out();
      }
    }
  } finally {
    await pool.end();
  }
  if (options.output) await fs.writeFile(options.output, `${lines.join('\n')}\n`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
