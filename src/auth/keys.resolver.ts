import { Arg, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context';
import { actorOf, RequiresRole } from './auth';
import { badUserInput } from '../graphql/errors';
import { DateTimeScalar } from '../graphql/scalars';
import { quote } from '../graphql/text';
import { Validator } from '../graphql/validation';
import { write } from '../graphql/write';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyInfo } from './keys';
import { Role } from './roles';
import { CacheHint } from '../graphql/cache-control';

@CacheHint({ maxAge: 0, scope: 'PRIVATE' })
@ObjectType('ApiKey', { description: 'An API key, without its secret (which is shown only once, when the key is created).', simpleResolvers: true })
export class ApiKey {
  @Field({ description: 'The name given to the key; it is what the audit history records as the author of a change.' })
  name!: string;

  @Field(() => Role, { description: 'What the key may do.' })
  role!: Role;

  @Field({ description: 'The public part of the key (after "mgk_"), to recognise it in lists.' })
  keyId!: string;

  @Field(() => DateTimeScalar, { description: 'When the key was created.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the key was last used (to the minute); null if never.' })
  lastUsedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the key was revoked; null while it is valid.' })
  revokedAt!: Date | null;
}

@ObjectType('CreatedApiKey', { description: 'A new API key and its secret.', simpleResolvers: true })
export class CreatedApiKey {
  @Field({ description: 'The key to send as "Authorization: Bearer <key>". Shown only now: store it safely.' })
  key!: string;

  @Field(() => ApiKey, { description: 'The key as it is listed.' })
  apiKey!: ApiKey;
}

const toApiKey = (info: ApiKeyInfo): ApiKey => Object.assign(new ApiKey(), info);

@Resolver()
export class ApiKeyResolver {
  @RequiresRole(Role.ADMIN)
  @Query(() => [ApiKey], { description: 'Every API key, revoked ones included, oldest first. Needs the ADMIN role.' })
  async apiKeys(@Ctx() { db }: Context): Promise<ApiKey[]> {
    return (await listApiKeys(db)).map(toApiKey);
  }

  @RequiresRole(Role.ADMIN)
  @Mutation(() => CreatedApiKey, { description: 'Creates an API key; its secret is in the answer and nowhere else. Recorded in the audit history (without the secret). Needs the ADMIN role.' })
  async createApiKey(
    @Arg('name', { description: 'A unique name, such as the person or the application that will use it.' }) name: string,
    @Arg('role', () => Role, { description: 'What the key may do.' }) role: Role,
    @Ctx() ctx: Context,
  ): Promise<CreatedApiKey> {
    const v = new Validator();
    if (v.required('name', name, 'a name for the key')) v.maxLength('name', name, 100);
    v.throwIfInvalid();
    const created = await write(ctx.db, (tx) => createApiKey(tx, name.trim(), role, actorOf(ctx)));
    return Object.assign(new CreatedApiKey(), { key: created.key, apiKey: toApiKey(created.info) });
  }

  @RequiresRole(Role.ADMIN)
  @Mutation(() => ApiKey, { description: 'Revokes an API key: requests with it are refused from now on. Recorded in the audit history; revoking a revoked key changes nothing. Needs the ADMIN role.' })
  async revokeApiKey(@Arg('name', { description: 'The name of the key.' }) name: string, @Ctx() ctx: Context): Promise<ApiKey> {
    // A write, so through write(): it goes to the primary when reads are on a replica.
    const revoked = await write(ctx.db, (tx) => revokeApiKey(tx, name, actorOf(ctx)));
    if (!revoked) throw badUserInput('name', `No API key is named ${quote(name)}.`);
    return toApiKey(revoked);
  }
}
