import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ColumnMap, type Selection } from '../graphql/columns';
import { ConnectionType, EdgeType, type SortKey } from '../graphql/connection';
import { toGlobalId } from '../graphql/ids';
import { Node } from '../graphql/node';
import { DateTimeScalar } from '../graphql/scalars';
import { ProducerKind } from './producer.enums';

/** The columns of each field (`[]`: the id suffices, as for relations, which loaders fetch by id). */
export const PRODUCER_COLUMNS = new ColumnMap(
  ['id', 'slug', 'name', 'kind', 'bio', 'version', 'created_at', 'updated_at'],
  {
    id: [],
    slug: ['slug'],
    name: ['name'],
    kind: ['kind'],
    bio: ['bio'],
    version: ['version'],
    createdAt: ['created_at'],
    updatedAt: ['updated_at'],
    films: [],
    studios: [],
  },
);

/** Producers by name, as relations list them. */
export const PRODUCERS_BY_NAME: SortKey[] = [
  { name: 'NAME', sql: 'p.name', type: 'text' },
  { name: 'ID', sql: 'p.id', type: 'int' },
];

/** The SELECT list of a table aliased `alias`: every column, or those of the selected fields. */
export const producerColumns = (alias: string, fields?: Selection) => PRODUCER_COLUMNS.select(alias, fields);

@ObjectType('Producer', {
  implements: Node,
  simpleResolvers: true,
  description: 'A person or company credited on films as producer, executive producer or director, such as Robert Zemeckis.',
})
export class Producer implements Node {
  /** Primary key in `producer`; clients see the global `id`. */
  rowId!: number;

  @Field(() => ID, { description: 'Global, opaque identifier.' })
  get id(): string {
    return toGlobalId('Producer', this.rowId);
  }

  @Field({ description: 'Unique, URL-safe name: the lower-case kebab-case of the name, such as "robert-zemeckis".' })
  slug!: string;

  @Field({ description: 'Name, such as "Robert Zemeckis".' })
  name!: string;

  @Field(() => ProducerKind, { description: 'Whether this producer is a person or a company.' })
  kind!: ProducerKind;

  @Field(() => String, { nullable: true, description: 'Short biography, from the sources; null when none.' })
  bio!: string | null;

  @Field(() => Int, {
    description: 'Version of this record, incremented by every change. Pass it as `expectedVersion` when updating or deleting: a stale version gets CONFLICT.',
  })
  version!: number;

  @Field(() => DateTimeScalar, { description: 'When this record was created in the catalogue.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When this record was last changed in the catalogue.' })
  updatedAt!: Date;

  static fromRow(row: Record<string, unknown>): Producer {
    const p = new Producer();
    p.rowId = row.id as number;
    p.slug = row.slug as string;
    p.name = row.name as string;
    p.kind = row.kind as ProducerKind;
    p.bio = row.bio as string | null;
    p.version = row.version as number;
    p.createdAt = row.created_at as Date;
    p.updatedAt = row.updated_at as Date;
    return p;
  }
}

@ObjectType('ProducerEdge', { description: 'A producer in a list, with its cursor.', simpleResolvers: true })
export class ProducerEdge extends EdgeType(Producer) {}

@ObjectType('ProducerConnection', { description: 'A page of producers.', simpleResolvers: true })
export class ProducerConnection extends ConnectionType(ProducerEdge, Producer) {}
