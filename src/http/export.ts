import type { ApolloServer } from '@apollo/server';
import {
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  GraphQLError,
  type GraphQLSchema,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  type SelectionSetNode,
} from 'graphql';
import { fieldsOf } from '../graphql/columns';
import { MAX_PAGE_SIZE } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { HttpRefusal } from './replies';

/**
 * Exports: any root list, with its search, filter and order, as CSV or NDJSON, all of its rows.
 * The client sends an ordinary GraphQL query of one root connection (`{ films(filter: ...) { nodes {
 * title studios { nodes { name } } } } }`); the service runs it page after page by cursor (pages of
 * MAX_PAGE_SIZE, each one an ordinary operation: the same validation, cost limit, keys, deadline and
 * loaders as any read) and writes each page's rows as soon as it has them, so memory holds one page
 * whatever the size of the list. A `first` given on the root field caps the rows exported; an `after`
 * is replaced (an export starts at the beginning); `last` and `before` are refused.
 *
 * CSV: a header row of the selected leaf fields by path (`title`, `studios.name`: nested objects
 * flattened with dots, `nodes` and `edges.node` left out of the path), then one row per item; a list
 * inside an item (its studios) is one cell with the values joined by " | ". NDJSON: one item per line,
 * as the query shapes it.
 */

export type ExportFormat = 'csv' | 'ndjson';

export interface ExportRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  format: ExportFormat;
}

interface Plan {
  /** The rewritten operation: the root field with `first: $__first, after: $__after` and a page info. */
  document: string;
  rootKey: string;
  /** The selection of one item (under `nodes`, or `edges { node }`). */
  items: { via: 'nodes' | 'edges'; selection: SelectionSetNode; edgeKey: string; nodeKey: string };
  columns: string[];
  fragments: Fragments;
  /** Rows at most (the root field's own `first`), or Infinity. */
  limit: number;
  fileName: string;
}

type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

const refuse = (message: string) => new HttpRefusal(400, message, 'BAD_REQUEST');

/** Works out what to run and what the columns are, or refuses with a reason. */
export function planExport(schema: GraphQLSchema, request: ExportRequest): Plan {
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    throw refuse(`The export's query does not parse: ${(error as Error).message}`);
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = request.operationName ? operations.find((o) => o.name?.value === request.operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) throw refuse(request.operationName ? `No operation named "${request.operationName}" in the export's query.` : 'The export\'s query holds several operations: name one with operationName.');
  if (operation.operation !== 'query') throw refuse('An export runs a query, not a mutation or a subscription.');
  const fragments: Fragments = Object.fromEntries(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const roots = fieldsOf(operation.selectionSet, fragments);
  if (roots.length !== 1) throw refuse(`An export takes a query of exactly one root list; this one selects ${roots.length} root fields.`);
  const root = roots[0];
  const rootType = schema.getQueryType()!.getFields()[root.name.value]?.type;
  const named = rootType && getNamedType(rootType);
  if (!named || !isObjectType(named) || !named.getFields().pageInfo || !root.selectionSet) {
    throw refuse(`"${root.name.value}" is not a list that can be exported: export a root connection such as films, studios, producers or deals.`);
  }
  const parts = fieldsOf(root.selectionSet, fragments);
  const nodes = parts.find((f) => f.name.value === 'nodes');
  const edges = parts.find((f) => f.name.value === 'edges');
  const node = edges && fieldsOf(edges.selectionSet, fragments).find((f) => f.name.value === 'node');
  let items: Plan['items'];
  if (nodes?.selectionSet) items = { via: 'nodes', selection: nodes.selectionSet, edgeKey: keyOf(nodes), nodeKey: '' };
  else if (edges && node?.selectionSet) items = { via: 'edges', selection: node.selectionSet, edgeKey: keyOf(edges), nodeKey: keyOf(node) };
  else throw refuse(`Select the fields to export under "${root.name.value} { nodes { ... } }" (or "edges { node { ... } }").`);

  const given = root.arguments?.find((a) => a.name.value === 'first');
  let limit = Infinity;
  if (given) {
    const value = given.value.kind === Kind.INT ? Number(given.value.value) : given.value.kind === Kind.VARIABLE ? Number(request.variables?.[given.value.name.value]) : NaN;
    if (!Number.isInteger(value) || value < 0) throw refuse('On an export, "first" caps the rows exported: give a whole number.');
    limit = value;
  }
  if (root.arguments?.some((a) => ['last', 'before'].includes(a.name.value))) {
    throw refuse('An export reads the whole list forward from its start: leave out last and before (first caps the rows).');
  }

  const pageSelection = parse('{ __page: pageInfo { hasNextPage endCursor } }').definitions[0] as OperationDefinitionNode;
  const args: ArgumentNode[] = [
    // Its own `after` is replaced: an export starts at the beginning of the list.
    ...(root.arguments ?? []).filter((a) => a.name.value !== 'first' && a.name.value !== 'after'),
    { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'first' }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: '__first' } } },
    { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'after' }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: '__after' } } },
  ];
  const rewrittenRoot: FieldNode = {
    ...root,
    arguments: args,
    selectionSet: { kind: Kind.SELECTION_SET, selections: [...(items.via === 'nodes' ? [nodes!] : [edges!]), ...pageSelection.selectionSet.selections] },
  };
  const rewritten: OperationDefinitionNode = {
    ...operation,
    variableDefinitions: [
      ...(operation.variableDefinitions ?? []),
      ...parse('query ($__first: Int!, $__after: String) { __typename }').definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? (d.variableDefinitions ?? []) : [])),
    ],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [rewrittenRoot] },
  };
  const text = [print(rewritten), ...Object.values(fragments).map((f) => print(f))].join('\n');
  return {
    document: text,
    rootKey: keyOf(root),
    items,
    columns: columnsOf(items.selection, fragments, ''),
    fragments,
    limit,
    fileName: `${root.name.value}.${request.format}`,
  };
}

