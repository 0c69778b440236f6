import { GraphQLError } from 'graphql';
import type { Queryable } from '../db/pool';
import type { Table } from '../db/table';
import { type AuditedTypeName, fromGlobalId, type NodeTypeName, toGlobalId } from './ids';
import { quote } from './text';
import { invalidInput, SLUG, type Validator } from './validation';

/**
 * The machinery every mutation shares: one transaction per write, the version check of optimistic
 * concurrency, references by slug or ID, the audit record, and database errors turned into errors a
 * client can act on (never SQL text).
 */

export const TABLES: Record<NodeTypeName, string> = { Studio: 'studio', Producer: 'producer', Film: 'film', Deal: 'deal' };

/** Who writes: the API key's name (or a command's name) for the audit history. */
export interface Actor {
  name: string;
}

/**
 * Runs a write in one transaction. Unique, foreign-key and check violations that validation could
 * not foresee (a concurrent write took the slug, a studio was deleted meanwhile) become client
 * errors naming the field; anything else propagates and is masked as an internal error.
 */
export async function write<T>(db: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(fn);
  } catch (error) {
    throw databaseError(error) ?? error;
  }
}

export function notFound(type: NodeTypeName, rowId: number, argumentName: string): GraphQLError {
  const id = toGlobalId(type, rowId);
  return new GraphQLError(`No ${type} has the ID ${id} (argument "${argumentName}"); it may have been deleted.`, {
    extensions: { code: 'NOT_FOUND', argumentName, id },
  });
}

/**
 * Locks the row for the rest of the transaction and checks its version. A stale `expected` version
 * means someone else changed the row since the client read it: CONFLICT, and nothing is written.
 */
export async function lockVersion(
  tx: Queryable,
  type: NodeTypeName,
  rowId: number,
  expected: number | null | undefined,
  argumentName = 'id',
): Promise<number> {
  const [row] = await tx.query<{ version: number }>(`SELECT version FROM ${TABLES[type]} WHERE id = $1 FOR UPDATE`, [rowId]);
  if (!row) throw notFound(type, rowId, argumentName);
  if (expected != null && row.version !== expected) {
    throw new GraphQLError(
      `${type} ${toGlobalId(type, rowId)} was changed by someone else: you expected version ${expected}, it is now at version ${row.version}. Read it again and reapply your change.`,
      { extensions: { code: 'CONFLICT', id: toGlobalId(type, rowId), expectedVersion: expected, currentVersion: row.version } },
    );
  }
  return row.version;
}

/** A reference to an entity in an input: its slug (lower-case kebab) or its global ID. */
export interface Reference {
  field: string;
  ref: string;
}

/**
 * Resolves references by slug or ID, all in one statement. Each one that does not resolve is added
 * to `v` against its field; the result has undefined in its place.
 */
export async function resolveReferences(tx: Queryable, type: NodeTypeName, refs: Reference[], v: Validator): Promise<(number | undefined)[]> {
  const ids: number[] = [];
  const slugs: string[] = [];
  const wanted = refs.map(({ field, ref }) => {
    if (SLUG.test(ref)) {
      slugs.push(ref);
      return { kind: 'slug' as const, value: ref };
    }
    const decoded = fromGlobalId(ref);
    if (!decoded) {
      v.add(field, `must be the slug or the ID of a ${type}; got ${quote(ref)}`);
      return undefined;
    }
    if (decoded.type !== type) {
      v.add(field, `is the ID of a ${decoded.type}, but a ${type} is expected`);
      return undefined;
    }
    ids.push(decoded.rowId);
    return { kind: 'id' as const, value: decoded.rowId };
  });
  if (!ids.length && !slugs.length) return wanted.map(() => undefined);
  const rows = await tx.query<{ id: number; slug: string }>(
    `SELECT id, slug FROM ${TABLES[type]} WHERE id = ANY($1::int[]) OR slug = ANY($2::text[])`,
    [ids, slugs],
  );
  const byId = new Set(rows.map((r) => r.id));
  const bySlug = new Map(rows.map((r) => [r.slug, r.id]));
  return wanted.map((w, i) => {
    if (!w) return undefined;
    const found = w.kind === 'slug' ? bySlug.get(w.value) : byId.has(w.value) ? w.value : undefined;
    if (found === undefined) {
      v.add(refs[i].field, w.kind === 'slug' ? `no ${type} has the slug ${quote(w.value)}` : `no ${type} has the ID ${refs[i].ref}`);
    }
    return found;
  });
}

