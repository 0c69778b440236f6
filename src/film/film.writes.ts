import type { Queryable } from '../db/pool';
import { toGlobalId } from '../graphql/ids';
import type { MoneyInput } from '../graphql/money';
import { slugify, Validator } from '../graphql/validation';
import { type Actor, deleteEntity, heldBy, insertEntity, lockVersion, reload, removedSummary, resolveReferences, touchEntities, updateEntity, write } from '../graphql/write';
import type { ProducerCreditRole, StudioCreditRole } from './film.enums';
import type { CreateFilmInput, ProducerCreditInput, StudioCreditInput, UpdateFilmInput } from './film.inputs';
import { Film, FILM_TABLE } from './film.type';

/**
 * Writes to films and their credits: each validated before anything is written, then one
 * transaction that also records the change in the audit history. The mutations
 * (film.mutations.ts) only call these.
 */

function validateMoney(v: Validator, field: string, money: MoneyInput | null | undefined): void {
  if (!money) return;
  v.nonNegative(`${field}.amount`, money.amount);
  v.currency(`${field}.currency`, money.currency);
}

function validateFilm(input: CreateFilmInput | UpdateFilmInput, create: boolean): Validator {
  const v = new Validator();
  if (create || input.title !== undefined) v.required('input.title', input.title, "the film's title");
  v.maxLength('input.title', input.title, 300);
  if (input.slug !== undefined) {
    if (!create && input.slug === null) v.add('input.slug', 'cannot be cleared: a film always has a slug');
    v.slug('input.slug', input.slug);
  } else if (create && input.title && !slugify(input.title)) {
    v.add('input.title', 'has no letters or digits to make a slug from: give input.slug');
  }
  if (!create && input.status === null) v.add('input.status', 'cannot be cleared: a film always has a status');
  if (input.genres && input.genres.length > 20) v.add('input.genres', `takes at most 20 genres, got ${input.genres.length}`);
  input.genres?.forEach((g, i) => {
    if (!g.trim()) v.add(`input.genres[${i}]`, 'is blank');
    v.maxLength(`input.genres[${i}]`, g, 50);
  });
  v.maxLength('input.logline', input.logline, 2000);
  validateMoney(v, 'input.budget', input.budget);
  validateMoney(v, 'input.worldwideGross', input.worldwideGross);
  v.throwIfInvalid();
  return v;
}

/** Resolves and writes a film's credits, replacing those of the lists given. */
async function setCredits(
  tx: Queryable,
  v: Validator,
  filmId: number,
  studios: StudioCreditInput[] | null | undefined,
  producers: ProducerCreditInput[] | null | undefined,
): Promise<void> {
  const studioIds = studios ? await resolveReferences(tx, 'Studio', studios.map((c, i) => ({ field: `input.studios[${i}].studio`, ref: c.studio })), v) : [];
  const producerIds = producers
    ? await resolveReferences(tx, 'Producer', producers.map((c, i) => ({ field: `input.producers[${i}].producer`, ref: c.producer })), v)
    : [];
  const duplicates = (ids: (number | undefined)[], roles: string[], field: string) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (id === undefined) return;
      const key = `${id}:${roles[i]}`;
      if (seen.has(key)) v.add(`input.${field}[${i}]`, 'repeats a credit with the same role');
      seen.add(key);
    });
  };
  duplicates(studioIds, (studios ?? []).map((c) => c.role), 'studios');
  duplicates(producerIds, (producers ?? []).map((c) => c.role), 'producers');
  v.throwIfInvalid();
  if (studios) {
    await tx.query('DELETE FROM film_studio WHERE film_id = $1', [filmId]);
    await tx.query('INSERT INTO film_studio (film_id, studio_id, role) SELECT $1, * FROM unnest($2::int[], $3::studio_credit_role[])', [
      filmId,
      studioIds,
      studios.map((c) => c.role),
    ]);
  }
  if (producers) {
    await tx.query('DELETE FROM film_producer WHERE film_id = $1', [filmId]);
    await tx.query('INSERT INTO film_producer (film_id, producer_id, role) SELECT $1, * FROM unnest($2::int[], $3::producer_credit_role[])', [
      filmId,
      producerIds,
      producers.map((c) => c.role),
    ]);
  }
}

const money = (value: MoneyInput | null | undefined, part: 'amount' | 'currency') =>
  value === undefined ? undefined : value === null ? null : part === 'amount' ? value.amount : value.currency;

export function createFilm(db: Queryable, actor: Actor, input: CreateFilmInput): Promise<Film> {
  const v = validateFilm(input, true);
  return write(db, async (tx) => {
    const columns = FILM_TABLE.assignments({
      slug: input.slug ?? slugify(input.title),
      title: input.title.trim(),
      status: input.status,
      releaseDate: input.releaseDate,
      genres: input.genres ?? [],
      logline: input.logline,
      budgetAmount: money(input.budget, 'amount'),
      budgetCurrency: money(input.budget, 'currency'),
      worldwideGrossAmount: money(input.worldwideGross, 'amount'),
      worldwideGrossCurrency: money(input.worldwideGross, 'currency'),
    });
    const rowId = await insertEntity(tx, actor, 'createFilm', 'Film', columns, (id) => setCredits(tx, v, id, input.studios ?? [], input.producers ?? []));
    return reload(tx, FILM_TABLE, Film.fromRow, rowId);
  });
}

