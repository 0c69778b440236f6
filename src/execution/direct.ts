import { type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema, isObjectType } from 'graphql';

/**
 * Direct resolvers: listed fields call their resolver method straight away, instead of through
 * type-graphql's per-call wrapper (which, on every call, sorts the method's parameters, builds an
 * instance of the arguments class field by field, converts the parent and runs the middleware
 * chain: 4-5% of the CPU of a 100-film query, whose nested connections resolve once per film; for
 * these fields that work is the identity).
 *
 * Which fields may be direct is an explicit list (src/app/direct-fields.ts), never guessed from a
 * library's internals, and it fails closed: at start, every listed field must exist in the schema and
 * must not require a role (`extensions.requiredRole`, set by auth's RequiresRole), or the service
 * refuses to start. A field that is not listed keeps type-graphql's wrapper and every check in it.
 */

/** A field's resolver, called as graphql-js calls resolvers. */
export type DirectResolver = (root: any, args: any, context: any, info: GraphQLResolveInfo) => unknown;

/** `Type.field` -> the function that stands in for type-graphql's wrapper of that field. */
export type DirectFields = Readonly<Record<string, DirectResolver>>;

/** The list and the schema disagree: a start-up error, with every problem listed. */
export class DirectResolverError extends Error {
  constructor(readonly problems: string[]) {
    super(`The direct resolver list (src/app/direct-fields.ts) does not fit the schema:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DirectResolverError';
  }
}

const installed = new WeakSet<object>();

/** Whether a field's resolver is one of the direct calls installed here. */
export function isDirectResolver(resolve: unknown): boolean {
  return typeof resolve === 'function' && installed.has(resolve);
}

/** Checks the list against the schema, then installs it (in place); returns the fields made direct. */
export function installDirectResolvers(schema: GraphQLSchema, fields: DirectFields): string[] {
  const problems: string[] = [];
  const plan: Array<{ field: { resolve?: GraphQLFieldResolver<unknown, unknown> }; resolve: DirectResolver }> = [];
  for (const [name, resolve] of Object.entries(fields)) {
    const [typeName, fieldName] = name.split('.');
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    if (!field) {
      problems.push(`${name} is not a field of the schema`);
    } else if (field.extensions?.requiredRole !== undefined) {
      problems.push(`${name} requires the ${String(field.extensions.requiredRole)} role: it must always go through its authorization check, so it cannot be direct`);
    } else if (!field.resolve) {
      problems.push(`${name} has no resolver (a plain property): there is nothing to call directly`);
    } else {
      plan.push({ field, resolve });
    }
  }
  if (problems.length) throw new DirectResolverError(problems);
  for (const { field, resolve } of plan) {
    installed.add(resolve);
    field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
  }
  return Object.keys(fields);
}