/**
 * What the audit history stores of each kind of entity: its row and its links, as a jsonb expression
 * over the entity's row (`alias`).
 */
const STATE: Record<NodeTypeName, { alias: string; expression: string }> = {
  Studio: { alias: 's', expression: 'to_jsonb(s)' },
  Producer: {
    alias: 'p',
    expression: `to_jsonb(p) || jsonb_build_object('affiliations',
               (SELECT COALESCE(jsonb_agg(jsonb_build_object('studioId', ps.studio_id, 'title', ps.title) ORDER BY ps.studio_id), '[]')
                  FROM producer_studio ps WHERE ps.producer_id = p.id))`,
  },
  Film: {
    alias: 'f',
    expression: `to_jsonb(f) || jsonb_build_object(
           'studios', (SELECT COALESCE(jsonb_agg(jsonb_build_object('studioId', fs.studio_id, 'role', fs.role) ORDER BY fs.studio_id, fs.role), '[]')
                         FROM film_studio fs WHERE fs.film_id = f.id),
           'producers', (SELECT COALESCE(jsonb_agg(jsonb_build_object('producerId', fp.producer_id, 'role', fp.role) ORDER BY fp.producer_id, fp.role), '[]')
                           FROM film_producer fp WHERE fp.film_id = f.id))`,
  },
  Deal: {
    alias: 'd',
    expression: `to_jsonb(d) || jsonb_build_object(
           'parties', (SELECT COALESCE(jsonb_agg(jsonb_build_object('studioId', dp.studio_id, 'role', dp.role) ORDER BY dp.studio_id), '[]')
                         FROM deal_party dp WHERE dp.deal_id = d.id),
           'films', (SELECT COALESCE(jsonb_agg(df.film_id ORDER BY df.film_id), '[]') FROM deal_film df WHERE df.deal_id = d.id),
           'sources', (SELECT COALESCE(jsonb_agg(jsonb_build_object('publisher', so.publisher, 'title', so.title, 'url', so.url) ORDER BY so.id), '[]')
                         FROM deal_source ds JOIN source so ON so.id = ds.source_id WHERE ds.deal_id = d.id))`,
  },
};

const stateSql = (type: NodeTypeName, text = false) => {
  const { alias, expression } = STATE[type];
  return `SELECT ${alias}.id, (${expression})${text ? '::text' : ''} AS state FROM ${TABLES[type]} ${alias} WHERE ${alias}.id = ANY($1::int[])`;
};

/** The entity's whole state as the audit history records it; null when it does not exist. */
export async function stateOf(tx: Queryable, type: NodeTypeName, rowId: number): Promise<unknown> {
  return (await statesOf(tx, type, [rowId])).get(rowId) ?? null;
}

/** The states of several entities of a type, in one statement. */
export async function statesOf(tx: Queryable, type: NodeTypeName, rowIds: number[]): Promise<Map<number, unknown>> {
  const rows = await tx.query<{ id: number; state: unknown }>(stateSql(type), [rowIds]);
  return new Map(rows.map((r) => [r.id, r.state]));
}

/** A state as JSON text: compared and recorded exactly as PostgreSQL wrote it (numbers keep every digit). */
class StateText {
  constructor(readonly json: string) {}
}

async function stateTextOf(tx: Queryable, type: NodeTypeName, rowId: number): Promise<StateText> {
  const [row] = await tx.query<{ state: string }>(stateSql(type, true), [[rowId]]);
  return new StateText(row.state);
}

const asJson = (state: unknown) => (state === null ? null : state instanceof StateText ? state.json : JSON.stringify(state));

