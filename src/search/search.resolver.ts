import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { rootConnection, type SortKey } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { badUserInput } from '../graphql/errors';
import { fuzzy, type Searched, searchTerm } from '../graphql/fuzzy';
import { dealSearched } from '../deal/deal.lists';
import { filmSearched } from '../film/film.lists';
import { producerSearched } from '../producer/producer.lists';
import { studioSearched } from '../studio/studio.lists';
import { SearchArgs, SearchConnection, SearchType } from './search.types';

/** Where each kind of object is searched: its table, and its text and popularity (each folder's own). */
const SEARCHED: Record<SearchType, { table: string; searched: Searched; order: number }> = {
  [SearchType.STUDIO]: { table: 'studio', searched: studioSearched('t'), order: 1 },
  [SearchType.PRODUCER]: { table: 'producer', searched: producerSearched('t'), order: 2 },
  [SearchType.FILM]: { table: 'film', searched: filmSearched('t'), order: 3 },
  [SearchType.DEAL]: { table: 'deal', searched: dealSearched('t'), order: 4 },
};

/** Best first: the order of every searched root list's RELEVANCE (filters.ts), then kind and id. */
const BEST_FIRST: SortKey[] = [
  { name: 'SCORE', sql: 'hit.score', type: 'numeric', desc: true },
  { name: 'POPULARITY', sql: 'hit.popularity', type: 'bigint', desc: true },
  { name: 'NAME', sql: 'hit.name', type: 'text' },
  { name: 'TYPE', sql: 'hit.type_order', type: 'int' },
  { name: 'ID', sql: 'hit.id', type: 'int' },
];

@Resolver()
export class SearchResolver {
  @Query(() => SearchConnection, {
    description:
      'Search studios, producers, films and deals at once, best matches first: an exact name or title, then names that start with the words, then names with a word that does, then close spellings (typos); a deal, whose title only mentions its parties, below a studio, person or film that matches alike; ties by popularity (IMDb votes, credits, deals), then name. Runs in PostgreSQL with trigram and full-text indexes; one statement for the hits, then one per kind of object found.',
  })
  search(@Args() args: SearchArgs, @Ctx() { db, loaders }: Context) {
    const types = args.types && args.types.length ? [...new Set(args.types)] : Object.values(SearchType);
    return rootConnection(
      db,
      (params) => {
        const term = searchTerm(params, args.query, 'query');
        if (!term) throw badUserInput('query', 'Argument "query" is empty: give a name, a title or words of one.');
        const hits = types.map((type) => {
          const { table, searched, order } = SEARCHED[type];
          const { condition, score, popularity, name } = fuzzy(searched, term);
          return (
            `SELECT '${type}'::text AS type, ${order} AS type_order, t.id, ${score} AS score, ${popularity} AS popularity,` +
            ` ${name} AS name FROM ${table} t WHERE ${condition}`
          );
        });
        return { select: 'hit.type, hit.id, hit.score', from: `(${hits.join(' UNION ALL ')}) hit`, where: [] };
      },
      BEST_FIRST,
      args,
      (row) => {
        const type = row.type as SearchType;
        const id = row.id as number;
        const node =
          type === SearchType.STUDIO
            ? loaders.studioById.load(id)
            : type === SearchType.PRODUCER
              ? loaders.producerById.load(id)
              : type === SearchType.FILM
                ? loaders.filmById.load(id)
                : loaders.dealById.load(id);
        return { type, score: Number(row.score), node };
      },
    );
  }
}
