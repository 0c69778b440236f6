import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Table } from '../db/table';
import { ColumnMap, rowMapper, type Selection } from '../graphql/columns';
import { ConnectionType, EdgeType, type SortKey } from '../graphql/connection';
import { toGlobalId } from '../graphql/ids';
import { Node } from '../graphql/node';
import { DateTimeScalar } from '../graphql/scalars';
import { ProducerEntity } from './producer.entity';
import { ProducerKind } from './producer.enums';

/** The table, as its entity declares it. */
export const PRODUCER_TABLE = new Table(ProducerEntity);

/** The columns of each field: the entity's properties, and the fields that are not one. */
export const PRODUCER_COLUMNS = ColumnMap.of(PRODUCER_TABLE, { id: [] });

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

  /** A row of `producer` as a Producer. */
  static fromRow: (row: Record<string, unknown>) => Producer;
}

Producer.fromRow = rowMapper(PRODUCER_TABLE, () => new Producer(), { rename: { id: 'rowId' } });

@ObjectType('ProducerEdge', { description: 'A producer in a list, with its cursor.', simpleResolvers: true })
export class ProducerEdge extends EdgeType(Producer) {}

@ObjectType('ProducerConnection', { description: 'A page of producers.', simpleResolvers: true })
export class ProducerConnection extends ConnectionType(ProducerEdge, Producer) {}
