import 'reflect-metadata';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { runCommand } from './command';
import { runImport, type Progress } from '../importer/import';
import { openSource } from '../importer/sources';

/**
 * `npm run import -- movies` loads vega-datasets' 3,201 real films; `npm run import -- FILE` loads
 * normalised records from .json, .jsonl or .csv (format in the README).
 */
const positive = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
  return n;
};

const program = new Command('import')
  .description('Import films, with their distributors (as studios) and directors (as producers). Resumes an interrupted run of the same content.')
  .argument('<source>', '"movies" (vega-datasets movies.json) or the path of a .json, .jsonl or .csv file of normalised records')
  .option('--batch-size <n>', 'records per transaction', positive('--batch-size'), 250)
  .option('--max-rate <n>', 'records per second at most, 0 for no limit', positive('--max-rate'), 0)
  .option('--rejects <file>', 'where to write the rejected records (JSON lines); default: <source>.rejects.jsonl in the current directory')
  .option('--actor <name>', 'author of the changes in the audit history', 'import')
  .action((argument: string, options: { batchSize: number; maxRate: number; rejects?: string; actor: string }) =>
    runCommand('import', async ({ db, url }) => {
      const source = openSource(argument);
      const rejectsFile = path.resolve(options.rejects ?? `${path.basename(source.name).replace(/\.(json|jsonl|ndjson|csv)$/i, '')}.rejects.jsonl`);
      const terminal = Boolean(process.stdout.isTTY);
      const bar = terminal
        ? new cliProgress.SingleBar(
            { format: 'importing [{bar}] {percentage}% | {value}/{total} records | {rate} records/s | ETA {eta_formatted}', hideCursor: true },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      const started = Date.now();
      let lastLine = 0;
      let startAt = 0;
      const summary = await runImport(url, db, source, {
        batchSize: Math.max(1, options.batchSize),
        maxRate: options.maxRate,
        actor: options.actor,
        rejectsFile,
        onStart: ({ runId, resumedAt, total }) => {
          startAt = resumedAt;
          console.log(
            resumedAt > 0
              ? `Resuming import run ${runId} of ${source.name} after record ${resumedAt} of ${total}.`
              : `Import run ${runId} of ${source.name}: ${total} records.`,
          );
          bar?.start(total, resumedAt, { rate: '0' });
        },
        onProgress: ({ done, total, counts }: Progress) => {
          const seconds = (Date.now() - started) / 1000;
          const rate = seconds > 0 ? Math.round((done - startAt) / seconds) : 0;
          if (bar) {
            bar.update(done, { rate: String(rate) });
          } else if (Date.now() - lastLine > 1000 || done === total) {
            lastLine = Date.now();
            const eta = rate > 0 ? Math.ceil((total - done) / rate) : 0;
            console.log(
              `${done}/${total} records (${Math.round((done / Math.max(total, 1)) * 100)}%), ${rate} records/s, ETA ${eta}s: ` +
                `${counts.inserted} inserted, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.rejected} rejected`,
            );
          }
        },
      });
      bar?.stop();
      console.log(
        `Done: ${summary.total} records: ${summary.inserted} inserted, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.rejected} rejected.`,
      );
      console.log(
        `Matched to films already in the catalogue (same title and year): ${summary.matched}; ambiguous, not merged (in the rejects): ${summary.ambiguous}; release dates repaired: ${summary.repaired}.`,
      );
      if (summary.rejectsFile) console.log(`Rejected records, with their numbers and reasons: ${summary.rejectsFile}`);
    }),
  );

program.parse();
