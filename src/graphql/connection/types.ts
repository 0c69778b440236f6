import { ArgsType, type ClassType, Field, Int, ObjectType } from 'type-graphql';

// The GraphQL shapes every connection shares: page arguments, PageInfo, edges, connections.

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType('PageInfo', { description: 'Where a page of a connection sits in the whole list.', simpleResolvers: true })
export class PageInfo {
  @Field({ description: 'True when more items follow this page (fetch them with `after: endCursor`).' })
  hasNextPage!: boolean;

  @Field({
    description:
      'True when items precede this page (fetch them with `before: startCursor`). Paging forward, it is true whenever `after` was given.',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge of this page; null when the page is empty.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of this page; null when the page is empty.' })
  endCursor!: string | null;
}

/** The arguments of every connection field. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Return the first n items of the list (0 to ${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when neither first nor last is given).`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return only items after this cursor (an `endCursor` or an edge `cursor`).' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Return the last n items of the list (0 to ${MAX_PAGE_SIZE}); pages backward.` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Return only items before this cursor (a `startCursor` or an edge `cursor`).' })
  before?: string | null;
}

/** The GraphQL shape shared by every edge type: a cursor and a node; edges add their own fields. */
export function EdgeType<TNode extends object>(nodeType: ClassType<TNode>) {
  @ObjectType({ simpleResolvers: true })
  abstract class Edge {
    @Field({ description: 'Opaque cursor of this edge; pass it as `after` or `before` to page from here.' })
    cursor!: string;

    @Field(() => nodeType, { description: 'The item at the end of this edge.' })
    node!: TNode;
  }
  return Edge;
}

/** The GraphQL shape shared by every connection type. */
export function ConnectionType<TEdge extends object, TNode extends object>(edgeType: ClassType<TEdge>, nodeType: ClassType<TNode>) {
  @ObjectType({ simpleResolvers: true })
  abstract class Connection {
    @Field(() => [edgeType], { description: 'The items of this page with their cursors (and, for relations, what links them).' })
    edges!: TEdge[];

    @Field(() => [nodeType], { description: 'The items of this page, without cursors: a shortcut for `edges { node }`.' })
    nodes!: TNode[];

    @Field(() => PageInfo, { description: 'Cursors and whether more items exist before or after this page.' })
    pageInfo!: PageInfo;

    @Field(() => Int, {
      description: 'Number of items in the whole list (with its filters, ignoring pagination). Costs one more SQL statement: ask only when needed.',
      // A resolver, not a plain property read: the value is a promise, which a compiled executor awaits
      // only for fields that have one.
      simple: false,
    })
    totalCount!: number;
  }
  return Connection;
}

/** What a resolver returns for a connection; `nodes` and `totalCount` are computed only when selected. */
export interface ConnectionResult<E extends { node: unknown; cursor: string }> {
  edges: E[];
  pageInfo: PageInfo;
  readonly nodes: E['node'][];
  readonly totalCount: Promise<number>;
}
