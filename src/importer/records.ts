import { FilmStatus, MPAA_LABELS, MpaaRating } from '../film/film.enums';
import { isCalendarDate } from '../graphql/scalars';
import { SLUG, slugify } from '../graphql/validation';

/**
 * The normalised film record every import source is turned into (the format of `npm run import --
 * FILE`, documented in the README), and its validation. A record that fails says why, and goes to
 * the rejects file instead of stopping the import.
 */
export interface FilmRecord {
  title: string;
  slug: string;
  releaseDate: string | null;
  status: FilmStatus;
  genres: string[];
  budgetUsd: string | null;
  worldwideGrossUsd: string | null;
  /** Name of the distributing studio, credited with DISTRIBUTION. */
  distributor: string | null;
  /** Name of the director, credited as DIRECTOR. */
  director: string | null;
  /** Names of the cast, each credited as ACTOR. */
  cast: string[];
  usGrossUsd: string | null;
  usDvdSalesUsd: string | null;
  mpaaRating: MpaaRating | null;
  runningTimeMinutes: number | null;
  sourceMaterial: string | null;
  creativeType: string | null;
  rottenTomatoesRating: number | null;
  imdbRating: string | null;
  imdbVotes: number | null;
  /** The release date as the source wrote it, when the source's mapping repaired it. */
  reportedReleaseDate: string | null;
}

export type Normalized = { ok: true; record: FilmRecord } | { ok: false; reason: string };

const DECIMAL = /^\d+(\.\d+)?$/;
const STATUSES = new Set<string>(Object.values(FilmStatus));

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** A money amount: a non-negative decimal written exactly; JSON numbers are taken digit for digit. */
function amount(value: unknown, field: string): { value: string | null } | { reason: string } {
  if (value === null || value === undefined || value === '') return { value: null };
  let written: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return { reason: `${field} must be a non-negative amount, got ${value}` };
    // Integers print exactly; other numbers as JavaScript prints them (no exponent below 1e21).
    written = Number.isInteger(value) ? BigInt(value).toString() : String(value);
  } else if (typeof value === 'string') {
    written = value.trim().replace(/,/g, '');
  } else {
    return { reason: `${field} must be a number, got ${JSON.stringify(value)}` };
  }
  if (!DECIMAL.test(written)) return { reason: `${field} must be a non-negative decimal amount in US dollars, got ${JSON.stringify(value)}` };
  return { value: written };
}

/** A whole number within bounds, or null; a reason when it is something else. */
function whole(value: unknown, field: string, min: number, max: number): { value: number | null } | { reason: string } {
  if (value === null || value === undefined || value === '') return { value: null };
  const number = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    return { reason: `${field} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}` };
  }
  return { value: number };
}

/** A decimal within bounds, to `scale` digits, written exactly; or null. */
function decimalIn(value: unknown, field: string, min: number, max: number, scale: number): { value: string | null } | { reason: string } {
  if (value === null || value === undefined || value === '') return { value: null };
  const written = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const number = Number(written);
  const digits = written.split('.')[1]?.length ?? 0;
  if (!DECIMAL.test(written) || number < min || number > max || digits > scale) {
    return { reason: `${field} must be a number from ${min} to ${max} with at most ${scale} decimal${scale === 1 ? '' : 's'}, got ${JSON.stringify(value)}` };
  }
  return { value: written };
}

/** Names, from a list or (in CSV) separated by "|". */
function names(value: unknown, field: string): { value: string[] } | { reason: string } {
  if (value === null || value === undefined || value === '') return { value: [] };
  const list = Array.isArray(value) ? value.map(text) : typeof value === 'string' ? value.split('|').map(text) : undefined;
  if (!list) return { reason: `${field} must be a list of names (or, in CSV, names separated by "|")` };
  const kept = [...new Set(list.filter((n): n is string => n !== null))];
  const nameless = kept.find((n) => !slugify(n));
  if (nameless !== undefined) return { reason: `${field} holds ${JSON.stringify(nameless)}, which has no letters or digits` };
  return { value: kept };
}