/** Records a write in the audit history, inside the write's transaction. */
export async function audit(
  tx: Queryable,
  actor: Actor,
  operation: string,
  type: AuditedTypeName,
  rowId: number,
  before: unknown,
  after: unknown,
): Promise<void> {
  await tx.query(
    'INSERT INTO audit_log (actor, operation, entity_type, entity_id, before, after) VALUES ($1, $2, $3, $4, $5, $6)',
    [actor.name, operation, type, rowId, asJson(before), asJson(after)],
  );
}

/** Where each constraint surfaces in the inputs, and what to say about it. */
const CONSTRAINTS: Record<string, { field: string; message: (value: string | undefined) => string }> = {
  studio_slug_key: { field: 'input.slug', message: (v) => `the slug "${v}" is already used by another studio` },
  producer_slug_key: { field: 'input.slug', message: (v) => `the slug "${v}" is already used by another producer` },
  film_slug_key: { field: 'input.slug', message: (v) => `the slug "${v}" is already used by another film` },
  deal_slug_key: { field: 'input.slug', message: (v) => `the slug "${v}" is already used by another deal` },
  api_key_name_key: { field: 'name', message: (v) => `an API key named "${v}" already exists` },
  deal_party_pkey: { field: 'input.parties', message: () => 'a studio can be party to a deal only once' },
  deal_stake_percent_check: { field: 'input.stakePercent', message: () => 'must be between 0 and 100' },
  deal_value_check: { field: 'input.value', message: () => 'needs a non-negative amount and a three-letter currency' },
  deal_value_usd_check: { field: 'input.valueUsd', message: () => 'must not be negative' },
  deal_announced_on_check: { field: 'input.announcedOn', message: () => 'must come with a precision, and be the first day of its month or year' },
  film_budget_check: { field: 'input.budget', message: () => 'needs a non-negative amount and a three-letter currency' },
  film_worldwide_gross_check: { field: 'input.worldwideGross', message: () => 'needs a non-negative amount and a three-letter currency' },
  studio_parent_check: { field: 'input.parent', message: () => 'a studio cannot be its own parent' },
};

/** A client error for a database error a client caused, or undefined for anything else. */
export function databaseError(error: unknown): GraphQLError | undefined {
  if (error instanceof GraphQLError) return undefined;
  const e = error as { code?: string; constraint?: string; detail?: string; message?: string; table?: string };
  if (!e?.code) return undefined;
  const value = /\)=\((.*)\) (?:already exists|is not present)/.exec(e.detail ?? '')?.[1];
  const known = e.constraint ? CONSTRAINTS[e.constraint] : undefined;
  if ((e.code === '23505' || e.code === '23514') && known) return invalidInput([{ field: known.field, message: known.message(value) }]);
  if (e.code === '23503') {
    if (e.message?.startsWith('update or delete')) {
      return new GraphQLError(`This change is refused: the ${e.table?.replace(/_/g, ' ')} records still refer to it.`, {
        extensions: { code: 'CONFLICT' },
      });
    }
    const referenced = /is not present in table "(\w+)"/.exec(e.detail ?? '')?.[1];
    const type = (Object.keys(TABLES) as NodeTypeName[]).find((t) => TABLES[t] === referenced);
    const id = type && value ? toGlobalId(type, Number(value)) : value;
    return invalidInput([{ field: 'input', message: `refers to a ${type ?? referenced} that no longer exists (ID ${id})` }]);
  }
  return undefined;
}

/** Column values of a write; undefined leaves a column as it is, null clears it. */
export type Assignments = Record<string, unknown>;

/**
 * An entity as the write left it, read again inside the write's transaction with every column of its
 * table: what a mutation answers with. (The request's loaders are dropped once the write commits.)
 */
export async function reload<T>(tx: Queryable, table: Table, fromRow: (row: Record<string, unknown>) => T, rowId: number): Promise<T> {
  const [row] = await tx.query(`SELECT ${table.columns.join(', ')} FROM ${table.name} WHERE id = $1`, [rowId]);
  return fromRow(row);
}

