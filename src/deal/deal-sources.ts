import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { ListLoader, listPerParentSql } from '../graphql/batch';
import type { Context } from '../graphql/context';
import { DateScalar } from '../graphql/scalars';
import { Deal } from './deal.type';

// Deal.sources: the published reports a deal is known from (the deal_source link, which deals own).

@ObjectType('Source', { description: 'A published report a deal is known from.', simpleResolvers: true })
export class Source {
  @Field({ description: 'Who published it, such as "CapitalWatch".' })
  publisher!: string;

  @Field({ description: 'Headline of the report.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Byline, such as "CapitalWatch Staff"; null when unknown.' })
  author!: string | null;

  @Field(() => String, { nullable: true, description: 'Web address of the report; null when unknown.' })
  url!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Publication date; null when unknown.' })
  publishedOn!: string | null;

  static fromRow(row: Record<string, unknown>): Source {
    const source = new Source();
    source.publisher = row.publisher as string;
    source.title = row.title as string;
    source.author = row.author as string | null;
    source.url = row.url as string | null;
    source.publishedOn = row.published_on as string | null;
    return source;
  }
}

/** Each deal's sources per level of the query, in one statement. */
export function sourcesByDealId(db: Queryable) {
  return new ListLoader(
    'sourcesByDealId',
    db,
    () =>
      listPerParentSql(
        'so.publisher, so.title, so.author, so.url, so.published_on',
        'deal_source ds JOIN source so ON so.id = ds.source_id',
        'ds.deal_id',
        'so.published_on NULLS LAST, so.id',
      ),
    Source.fromRow,
  );
}

@Resolver(() => Deal)
export class DealSourcesResolver {
  @FieldResolver(() => [Source], { description: 'The published reports the deal is known from, oldest first.' })
  sources(@Root() deal: Deal, @Ctx() { loaders }: Context): Promise<Source[]> {
    return loaders.sourcesByDealId.load(deal.rowId);
  }
}
