import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * The benchmark's dataset: deterministic (seeded, no network), realistic in shape, loaded with COPY.
 * At scale 1: 2,000 studios, 5,000 producers, 50,000 films (2-3 studios and 1-4 producers each) and
 * 20,000 deals (2-4 parties, 0-3 films each). A third of deal parties are drawn from the first 50
 * studios, so some studios have hundreds of partners, as majors do. Two in five studios belong to a
 * group: studio 10k+1 owns the next four.
 */

export interface DatasetSize {
  studios: number;
  producers: number;
  films: number;
  deals: number;
}

export function sizeAt(scale: number): DatasetSize {
  return { studios: Math.round(2_000 * scale), producers: Math.round(5_000 * scale), films: Math.round(50_000 * scale), deals: Math.round(20_000 * scale) };
}

/** mulberry32: a small, fast, seedable PRNG (the benchmark's dataset and the tests' catalogue). */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}

const KINDS = ['STUDIO', 'PRODUCTION_COMPANY', 'DISTRIBUTOR', 'FINANCIER', 'CONGLOMERATE', 'EXHIBITOR'];
const COUNTRIES = ['US', 'CN', 'GB', 'FR', 'IN', 'JP', 'KR', 'DE', '\\N'];
const STATUSES = ['ANNOUNCED', 'IN_DEVELOPMENT', 'PRE_PRODUCTION', 'IN_PRODUCTION', 'POST_PRODUCTION', 'RELEASED', 'RELEASED', 'RELEASED', 'CANCELLED'];
const GENRES = ['Action', 'Comedy', 'Drama', 'Thriller', 'Horror', 'Romance', 'Animation', 'Documentary'];
const STUDIO_ROLES = ['PRODUCTION', 'CO_PRODUCTION', 'FINANCING', 'DISTRIBUTION'];
const PRODUCER_ROLES = ['PRODUCER', 'EXECUTIVE_PRODUCER', 'DIRECTOR'];
const DEAL_KINDS = ['PARTNERSHIP', 'CO_PRODUCTION', 'CO_FINANCING', 'INVESTMENT', 'EQUITY_STAKE', 'ACQUISITION', 'DISTRIBUTION', 'LICENSING'];
const WORDS = ['Golden', 'Silver', 'Harbor', 'Lantern', 'River', 'Empire', 'Signal', 'Winter', 'Garden', 'Journey', 'Dragon', 'Lotus', 'Northern', 'Pacific'];
const pad = (n: number) => String(n).padStart(6, '0');
const date = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Loads the dataset into an empty, migrated database; `progress` gets the rows written so far. */
export async function loadDataset(client: pg.PoolClient, size: DatasetSize, seed: number, progress: (rows: number, total: number) => void): Promise<number> {
  const r = prng(seed);
  const total = size.studios + size.producers + size.films * 6.5 + size.deals * 5;
  let written = 0;

  const copy = async (table: string, columns: string[], rows: Iterable<(string | number)[]>) => {
    const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    let buffer: string[] = [];
    for (const row of rows) {
      buffer.push(row.join('\t'));
      if (buffer.length === 5_000) {
        if (!stream.write(`${buffer.join('\n')}\n`)) await new Promise((resolve) => stream.once('drain', resolve));
        written += buffer.length;
        progress(Math.min(written, total), total);
        buffer = [];
      }
    }
    if (buffer.length) stream.write(`${buffer.join('\n')}\n`);
    written += buffer.length;
    progress(Math.min(written, total), total);
    stream.end();
    await done;
  };

  await copy('studio', ['id', 'slug', 'name', 'kind', 'country', 'founded_year'], function* () {
    for (let i = 1; i <= size.studios; i++) {
      yield [i, `bench-studio-${pad(i)}`, `${r.pick(WORDS)} ${r.pick(WORDS)} Pictures ${i}`, r.pick(KINDS), r.pick(COUNTRIES), r.next() < 0.8 ? r.int(1900, 2020) : '\\N'];
    }
  }());
  await copy('producer', ['id', 'slug', 'name', 'kind'], function* () {
    for (let i = 1; i <= size.producers; i++) yield [i, `bench-producer-${pad(i)}`, `${r.pick(WORDS)} Producer ${i}`, i % 10 === 0 ? 'COMPANY' : 'PERSON'];
  }());
  await copy(
    'film',
    ['id', 'slug', 'title', 'status', 'release_date', 'genres', 'budget_amount', 'budget_currency', 'worldwide_gross_amount', 'worldwide_gross_currency'],
    function* () {
      for (let i = 1; i <= size.films; i++) {
        const budget = r.next() < 0.8;
        const gross = r.next() < 0.7;
        yield [
          i,
          `bench-film-${pad(i)}`,
          `The ${r.pick(WORDS)} ${r.pick(WORDS)} ${i}`,
          r.pick(STATUSES),
          r.next() < 0.9 ? date(r.int(1970, 2025), r.int(1, 12), r.int(1, 28)) : '\\N',
          `{${GENRES.filter(() => r.next() < 0.2).join(',')}}`,
          budget ? `${r.int(100_000, 300_000_000)}.00` : '\\N',
          budget ? 'USD' : '\\N',
          gross ? `${r.int(10_000, 2_000_000_000)}.${String(r.int(0, 99)).padStart(2, '0')}` : '\\N',
          gross ? 'USD' : '\\N',
        ];
      }
    }(),
  );
  await copy('film_studio', ['film_id', 'studio_id', 'role'], function* () {
    for (let film = 1; film <= size.films; film++) {
      const chosen = new Set<number>();
      const count = r.int(2, 3);
      while (chosen.size < count) chosen.add(r.int(1, size.studios));
      for (const studio of chosen) yield [film, studio, r.pick(STUDIO_ROLES)];
    }
  }());
  await copy('film_producer', ['film_id', 'producer_id', 'role'], function* () {
    for (let film = 1; film <= size.films; film++) {
      const chosen = new Set<number>();
      const count = r.int(1, 4);
      while (chosen.size < count) chosen.add(r.int(1, size.producers));
      for (const producer of chosen) yield [film, producer, r.pick(PRODUCER_ROLES)];
    }
  }());
  const kinds: string[] = [];
  await copy('deal', ['id', 'slug', 'kind', 'title', 'status', 'announced_on', 'announced_on_precision', 'value_amount', 'value_currency', 'value_usd', 'stake_percent'], function* () {
    for (let i = 1; i <= size.deals; i++) {
      const kind = r.pick(DEAL_KINDS);
      kinds.push(kind);
      const dated = r.next() < 0.9;
      const valued = r.next() < 0.6;
      const amount = r.int(100_000, 5_000_000_000);
      yield [
        i,
        `bench-deal-${pad(i)}`,
        kind,
        `${kind.toLowerCase()} ${i}`,
        r.pick(['ANNOUNCED', 'CLOSED', 'TERMINATED']),
        dated ? date(r.int(2000, 2025), r.int(1, 12), r.int(1, 28)) : '\\N',
        dated ? 'DAY' : '\\N',
        valued ? amount : '\\N',
        valued ? 'USD' : '\\N',
        valued ? amount : '\\N',
        kind === 'EQUITY_STAKE' || kind === 'ACQUISITION' ? `${r.int(1, 99)}.${String(r.int(0, 99)).padStart(2, '0')}` : '\\N',
      ];
    }
  }());
  await copy('deal_party', ['deal_id', 'studio_id', 'role'], function* () {
    for (let deal = 1; deal <= size.deals; deal++) {
      const chosen = new Set<number>();
      const count = r.int(2, 4);
      while (chosen.size < count) chosen.add(r.next() < 0.33 ? r.int(1, Math.min(50, size.studios)) : r.int(1, size.studios));
      const kind = kinds[deal - 1];
      const [first, other] = kind === 'EQUITY_STAKE' || kind === 'ACQUISITION' ? ['ACQUIRER', 'TARGET'] : kind === 'INVESTMENT' ? ['INVESTOR', 'INVESTEE'] : ['PARTNER', 'PARTNER'];
      let k = 0;
      for (const studio of chosen) yield [deal, studio, k++ === 0 ? first : other];
    }
  }());
  await copy('deal_film', ['deal_id', 'film_id'], function* () {
    for (let deal = 1; deal <= size.deals; deal++) {
      const chosen = new Set<number>();
      const count = r.int(0, 3);
      while (chosen.size < count) chosen.add(r.int(1, size.films));
      for (const film of chosen) yield [deal, film];
    }
  }());
  // Ownership, as groups have it: studio 10k+1 owns the next four (studio 1 owns studios 2-5).
  await client.query('UPDATE studio SET parent_id = id - (id - 1) % 10 WHERE (id - 1) % 10 BETWEEN 1 AND 4');
  for (const table of ['studio', 'producer', 'film', 'deal']) {
    await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
  }
  // As autovacuum would leave a steady database: statistics, and the visibility map (index-only counts).
  await client.query('VACUUM ANALYZE');
  return written;
}
