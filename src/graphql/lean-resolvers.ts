import { getNamedType, isEnumType, isObjectType, isScalarType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/**
 * type-graphql wraps every field resolver in a function that, on each call, sorts the method's
 * parameter list, builds an instance of the arguments class field by field, converts the parent and
 * runs the middleware chain: 4-5% of the CPU of a 100-film query, whose nested connections resolve
 * once per film. For the plainest field resolvers that work is the identity, so they are called
 * directly instead: a resolver class's method (not a getter of an object type) with no roles (no
 * authorization) and no middlewares, whose parameters are only @Root, @Ctx, @Info and @Args, and
 * whose arguments are all scalars or enums (nothing to turn into input classes; the method reads
 * them as properties either way, and validation is off). A parent that is not already an instance of
 * the root class, should one ever come, goes through type-graphql's own wrapper as before.
 */

type ParamKind = 'root' | 'context' | 'info' | 'args';

interface ParamMeta {
  kind: string;
  index: number;
  propertyName?: string;
  getType?: () => unknown;
  validateSettings?: unknown;
}

interface FieldResolverMeta {
  kind: 'internal' | 'external';
  target: new () => Record<string, (...params: unknown[]) => unknown>;
  methodName: string;
  schemaName: string;
  roles?: unknown[];
  middlewares: unknown[];
  params: ParamMeta[];
  getObjectType?: () => unknown;
}

const lean = new WeakSet<GraphQLFieldResolver<unknown, Record<string, unknown>>>();

/** Whether a field's resolver is one of the direct calls made here. */
export function isLeanResolver(resolve: unknown): boolean {
  return typeof resolve === 'function' && lean.has(resolve as GraphQLFieldResolver<unknown, Record<string, unknown>>);
}

const PLAIN: ReadonlySet<string> = new Set<ParamKind>(['root', 'context', 'info', 'args']);

/** Replaces, in place, the resolvers that qualify; returns the fields replaced as `Type.field`. */
export function leanFieldResolvers(schema: GraphQLSchema): string[] {
  const storage = getMetadataStorage() as unknown as {
    fieldResolvers: FieldResolverMeta[];
    objectTypes: { target: unknown; name: string }[];
  };
  const replaced: string[] = [];
  for (const meta of storage.fieldResolvers) {
    if (meta.kind !== 'external' || meta.roles !== undefined || meta.middlewares.length) continue;
    const params = [...meta.params].sort((a, b) => a.index - b.index);
    if (!params.every((p) => PLAIN.has(p.kind) && p.validateSettings === undefined && !(p.kind === 'root' && p.propertyName))) continue;
    const RootClass = meta.getObjectType?.();
    const typeName = storage.objectTypes.find((o) => o.target === RootClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    if (!isObjectType(type) || typeof RootClass !== 'function') continue;
    const field = type.getFields()[meta.schemaName];
    if (!field?.resolve || lean.has(field.resolve)) continue;
    if (!field.args.every((a) => isScalarType(getNamedType(a.type)) || isEnumType(getNamedType(a.type)))) continue;

    const wrapped = field.resolve;
    const instance = new meta.target();
    const method = instance[meta.methodName];
    if (typeof method !== 'function') continue;
    const pick = params.map((p): ((root: unknown, args: unknown, context: Record<string, unknown>, info: unknown) => unknown) => {
      switch (p.kind as ParamKind) {
        case 'root':
          return (root) => root;
        case 'args':
          return (_root, args) => args;
        case 'info':
          return (_root, _args, _context, info) => info;
        case 'context':
          return p.propertyName ? (_root, _args, context) => context[p.propertyName!] : (_root, _args, context) => context;
      }
    });
    const direct: GraphQLFieldResolver<unknown, Record<string, unknown>> = (root, args, context, info) =>
      root instanceof (RootClass as new () => unknown)
        ? method.apply(
            instance,
            pick.map((get) => get(root, args, context, info)),
          )
        : wrapped(root, args, context, info);
    lean.add(direct);
    field.resolve = direct;
    replaced.push(`${typeName}.${meta.schemaName}`);
  }
  return replaced;
}
