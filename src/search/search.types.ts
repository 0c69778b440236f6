import { ArgsType, createUnionType, Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { Deal } from '../deal/deal.type';
import { Film } from '../film/film.type';
import { ConnectionType, PageArgs } from '../graphql/connection';
import { Producer } from '../producer/producer.type';
import { Studio } from '../studio/studio.type';

export enum SearchType {
  STUDIO = 'STUDIO',
  PRODUCER = 'PRODUCER',
  FILM = 'FILM',
  DEAL = 'DEAL',
}

registerEnumType(SearchType, {
  name: 'SearchType',
  description: 'The kinds of objects `search` can return.',
  valuesConfig: {
    STUDIO: { description: 'Studios, by name.' },
    PRODUCER: { description: 'Producers, by name.' },
    FILM: { description: 'Films, by title.' },
    DEAL: { description: 'Deals, by title.' },
  },
});

export const SearchResult = createUnionType({
  name: 'SearchResult',
  description: 'Anything `search` can find.',
  types: () => [Studio, Producer, Film, Deal] as const,
});

@ObjectType('SearchEdge', { description: 'A search hit with its relevance and cursor.', simpleResolvers: true })
export class SearchEdge {
  @Field({ description: 'Opaque cursor of this edge; pass it as `after` or `before` to page from here.' })
  cursor!: string;

  @Field(() => SearchResult, { description: 'The object found.', simple: false })
  node!: typeof SearchResult;

  @Field(() => SearchType, { description: 'What kind of object `node` is.' })
  type!: SearchType;

  @Field(() => Float, {
    description: 'Relevance, to 2 decimals, higher is better: a tier (4 an exact name or title, 3 a name that starts with the query, 2 a name with a word that does, 1 a close spelling; a deal one lower but for an exact title) plus up to 0.9 for how close the spelling is (trigram similarity). Hits come best first, equal scores by popularity, then name.',
  })
  score!: number;
}

@ObjectType('SearchConnection', { description: 'A page of search hits, best first.', simpleResolvers: true })
export class SearchConnection extends ConnectionType(SearchEdge, SearchResult as unknown as new () => object) {}

@ArgsType()
export class SearchArgs extends PageArgs {
  @Field({
    description:
      'What to look for: a name or title, or words of it. Typo-tolerant ("Zemekis"), accent- and case-insensitive, and word forms match ("steel soldier" finds "Steel Soldiers").',
  })
  query!: string;

  @Field(() => [SearchType], { nullable: true, description: 'Only these kinds of objects (all kinds when not given).' })
  types?: SearchType[] | null;
}