const MPAA_VALUES = new Set<string>(Object.values(MpaaRating));

/**
 * Validates and completes a normalised record. `today` decides the default status: a film with a
 * release date up to today is RELEASED, a later one or one without a date is ANNOUNCED.
 */
export function normalize(raw: Record<string, unknown>, today: string): Normalized {
  const title = text(raw.title);
  if (!title) return { ok: false, reason: 'title is missing' };
  if (title.length > 300) return { ok: false, reason: `title is longer than 300 characters (${title.length})` };

  const date = text(raw.releaseDate);
  if (date !== null && !isCalendarDate(date)) return { ok: false, reason: `releaseDate ${JSON.stringify(date)} is not a date written YYYY-MM-DD` };

  let status: FilmStatus;
  const givenStatus = text(raw.status);
  if (givenStatus !== null) {
    if (!STATUSES.has(givenStatus.toUpperCase())) return { ok: false, reason: `status ${JSON.stringify(givenStatus)} is not one of ${[...STATUSES].join(', ')}` };
    status = givenStatus.toUpperCase() as FilmStatus;
  } else {
    status = date !== null && date <= today ? FilmStatus.RELEASED : FilmStatus.ANNOUNCED;
  }

  let genres: string[] = [];
  if (Array.isArray(raw.genres)) genres = raw.genres.map(text).filter((g): g is string => g !== null);
  else if (typeof raw.genres === 'string') genres = raw.genres.split('|').map((g) => g.trim()).filter(Boolean);
  else if (raw.genres != null) return { ok: false, reason: 'genres must be a list of names (or, in CSV, names separated by "|")' };
  genres = [...new Set(genres)];

  const budget = amount(raw.budgetUsd, 'budgetUsd');
  if ('reason' in budget) return { ok: false, reason: budget.reason };
  const gross = amount(raw.worldwideGrossUsd, 'worldwideGrossUsd');
  if ('reason' in gross) return { ok: false, reason: gross.reason };

  const distributor = text(raw.distributor);
  if (distributor && !slugify(distributor)) return { ok: false, reason: `distributor ${JSON.stringify(distributor)} has no letters or digits` };
  const director = text(raw.director);
  if (director && !slugify(director)) return { ok: false, reason: `director ${JSON.stringify(director)} has no letters or digits` };

  const usGross = amount(raw.usGrossUsd, 'usGrossUsd');
  if ('reason' in usGross) return { ok: false, reason: usGross.reason };
  const usDvdSales = amount(raw.usDvdSalesUsd, 'usDvdSalesUsd');
  if ('reason' in usDvdSales) return { ok: false, reason: usDvdSales.reason };
  const mpaaText = text(raw.mpaaRating);
  const mpaaRating = mpaaText === null ? null : (MPAA_LABELS[mpaaText] ?? (MPAA_VALUES.has(mpaaText.toUpperCase()) ? (mpaaText.toUpperCase() as MpaaRating) : undefined));
  if (mpaaRating === undefined) return { ok: false, reason: `mpaaRating ${JSON.stringify(mpaaText)} is not one of ${Object.keys(MPAA_LABELS).join(', ')}` };
  const runningTime = whole(raw.runningTimeMinutes, 'runningTimeMinutes', 1, 10_000);
  if ('reason' in runningTime) return { ok: false, reason: runningTime.reason };
  const rottenTomatoes = whole(raw.rottenTomatoesRating, 'rottenTomatoesRating', 0, 100);
  if ('reason' in rottenTomatoes) return { ok: false, reason: rottenTomatoes.reason };
  const imdbRating = decimalIn(raw.imdbRating, 'imdbRating', 0, 10, 1);
  if ('reason' in imdbRating) return { ok: false, reason: imdbRating.reason };
  const imdbVotes = whole(raw.imdbVotes, 'imdbVotes', 0, 2_000_000_000);
  if ('reason' in imdbVotes) return { ok: false, reason: imdbVotes.reason };
  const cast = names(raw.cast, 'cast');
  if ('reason' in cast) return { ok: false, reason: cast.reason };

  const givenSlug = text(raw.slug);
  if (givenSlug !== null && !SLUG.test(givenSlug)) return { ok: false, reason: `slug ${JSON.stringify(givenSlug)} is not lower-case kebab-case` };
  const base = slugify(title);
  if (!givenSlug && !base) return { ok: false, reason: `title ${JSON.stringify(title)} has no letters or digits to make a slug from; give a slug` };
  // Titles repeat across the years (remakes): the year keeps their slugs apart, deterministically.
  const slug = givenSlug ?? (date ? `${base}-${date.slice(0, 4)}` : base);

  return {
    ok: true,
    record: {
      title,
      slug,
      releaseDate: date,
      status,
      genres,
      budgetUsd: budget.value,
      worldwideGrossUsd: gross.value,
      distributor,
      director,
      cast: cast.value,
      usGrossUsd: usGross.value,
      usDvdSalesUsd: usDvdSales.value,
      mpaaRating,
      runningTimeMinutes: runningTime.value,
      sourceMaterial: text(raw.sourceMaterial),
      creativeType: text(raw.creativeType),
      rottenTomatoesRating: rottenTomatoes.value,
      imdbRating: imdbRating.value,
      imdbVotes: imdbVotes.value,
      reportedReleaseDate: text(raw.reportedReleaseDate),
    },
  };
}

