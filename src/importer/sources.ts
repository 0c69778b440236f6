import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import { parser } from 'stream-json';
import { streamArray } from 'stream-json/streamers/StreamArray';
import { CommandError } from '../db/command';
import { fromVegaMovie } from './records';

/**
 * Where an import reads from: vega-datasets' real movies.json (`movies`), or a file of normalised
 * records as a JSON array (.json), JSON Lines (.jsonl, .ndjson) or CSV with a header row (.csv).
 * Records are streamed: a file larger than memory is fine.
 */
export interface ImportSource {
  /** What the run is filed under: `movies`, or the file's absolute path. */
  name: string;
  file: string;
  /** Records in the normalised format, in file order. */
  records(): AsyncIterable<Record<string, unknown>>;
  /** SHA-256 of the file: an unfinished run of the same content is resumed. */
  hash(): Promise<string>;
}

export function openSource(argument: string): ImportSource {
  if (argument === 'movies') {
    // The package exports only its code; its data files sit next to it.
    const file = path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data', 'movies.json');
    return source('movies', file, async function* () {
      for await (const record of jsonArray(file)) yield fromVegaMovie(record);
    });
  }
  const file = path.resolve(argument);
  if (!fs.existsSync(file)) throw new CommandError(`No such file: ${file}. Give "movies" or the path of a .json, .jsonl or .csv file.`);
  const extension = path.extname(file).toLowerCase();
  if (extension === '.json') return source(file, file, () => jsonArray(file));
  if (extension === '.jsonl' || extension === '.ndjson') return source(file, file, () => jsonLines(file));
  if (extension === '.csv') return source(file, file, () => csvRows(file));
  throw new CommandError(`Cannot tell the format of ${file} from its extension: use .json (an array), .jsonl or .csv.`);
}

function source(name: string, file: string, records: () => AsyncIterable<Record<string, unknown>>): ImportSource {
  return {
    name,
    file,
    records,
    hash: () =>
      new Promise((resolve, reject) => {
        const digest = createHash('sha256');
        fs.createReadStream(file)
          .on('data', (chunk) => digest.update(chunk))
          .on('end', () => resolve(digest.digest('hex')))
          .on('error', reject);
      }),
  };
}

async function* jsonArray(file: string): AsyncIterable<Record<string, unknown>> {
  const stream = fs.createReadStream(file).pipe(parser()).pipe(streamArray());
  try {
    for await (const { value } of stream as AsyncIterable<{ value: unknown }>) yield asObject(value);
  } catch (error) {
    throw new CommandError(`${file} is not a JSON array of records: ${(error as Error).message}`);
  }
}

async function* jsonLines(file: string): AsyncIterable<Record<string, unknown>> {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    try {
      yield asObject(JSON.parse(line));
    } catch (error) {
      // A broken line is a bad record, not a broken import: it is rejected with the parse error.
      yield { __invalid: `the line is not JSON: ${(error as Error).message}` };
    }
  }
}

async function* csvRows(file: string): AsyncIterable<Record<string, unknown>> {
  const rows = fs.createReadStream(file).pipe(parseCsv({ columns: true, skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }));
  for await (const row of rows) yield row as Record<string, unknown>;
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { __invalid: `a record must be an object, got ${JSON.stringify(value)}` };
}