/**
 * Runs the plan page after page, handing each page's items to `write` (which may wait, for the
 * client to take what was sent). `run` executes one page as an ordinary operation. Stops at the end
 * of the list, at the limit, or with the first page's errors (thrown).
 */
export async function runExport(
  plan: Plan,
  variables: Record<string, unknown>,
  run: (query: string, variables: Record<string, unknown>) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly unknown[] }>,
  write: (items: Record<string, unknown>[]) => Promise<void>,
): Promise<number> {
  let after: string | null = null;
  let written = 0;
  for (;;) {
    const first = Math.min(MAX_PAGE_SIZE, plan.limit - written);
    if (first <= 0) return written;
    const result = await run(plan.document, { ...variables, __first: first, __after: after });
    if (result.errors?.length || !result.data) throw new ExportFailed(result.errors ?? [], written);
    const connection = result.data[plan.rootKey] as Record<string, any> | null;
    if (!connection) return written;
    const list = (connection[plan.items.edgeKey] ?? []) as Record<string, any>[];
    const items = plan.items.via === 'nodes' ? list : list.map((edge) => edge[plan.items.nodeKey]);
    await write(items);
    written += items.length;
    const page = connection.__page as { hasNextPage: boolean; endCursor: string | null };
    if (!page.hasNextPage || !page.endCursor || items.length === 0) return written;
    after = page.endCursor;
  }
}

/** A page answered with errors: before any row was written, the client gets them as a 400. */
export class ExportFailed extends Error {
  constructor(
    readonly errors: readonly unknown[],
    readonly rowsWritten: number,
  ) {
    super(`the export stopped after ${rowsWritten} rows: ${JSON.stringify(errors).slice(0, 300)}`);
  }
}

/** The CSV header line of a plan. */
export function csvHeader(plan: Plan): string {
  return `${plan.columns.map(csvCell).join(',')}\r\n`;
}

/** Items as CSV lines (RFC 4180: quoted where needed, CRLF). */
export function csvLines(plan: Plan, items: Record<string, unknown>[]): string {
  let text = '';
  for (const item of items) {
    const cells = new Map<string, string[]>();
    collect(item, plan.items.selection, plan.fragments, '', cells);
    text += `${plan.columns.map((c) => csvCell((cells.get(c) ?? []).join(' | '))).join(',')}\r\n`;
  }
  return text;
}

export function ndjsonLines(items: Record<string, unknown>[]): string {
  return items.map((item) => `${JSON.stringify(item)}\n`).join('');
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const keyOf = (field: FieldNode) => field.alias?.value ?? field.name.value;

/** The path segment a field adds: none for a connection's `nodes`, `edges` and `node`. */
function segment(field: FieldNode): string | null {
  return ['nodes', 'edges', 'node'].includes(field.name.value) ? null : keyOf(field);
}

function columnsOf(selection: SelectionSetNode, fragments: Fragments, prefix: string): string[] {
  const columns: string[] = [];
  for (const field of fieldsOf(selection, fragments)) {
    if (field.name.value === 'pageInfo' || field.name.value === '__typename') continue;
    const part = segment(field);
    const path = part === null ? prefix : `${prefix}${part}`;
    if (field.selectionSet) columns.push(...columnsOf(field.selectionSet, fragments, part === null ? prefix : `${path}.`));
    else columns.push(path);
  }
  return [...new Set(columns)];
}

function collect(value: unknown, selection: SelectionSetNode, fragments: Fragments, prefix: string, cells: Map<string, string[]>): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, selection, fragments, prefix, cells);
    return;
  }
  const object = value as Record<string, unknown>;
  for (const field of fieldsOf(selection, fragments)) {
    if (field.name.value === 'pageInfo' || field.name.value === '__typename') continue;
    const part = segment(field);
    const inner = object[keyOf(field)];
    if (field.selectionSet) {
      collect(inner, field.selectionSet, fragments, part === null ? prefix : `${prefix}${part}.`, cells);
    } else {
      const path = part === null ? prefix : `${prefix}${part}`;
      const values = (Array.isArray(inner) ? inner : [inner]).filter((v) => v !== null && v !== undefined).map(String);
      if (values.length) cells.set(path, [...(cells.get(path) ?? []), ...values]);
    }
  }
}

/** Runs one page through Apollo, as an ordinary operation with its own context. */
export async function runPage(apollo: ApolloServer<Context>, contextValue: Context, query: string, variables: Record<string, unknown>) {
  const response = await apollo.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new GraphQLError('an export page answered incrementally');
  return response.body.singleResult as { data?: Record<string, unknown> | null; errors?: readonly unknown[] };
}
