import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { rootConnection, type SortKey } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { badUserInput } from '../graphql/errors';
import { fuzzy, searchTerm } from '../graphql/fuzzy';
import { SearchArgs, SearchConnection, SearchType } from './search.types';

/** Where each kind of object is searched: its table and the text that is matched. */
const SEARCHED: Record<SearchType, { table: string; column: string; order: number }> = {
  [SearchType.STUDIO]: { table: 'studio', column: 'name', order: 1 },
  [SearchType.PRODUCER]: { table: 'producer', column: 'name', order: 2 },
  [SearchType.FILM]: { table: 'film', column: 'title', order: 3 },
  [SearchType.DEAL]: { table: 'deal', column: 'title', order: 4 },
};

const BEST_FIRST: SortKey[] = [
  { name: 'SCORE', sql: 'hit.score', type: 'numeric', desc: true },
  { name: 'TYPE', sql: 'hit.type_order', type: 'int' },
  { name: 'ID', sql: 'hit.id', type: 'int' },
];

@Resolver()
export class SearchResolver {
  @Query(() => SearchConnection, {
    description:
      'Search studios, producers, films and deals at once, best matches first. Runs in PostgreSQL with trigram and full-text indexes; one statement for the hits, then one per kind of object found.',
  })
  search(@Args() args: SearchArgs, @Ctx() { db, loaders }: Context) {
    const types = args.types && args.types.length ? [...new Set(args.types)] : Object.values(SearchType);
    return rootConnection(
      db,
      (params) => {
        const term = searchTerm(params, args.query, 'query');
        if (!term) throw badUserInput('query', 'Argument "query" is empty: give a name, a title or words of one.');
        const hits = types.map((type) => {
          const { table, column, order } = SEARCHED[type];
          const { condition, score } = fuzzy(`t.${column}`, term);
          return `SELECT '${type}'::text AS type, ${order} AS type_order, t.id, ${score} AS score FROM ${table} t WHERE ${condition}`;
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
