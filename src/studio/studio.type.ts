import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Table } from '../db/table';
import { ColumnMap, rowMapper, type Selection } from '../graphql/columns';
import { ConnectionType, EdgeType, type SortKey } from '../graphql/connection';
import { toGlobalId } from '../graphql/ids';
import { Node } from '../graphql/node';
import { DateTimeScalar } from '../graphql/scalars';
import { StudioEntity } from './studio.entity';
import { StudioKind } from './studio.enums';

/** The table, as its entity declares it. */
export const STUDIO_TABLE = new Table(StudioEntity);

/** The columns of each field: the entity's properties, and the fields that are not one. */
export const STUDIO_COLUMNS = ColumnMap.of(STUDIO_TABLE, { id: [], parent: ['parentId'] });

/** Studios by name, as relations list them. */
export const STUDIOS_BY_NAME: SortKey[] = [
  { name: 'NAME', sql: 's.name', type: 'text' },
  { name: 'ID', sql: 's.id', type: 'int' },
];

/** The SELECT list of a table aliased `alias`: every column, or those of the selected fields. */
export const studioColumns = (alias: string, fields?: Selection) => STUDIO_COLUMNS.select(alias, fields);

@ObjectType('Studio', {
  implements: Node,
  simpleResolvers: true,
  description:
    'A company of the film business: a studio, production company, distributor, financier, conglomerate or exhibitor. Its relations (parent, subsidiaries, films, producers, deals, partners) are batched: asking for them on a list costs one SQL statement per level, not one per studio.',
})
export class Studio implements Node {
  /** Primary key in `studio`; clients see the global `id`. */
  rowId!: number;

  /** Primary key of the parent studio, resolved by the `parent` field. */
  parentRowId!: number | null;

  @Field(() => ID, { description: 'Global, opaque identifier.' })
  get id(): string {
    return toGlobalId('Studio', this.rowId);
  }

  @Field({ description: 'Unique, URL-safe name: the lower-case kebab-case of the name, such as "alibaba-pictures".' })
  slug!: string;

  @Field({ description: 'Name, such as "Alibaba Pictures".' })
  name!: string;

  @Field(() => StudioKind, { description: 'What the company mainly does.' })
  kind!: StudioKind;

  @Field(() => String, { nullable: true, description: 'Country of the company, as an ISO 3166-1 alpha-2 code such as "CN" or "US"; null when unknown.' })
  country!: string | null;

  @Field(() => String, { nullable: true, description: 'Headquarters city, such as "Burbank"; null when unknown.' })
  headquarters!: string | null;

  @Field(() => Int, { nullable: true, description: 'Year the company was founded; null when unknown.' })
  foundedYear!: number | null;

  @Field(() => String, { nullable: true, description: 'Stock listing as "EXCHANGE: TICKER", such as "NYSE: BABA"; null when not listed or unknown.' })
  stockListing!: string | null;

  @Field(() => String, { nullable: true, description: 'Website URL; null when unknown.' })
  website!: string | null;

  @Field(() => String, { nullable: true, description: 'Short description of the company, from its sources.' })
  description!: string | null;

  @Field(() => Int, {
    description: 'Version of this record, incremented by every change. Pass it as `expectedVersion` when updating or deleting: a stale version gets CONFLICT.',
  })
  version!: number;

  @Field(() => DateTimeScalar, { description: 'When this record was created in the catalogue.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When this record was last changed in the catalogue.' })
  updatedAt!: Date;

  /** A row of `studio` as a Studio. */
  static fromRow: (row: Record<string, unknown>) => Studio;
}

Studio.fromRow = rowMapper(STUDIO_TABLE, () => new Studio(), { rename: { id: 'rowId', parentId: 'parentRowId' } });

@ObjectType('StudioEdge', { description: 'A studio in a list, with its cursor.', simpleResolvers: true })
export class StudioEdge extends EdgeType(Studio) {}

@ObjectType('StudioConnection', { description: 'A page of studios.', simpleResolvers: true })
export class StudioConnection extends ConnectionType(StudioEdge, Studio) {}
