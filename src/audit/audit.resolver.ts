import { GraphQLJSON } from 'graphql-scalars';
import { Args, ArgsType, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { RequiresRole } from '../auth/auth';
import { Role } from '../auth/roles';
import { ConnectionType, EdgeType, PageArgs, rootConnection, type SortKey } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { badUserInput } from '../graphql/errors';
import { type AuditedTypeName, fromAuditedId, toGlobalId } from '../graphql/ids';
import { DateTimeScalar } from '../graphql/scalars';
import { quote } from '../graphql/text';
import { CacheHint } from '../graphql/cache-control';

// The history is for administrators: never kept by a shared cache, asked again every time.
@CacheHint({ maxAge: 0, scope: 'PRIVATE' })
@ObjectType('AuditEntry', { description: 'One write to the catalogue, as the audit history recorded it in the same transaction.', simpleResolvers: true })
export class AuditEntry {
  @Field({ description: 'Sequence number of the entry (increasing).' })
  sequence!: string;

  @Field(() => DateTimeScalar, { description: 'When the write happened.' })
  at!: Date;

  @Field({ description: 'Who wrote: the name of the API key, or of the command (import, seed, keys) and the system user who ran it.' })
  actor!: string;

  @Field({ description: 'The mutation or command, such as "updateStudio" or "import".' })
  operation!: string;

  @Field({ description: 'The type of the entity written: Studio, Producer, Film, Deal, or ApiKey (keys created and revoked; their secrets are never recorded).' })
  entityType!: string;

  @Field(() => ID, { description: 'The global ID of the entity written (for an ApiKey, an ID that only this history uses).' })
  entityId!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The whole state of the entity before the write (its row and its links); null for a creation.' })
  before!: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The whole state after the write; null for a deletion.' })
  after!: unknown;
}

@ObjectType('AuditEntryEdge', { description: 'An audit entry with its cursor.', simpleResolvers: true })
export class AuditEntryEdge extends EdgeType(AuditEntry) {}

@ObjectType('AuditEntryConnection', { description: 'A page of the audit history, newest first.', simpleResolvers: true })
export class AuditEntryConnection extends ConnectionType(AuditEntryEdge, AuditEntry) {}

@ArgsType()
export class AuditLogArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only the writes to this entity (a global ID, deleted entities and API keys included); all writes when not given.' })
  entityId?: string | null;
}

const NEWEST_FIRST: SortKey[] = [{ name: 'SEQUENCE', sql: 'a.id', type: 'bigint', desc: true }];

@Resolver()
export class AuditResolver {
  @RequiresRole(Role.ADMIN)
  @Query(() => AuditEntryConnection, { description: 'The audit history of the catalogue, newest first. Needs the ADMIN role.' })
  auditLog(@Args() args: AuditLogArgs, @Ctx() { db }: Context) {
    let entity: { type: AuditedTypeName; rowId: number } | undefined;
    if (args.entityId != null) {
      entity = fromAuditedId(args.entityId);
      if (!entity) throw badUserInput('entityId', `Argument "entityId" is not a valid ID: ${quote(args.entityId)}.`);
    }
    return rootConnection(
      db,
      (params) => ({
        select: 'a.id::text AS sequence, a.at, a.actor, a.operation, a.entity_type, a.entity_id, a.before, a.after',
        from: 'audit_log a',
        where: entity ? [`a.entity_type = ${params.add(entity.type)}`, `a.entity_id = ${params.add(entity.rowId, 'int')}`] : [],
      }),
      NEWEST_FIRST,
      args,
      (row) => ({
        node: Object.assign(new AuditEntry(), {
          sequence: row.sequence,
          at: row.at,
          actor: row.actor,
          operation: row.operation,
          entityType: row.entity_type,
          entityId: toGlobalId(row.entity_type as AuditedTypeName, row.entity_id as number),
          before: row.before,
          after: row.after,
        }),
      }),
    );
  }
}