export function updateFilm(db: Queryable, actor: Actor, rowId: number, expectedVersion: number, input: UpdateFilmInput): Promise<Film> {
  const v = validateFilm(input, false);
  return write(db, async (tx) => {
    const columns = FILM_TABLE.assignments({
      title: input.title?.trim(),
      slug: input.slug ?? undefined,
      status: input.status ?? undefined,
      releaseDate: input.releaseDate,
      genres: input.genres === undefined ? undefined : (input.genres ?? []),
      logline: input.logline,
      budgetAmount: money(input.budget, 'amount'),
      budgetCurrency: money(input.budget, 'currency'),
      worldwideGrossAmount: money(input.worldwideGross, 'amount'),
      worldwideGrossCurrency: money(input.worldwideGross, 'currency'),
    });
    const credits = input.studios || input.producers ? () => setCredits(tx, v, rowId, input.studios, input.producers) : undefined;
    await updateEntity(tx, actor, 'updateFilm', 'Film', rowId, expectedVersion, columns, credits);
    return reload(tx, FILM_TABLE, Film.fromRow, rowId);
  });
}

/** Deletes a film and its credits: refused while deals cover it, unless `cascade`. Returns what went with it, in words. */
export function deleteFilm(db: Queryable, actor: Actor, rowId: number, expectedVersion: number, cascade: boolean): Promise<string[]> {
  return write(db, async (tx) => {
    await lockVersion(tx, 'Film', rowId, expectedVersion);
    const deals = await tx.query<{ id: number; title: string }>(
      'SELECT d.id, d.title FROM deal_film df JOIN deal d ON d.id = df.deal_id WHERE df.film_id = $1 ORDER BY d.id',
      [rowId],
    );
    if (deals.length && !cascade) throw heldBy('Film', rowId, { deals: deals.map((d) => ({ id: toGlobalId('Deal', d.id), title: d.title })) });
    await touchEntities(tx, actor, 'deleteFilm', 'Deal', deals.map((d) => d.id), async () => {
      await tx.query('DELETE FROM deal_film WHERE film_id = $1', [rowId]);
    });
    await deleteEntity(tx, actor, 'deleteFilm', 'Film', rowId);
    return removedSummary([[deals.length, 'deal no longer covering it', 'deals no longer covering it']]);
  });
}

/** The film of a credit mutation, by slug or ID. */
async function filmOf(tx: Queryable, ref: string): Promise<number> {
  const v = new Validator();
  const [id] = await resolveReferences(tx, 'Film', [{ field: 'film', ref }], v);
  v.throwIfInvalid();
  return id!;
}

/**
 * One credit change, a change of the film: `statement` adds or removes the credit; the film's version
 * moves and the audit history records it only if that changed anything.
 */
function changeCredit(
  db: Queryable,
  actor: Actor,
  operation: string,
  filmRef: string,
  expectedVersion: number | null | undefined,
  type: 'Studio' | 'Producer',
  ref: string,
  statement: (filmId: number, otherId: number) => readonly [string, unknown[]],
): Promise<Film> {
  return write(db, async (tx) => {
    const filmId = await filmOf(tx, filmRef);
    const v = new Validator();
    const [otherId] = await resolveReferences(tx, type, [{ field: type.toLowerCase(), ref }], v);
    v.throwIfInvalid();
    await updateEntity(tx, actor, operation, 'Film', filmId, expectedVersion, {}, async () => {
      const [sql, values] = statement(filmId, otherId!);
      await tx.query(sql, values);
    });
    return reload(tx, FILM_TABLE, Film.fromRow, filmId);
  });
}

/** The credits of a film, one at a time. Adding one that exists, or removing one that does not, changes nothing. */
export const credits = {
  attachStudio: (db: Queryable, actor: Actor, film: string, studio: string, role: StudioCreditRole, expectedVersion?: number | null) =>
    changeCredit(db, actor, 'attachStudioCredit', film, expectedVersion, 'Studio', studio, (filmId, studioId) =>
      ['INSERT INTO film_studio (film_id, studio_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [filmId, studioId, role]] as const,
    ),
  detachStudio: (db: Queryable, actor: Actor, film: string, studio: string, role: StudioCreditRole, expectedVersion?: number | null) =>
    changeCredit(db, actor, 'detachStudioCredit', film, expectedVersion, 'Studio', studio, (filmId, studioId) =>
      ['DELETE FROM film_studio WHERE film_id = $1 AND studio_id = $2 AND role = $3', [filmId, studioId, role]] as const,
    ),
  attachProducer: (db: Queryable, actor: Actor, film: string, producer: string, role: ProducerCreditRole, expectedVersion?: number | null) =>
    changeCredit(db, actor, 'attachProducerCredit', film, expectedVersion, 'Producer', producer, (filmId, producerId) =>
      ['INSERT INTO film_producer (film_id, producer_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [filmId, producerId, role]] as const,
    ),
  detachProducer: (db: Queryable, actor: Actor, film: string, producer: string, role: ProducerCreditRole, expectedVersion?: number | null) =>
    changeCredit(db, actor, 'detachProducerCredit', film, expectedVersion, 'Producer', producer, (filmId, producerId) =>
      ['DELETE FROM film_producer WHERE film_id = $1 AND producer_id = $2 AND role = $3', [filmId, producerId, role]] as const,
    ),
};
