import { GraphQLError } from 'graphql';
import { type AuthChecker, Authorized, Extensions } from 'type-graphql';
import type { Queryable } from '../db/pool';
import type { Auth, Context } from '../graphql/context';
import { verifyApiKey } from './keys';
import { allows, Role } from './roles';

export type { Auth } from '../graphql/context';

export const ANONYMOUS: Auth = { name: null, role: null };

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/**
 * The caller of a request, from its `Authorization: Bearer <key>` header. A header that is there but
 * does not hold a valid key is refused outright (a typo must not silently downgrade to anonymous).
 */
export async function authenticate(db: Queryable, header: string | undefined, readsRequireKey: boolean): Promise<Auth> {
  if (header === undefined || header === '') {
    if (readsRequireKey) {
      throw unauthenticated('This service requires an API key for every request: send "Authorization: Bearer <key>".');
    }
    return ANONYMOUS;
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <key>".');
  const key = await verifyApiKey(db, match[1]);
  if (!key) throw unauthenticated('The API key is not valid: it is unknown, revoked or mistyped.');
  return { name: key.name, role: key.role };
}

/**
 * type-graphql's check for `@Authorized(role)`: no key is UNAUTHENTICATED, a key whose role does not
 * include the one required is FORBIDDEN. Both messages say what is needed.
 */
export const authChecker: AuthChecker<Context, Role> = ({ context, info }, roles) => {
  const required = roles[0] ?? Role.VIEWER;
  const field = `${info.parentType.name}.${info.fieldName}`;
  if (!context.auth.role) {
    throw unauthenticated(`${field} needs an API key with the ${required} role: send "Authorization: Bearer <key>".`);
  }
  if (!allows(context.auth.role, required)) {
    throw new GraphQLError(`${field} needs the ${required} role; the key "${context.auth.name}" has the ${context.auth.role} role.`, {
      extensions: { code: 'FORBIDDEN', requiredRole: required },
    });
  }
  return true;
};

/**
 * Marks a query, mutation or field as needing an API key with `role`. Two public type-graphql
 * decorators: `@Authorized(role)`, which makes type-graphql call authChecker before the method, and
 * `@Extensions({ requiredRole })`, which records the role on the field in the built schema, where
 * the execution seam sees it and refuses to call the field directly (src/execution/direct.ts). Use
 * this, never `@Authorized` alone: a test fails on any other use of it.
 */
export function RequiresRole(role: Role): MethodDecorator {
  const authorized = Authorized(role);
  const extensions = Extensions({ requiredRole: role });
  return (target, key, descriptor) => {
    authorized(target, key, descriptor);
    extensions(target, key, descriptor);
  };
}

/** The actor of a write, for the audit history (mutations only run with a key). */
export function actorOf(context: Context): { name: string } {
  return { name: context.auth.name ?? 'anonymous' };
}