/** Inserts an entity, records it in the audit history, and returns its row id. */
export async function insertEntity(
  tx: Queryable,
  actor: Actor,
  operation: string,
  type: NodeTypeName,
  columns: Assignments,
  links?: (rowId: number) => Promise<void>,
): Promise<number> {
  const entries = Object.entries(columns).filter(([, value]) => value !== undefined);
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO ${TABLES[type]} (${entries.map(([c]) => c).join(', ')}) VALUES (${entries.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    entries.map(([, value]) => value),
  );
  await links?.(row.id);
  await audit(tx, actor, operation, type, row.id, null, await stateOf(tx, type, row.id));
  return row.id;
}

/**
 * Updates an entity whose version is `expectedVersion` (CONFLICT otherwise), and `links` its links in
 * the same transaction (credits, parties). When that changed anything, the version moves and the
 * audit history records before and after; a write that changes nothing (the values it already had, a
 * credit it already has) leaves both alone. Returns whether it changed anything.
 */
export async function updateEntity(
  tx: Queryable,
  actor: Actor,
  operation: string,
  type: NodeTypeName,
  rowId: number,
  expectedVersion: number | null | undefined,
  columns: Assignments,
  links?: () => Promise<void>,
): Promise<boolean> {
  await lockVersion(tx, type, rowId, expectedVersion);
  const before = await stateTextOf(tx, type, rowId);
  const entries = Object.entries(columns).filter(([, value]) => value !== undefined);
  if (entries.length) {
    await tx.query(`UPDATE ${TABLES[type]} SET ${entries.map(([c], i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [rowId, ...entries.map(([, value]) => value)]);
  }
  await links?.();
  // One statement: the version moves only if the state differs from before, and the new state comes back.
  const { alias, expression } = STATE[type];
  const [bumped] = await tx.query<{ state: string }>(
    `UPDATE ${TABLES[type]} ${alias} SET version = ${alias}.version + 1, updated_at = now()
      WHERE ${alias}.id = $1 AND (${expression}) IS DISTINCT FROM $2::jsonb RETURNING (${expression})::text AS state`,
    [rowId, before.json],
  );
  if (!bumped) return false;
  await audit(tx, actor, operation, type, rowId, before, new StateText(bumped.state));
  return true;
}

/**
 * Records a change to the links of other entities (a deleted studio's deals and films, for example):
 * their version is bumped and their before/after states are audited.
 */
export async function touchEntities(
  tx: Queryable,
  actor: Actor,
  operation: string,
  type: NodeTypeName,
  rowIds: number[],
  change: () => Promise<void>,
): Promise<void> {
  const ids = [...new Set(rowIds)];
  const before = ids.length ? await statesOf(tx, type, ids) : new Map();
  await change();
  if (!ids.length) return;
  await tx.query(`UPDATE ${TABLES[type]} SET version = version + 1, updated_at = now() WHERE id = ANY($1::int[])`, [ids]);
  const after = await statesOf(tx, type, ids);
  for (const id of ids) await audit(tx, actor, operation, type, id, before.get(id) ?? null, after.get(id) ?? null);
}

/** Deletes an entity at `expectedVersion`, recording its last state in the audit history. */
export async function deleteEntity(tx: Queryable, actor: Actor, operation: string, type: NodeTypeName, rowId: number): Promise<void> {
  const before = await stateOf(tx, type, rowId);
  await tx.query(`DELETE FROM ${TABLES[type]} WHERE id = $1`, [rowId]);
  await audit(tx, actor, operation, type, rowId, before, null);
}

/** The error for a delete refused because other records hold the entity. */
export function heldBy(type: NodeTypeName, rowId: number, holders: Record<string, unknown[]>): GraphQLError {
  const summary = Object.entries(holders)
    .filter(([, list]) => list.length)
    .map(([what, list]) => `${list.length} ${what}`)
    .join(', ');
  return new GraphQLError(
    `${type} ${toGlobalId(type, rowId)} is still used (${summary}); remove those first, or delete with cascade: true to remove them with it.`,
    { extensions: { code: 'CONFLICT', id: toGlobalId(type, rowId), holders } },
  );
}

/** "2 film credits", "1 deal participation": the non-zero counts, in words. */
export function removedSummary(counts: Array<[number, string, string]>): string[] {
  return counts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
}
