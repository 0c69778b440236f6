import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { objectSelection } from '../graphql/columns';
import { PageArgs, RelationLoader } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { STUDIOS_BY_NAME, Studio, StudioConnection, studioColumns } from './studio.type';

// Studio.parent and Studio.subsidiaries: who owns whom (the studio's own parent_id column).

/** A page of each studio's subsidiaries per level of the query, in one statement. */
export function subsidiariesByStudioId(db: Queryable) {
  return new RelationLoader<object>(db, {
    name: 'subsidiariesByStudioId',
    parentColumn: 's.parent_id',
    source: (_args, _params, _parent, fields) => ({ select: studioColumns('s', fields), from: 'studio s', where: [] }),
    order: () => STUDIOS_BY_NAME,
  });
}

@Resolver(() => Studio)
export class StudioOwnershipResolver {
  @FieldResolver(() => Studio, { nullable: true, description: 'The company this one belongs to (Alibaba Group for Alibaba Pictures); null when none.' })
  parent(@Root() studio: Studio, @Ctx() { loaders }: Context, @Info() info?: GraphQLResolveInfo): Promise<Studio | null> | null {
    return studio.parentRowId === null ? null : loaders.studioById.load(studio.parentRowId, objectSelection(info));
  }

  @FieldResolver(() => StudioConnection, { description: 'Companies owned by this one, by name.' })
  subsidiaries(@Root() studio: Studio, @Args() page: PageArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.subsidiariesByStudioId.connection(studio.rowId, {}, page, (row) => ({ node: Studio.fromRow(row) }), info);
  }
}