const MONTHS: Record<string, string> = {
  Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12',
};

/** vega-datasets writes dates as "Jun 12 1998"; anything else is passed on as is (and rejected as not a date). */
export function vegaDate(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const match = /^([A-Z][a-z]{2}) (\d{1,2}) (\d{4})$/.exec(value.trim());
  if (!match || !MONTHS[match[1]]) return value;
  return `${match[3]}-${MONTHS[match[1]]}-${match[2].padStart(2, '0')}`;
}

/**
 * The movies catalogue (vega-datasets' movies.json) was compiled in 2010 from films already released:
 * a release year after that is a two-digit year read in the wrong century ("Duel in the Sun", 1946,
 * is dated 2046), and is put back 100 years. The record keeps what the source said.
 */
export const CATALOGUE_LAST_YEAR = 2010;

/** A record of vega-datasets' movies.json in the normalised format: every field of the source. */
export function fromVegaMovie(movie: Record<string, unknown>): Record<string, unknown> {
  const date = vegaDate(movie['Release Date']);
  let releaseDate = date;
  let reportedReleaseDate: unknown = null;
  if (typeof date === 'string' && /^\d{4}-/.test(date) && Number(date.slice(0, 4)) > CATALOGUE_LAST_YEAR) {
    releaseDate = `${String(Number(date.slice(0, 4)) - 100).padStart(4, '0')}${date.slice(4)}`;
    reportedReleaseDate = movie['Release Date'];
  }
  return {
    title: movie.Title,
    releaseDate,
    reportedReleaseDate,
    genres: movie['Major Genre'] ? [movie['Major Genre']] : [],
    budgetUsd: movie['Production Budget'],
    worldwideGrossUsd: movie['Worldwide Gross'],
    usGrossUsd: movie['US Gross'],
    usDvdSalesUsd: movie['US DVD Sales'],
    mpaaRating: movie['MPAA Rating'],
    runningTimeMinutes: movie['Running Time min'],
    sourceMaterial: movie.Source,
    creativeType: movie['Creative Type'],
    rottenTomatoesRating: movie['Rotten Tomatoes Rating'],
    imdbRating: movie['IMDB Rating'],
    imdbVotes: movie['IMDB Votes'],
    distributor: movie.Distributor,
    director: movie.Director,
  };
}
