import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Table } from '../db/table';
import { ColumnMap, rowMapper, type Selection } from '../graphql/columns';
import { ConnectionType, EdgeType, type SortKey } from '../graphql/connection';
import { toGlobalId } from '../graphql/ids';
import { Money } from '../graphql/money';
import { Node } from '../graphql/node';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../graphql/scalars';
import { DealEntity } from './deal.entity';
import { DatePrecision, DealKind, DealStatus } from './deal.enums';
import { CacheHint } from '../graphql/cache-control';

/** The table, as its entity declares it. */
export const DEAL_TABLE = new Table(DealEntity);

/** The columns of each field: the entity's properties, and the fields that are not one. */
export const DEAL_COLUMNS = ColumnMap.of(DEAL_TABLE, { id: [], value: ['valueAmount', 'valueCurrency'] });

/** Deals latest announced first, undated ones last, then the newest first. */
export const DEALS_LATEST_FIRST: SortKey[] = [
  { name: 'ANNOUNCED_ON', sql: 'd.announced_on', type: 'date', desc: true, nullable: true },
  { name: 'ID', sql: 'd.id', type: 'int', desc: true },
];

/** The SELECT list of a table aliased `alias`: every column, or those of the selected fields. */
export const dealColumns = (alias: string, fields?: Selection) => DEAL_COLUMNS.select(alias, fields);

// Deals are the news: new ones are announced all the time, so lists of them are kept for less.
@CacheHint({ maxAge: 30 })
@ObjectType('Deal', {
  implements: Node,
  simpleResolvers: true,
  description:
    'A deal between companies: a partnership, co-production, co-financing, investment, equity stake, acquisition, distribution or licensing agreement, with its parties, the films it covers and the sources that report it.',
})
export class Deal implements Node {
  /** Primary key in `deal`; clients see the global `id`. */
  rowId!: number;

  @Field(() => ID, { description: 'Global, opaque identifier.' })
  get id(): string {
    return toGlobalId('Deal', this.rowId);
  }

  @Field({ description: 'Unique, URL-safe name of the deal, such as "alibaba-group-wanda-film-stake-2018".' })
  slug!: string;

  @Field(() => DealKind, { description: 'The nature of the deal.' })
  kind!: DealKind;

  @Field({ description: 'Headline of the deal, such as "Alibaba acquires a 7.66% stake in Wanda Film".' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'What the deal is about, in a few sentences from its sources.' })
  summary!: string | null;

  @Field(() => DealStatus, { description: 'How far the deal has gone.' })
  status!: DealStatus;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      'When the deal was announced: the first day of the period that `announcedOnPrecision` gives ("October 2016" is 2016-10-01 with MONTH). Null when the sources give no date.',
  })
  announcedOn!: string | null;

  @Field(() => DatePrecision, { nullable: true, description: 'How precisely `announcedOn` is known; null when it is null.' })
  announcedOnPrecision!: DatePrecision | null;

  @Field(() => Money, {
    nullable: true,
    description: 'The value as reported, in the currency reported (4.68 billion CNY); null when undisclosed.',
  })
  value!: Money | null;

  @Field(() => Money, {
    nullable: true,
    description: 'The value in US dollars as reported by the sources ($744 million), not converted by this service; null when not reported.',
  })
  valueUsd!: Money | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'For equity stakes and acquisitions: the percentage acquired (0 to 100), such as "7.66".' })
  stakePercent!: string | null;

  @Field(() => Int, {
    description: 'Version of this record, incremented by every change. Pass it as `expectedVersion` when updating or deleting: a stale version gets CONFLICT.',
  })
  version!: number;

  @Field(() => DateTimeScalar, { description: 'When this record was created in the catalogue.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When this record was last changed in the catalogue.' })
  updatedAt!: Date;

  /** A row of `deal` as a Deal. */
  static fromRow: (row: Record<string, unknown>) => Deal;
}

Deal.fromRow = rowMapper(DEAL_TABLE, () => new Deal(), {
  rename: { id: 'rowId' },
  // Money is an amount with its currency: two columns, one field.
  skip: ['valueAmount', 'valueCurrency', 'valueUsd'],
  then: (deal, row) => {
    deal.value = Money.of(row.value_amount, row.value_currency);
    deal.valueUsd = Money.of(row.value_usd, 'USD');
  },
});

@ObjectType('DealEdge', { description: 'A deal in a list, with its cursor.', simpleResolvers: true })
export class DealEdge extends EdgeType(Deal) {}

@ObjectType('DealConnection', { description: 'A page of deals.', simpleResolvers: true })
export class DealConnection extends ConnectionType(DealEdge, Deal) {}
