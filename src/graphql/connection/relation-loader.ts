import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { Queryable } from '../../db/pool';
import { inSpan } from '../../tracing';
import { nodeSelection, type Selection } from '../columns';
import { verifyReferences } from '../references';
import { parsePage } from './cursor';
import { type ListSource, type Page, PARENT_ID, parentCountSql, parentPageSql, Params, type SortKey } from './keyset';
import { type MakeEdge, toConnection } from './shape';
import type { ConnectionResult, PageArgs } from './types';

type Row = Record<string, unknown>;

/**
 * A relation as a list per parent: `source` gives the rows, `parentColumn` the SQL expression that
 * holds the parent's id, `order` their order (a function of the filter arguments). A source that
 * starts from its parent itself (a graph walk) uses `parent`, the SQL reference of the parent id,
 * and has no `parentColumn`. `check` may refuse a parent's rows (a walk that hit its bound).
 */
export interface RelationSpec<A> {
  /** Name of the loader, for the batch-size metric. */
  name: string;
  parentColumn?: string;
  /** `fields`: what the query selects on the nodes, for a lean SELECT list (undefined: everything). */
  source(args: A, params: Params, parent: string, fields?: Selection): ListSource;
  order(args: A): SortKey[];
  check?(rows: Row[], args: A): void;
}

/**
 * One field of the query, as a relation loader sees it: its arguments, order, page and columns worked
 * out once (the field asks once per parent, with the same arguments), and a small number that stands
 * for them in the loaders' cache keys (`parent|id`, not `parent|` + the whole arguments' text).
 */
interface FieldCall<A> {
  args: A;
  order: SortKey[];
  page: Page;
  fields: Selection | undefined;
  /** Same number, same page statement: arguments, page and columns alike. */
  group: number;
  /** Same number, same count statement: arguments alike. */
  countGroup: number;
  /** The check that the slugs the arguments' filter names exist (references.ts), when it names any. */
  references?: Promise<void>;
}

/**
 * Per-request loader of a relation's pages. DataLoader batches keys, not arguments, so arguments go
 * into the key: keys with the same arguments (the usual case: one field in the query, many parents)
 * become one statement; a level fetched with two different argument sets (aliases) takes two.
 */
export class RelationLoader<A extends object> {
  private readonly pages: DataLoader<{ parent: number; call: FieldCall<A> }, Row[], string>;
  private readonly counts: DataLoader<{ parent: number; call: FieldCall<A> }, number, string>;
  /** Per field of the query (this loader lives for one request). */
  private readonly calls = new Map<unknown, FieldCall<A>>();
  /** Group numbers by the text of what they stand for. */
  private readonly groups = new Map<string, number>();

  constructor(
    private readonly db: Queryable,
    private readonly spec: RelationSpec<A>,
  ) {
    this.pages = new DataLoader(
      (keys) =>
        batchByGroup(keys, (k) => k.call.group, async (group) => {
          const { args, order, page, fields } = group[0].call;
          db.observeBatch?.(spec.name, group.length);
          const params = new Params();
          const ids = group.map((k) => k.parent);
          const rows = await inSpan(`dataloader ${spec.name}`, { 'dataloader.keys': ids.length }, () =>
            db.query(parentPageSql(spec.source(args, params, PARENT_ID, fields), order, page, params, spec.parentColumn, ids, fields), params.values),
          );
          const byParent = groupRows(rows);
          return group.map((k) => byParent.get(k.parent) ?? []);
        }),
      { cacheKeyFn: (k) => `${k.parent}|${k.call.group}` },
    );
    this.counts = new DataLoader(
      (keys) =>
        batchByGroup(keys, (k) => k.call.countGroup, async (group) => {
          const params = new Params();
          const ids = group.map((k) => k.parent);
          const rows = await inSpan(`dataloader ${spec.name}.totalCount`, { 'dataloader.keys': ids.length }, () =>
            db.query<{ _parent: number; n: number }>(parentCountSql(spec.source(group[0].call.args, params, PARENT_ID), params, spec.parentColumn, ids), params.values),
          );
          const counts = new Map(rows.map((r) => [r._parent, r.n]));
          return group.map((k) => counts.get(k.parent) ?? 0);
        }),
      { cacheKeyFn: (k) => `${k.parent}|${k.call.countGroup}` },
    );
  }

  /**
   * The connection of one parent; batched with every other parent asking in the same tick. With the
   * resolver's `info`, only the columns of the selected fields are read. Not an async function: one
   * promise per parent fewer, and a nested connection resolves once per parent.
   */
  connection<E extends { node: unknown; cursor: string }>(
    parent: number,
    args: A,
    pageArgs: PageArgs,
    makeEdge: MakeEdge<E>,
    info?: GraphQLResolveInfo,
  ): Promise<ConnectionResult<E>> {
    const site = info?.fieldNodes[0];
    let call = site && this.calls.get(site);
    if (!call) {
      try {
        call = this.fieldCall(args, pageArgs, info);
      } catch (error) {
        return Promise.reject(error);
      }
      if (site) this.calls.set(site, call);
    }
    const key = { parent, call };
    const load = () =>
      this.pages.load(key).then((rows) => {
        this.spec.check?.(rows, call.args);
        return toConnection(rows, call.page, call.order, makeEdge, () => this.counts.load(key), call.fields);
      });
    return call.references ? call.references.then(load) : load();
  }

  private fieldCall(args: A, pageArgs: PageArgs, info: GraphQLResolveInfo | undefined): FieldCall<A> {
    const order = this.spec.order(args);
    const page = parsePage(pageArgs, order);
    const argsKey = JSON.stringify(args);
    const fields = nodeSelection(info);
    // The source built once up front: a malformed filter is refused before any statement, and the
    // slugs it names are checked once for the field, not once per batch.
    const probe = new Params();
    this.spec.source(args, probe, PARENT_ID, fields);
    const references = probe.references.length ? verifyReferences(this.db, probe) : undefined;
    return { args, order, page, fields, references, group: this.groupOf(`${argsKey}|${JSON.stringify(page)}|${fields?.key ?? '*'}`), countGroup: this.groupOf(argsKey) };
  }

  private groupOf(text: string): number {
    let id = this.groups.get(text);
    if (id === undefined) this.groups.set(text, (id = this.groups.size));
    return id;
  }
}

/** Splits a batch by argument group, runs one fetch per group, and puts results back in key order. */
async function batchByGroup<K, V>(keys: readonly K[], groupOf: (key: K) => number, fetch: (group: K[]) => Promise<V[]>): Promise<V[]> {
  const groups = new Map<number, number[]>();
  keys.forEach((k, i) => {
    const group = groupOf(k);
    const positions = groups.get(group);
    if (positions) positions.push(i);
    else groups.set(group, [i]);
  });
  const results = new Array<V>(keys.length);
  await Promise.all(
    [...groups.values()].map(async (positions) => {
      const values = await fetch(positions.map((i) => keys[i]));
      positions.forEach((position, j) => (results[position] = values[j]));
    }),
  );
  return results;
}

function groupRows(rows: Row[]): Map<number, Row[]> {
  const byParent = new Map<number, Row[]>();
  for (const row of rows) {
    const parent = row._parent as number;
    const list = byParent.get(parent);
    if (list) list.push(row);
    else byParent.set(parent, [row]);
  }
  return byParent;
}
