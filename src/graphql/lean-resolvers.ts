import { getNamedType, isEnumType, isInputObjectType, isObjectType, isScalarType, type GraphQLFieldResolver, type GraphQLInputType, type GraphQLSchema } from 'graphql';
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
 *
 * Root query fields run once per request, but their wrapper also turns every input object of the
 * arguments (a filter, an ordering) into an instance of its class, recursively: ~5% of the CPU of a
 * filtered list. Those are called directly too when every input class they take is plain data (no
 * methods or getters, no property initializers, no validation): a method then reads the same
 * properties from graphql's plain argument objects. Mutations keep the wrapper.
 */

type ParamKind = 'root' | 'context' | 'info' | 'args' | 'arg';

interface ParamMeta {
  kind: string;
  index: number;
  name?: string;
  propertyName?: string;
  getType?: () => unknown;
  validateSettings?: unknown;
  validateFn?: unknown;
}

interface QueryMeta {
  target: new () => Record<string, (...params: unknown[]) => unknown>;
  methodName: string;
  schemaName: string;
  roles?: unknown[];
  middlewares: unknown[];
  params: ParamMeta[];
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
const ROOT_PLAIN: ReadonlySet<string> = new Set<ParamKind>(['context', 'info', 'args', 'arg']);

type Pick = (root: unknown, args: Record<string, unknown>, context: Record<string, unknown>, info: unknown) => unknown;

function picker(p: ParamMeta): Pick {
  switch (p.kind as ParamKind) {
    case 'root':
      return (root) => root;
    case 'args':
      return (_root, args) => args;
    case 'arg':
      return (_root, args) => args[p.name!];
    case 'info':
      return (_root, _args, _context, info) => info;
    case 'context':
      return p.propertyName ? (_root, _args, context) => context[p.propertyName!] : (_root, _args, context) => context;
  }
}

/** A class whose instances are plain data: no methods or accessors up its chain, no initialised properties. */
function plainDataClass(target: unknown): boolean {
  if (typeof target !== 'function') return false;
  for (let proto = target.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (Object.getOwnPropertyNames(proto).some((name) => name !== 'constructor')) return false;
  }
  return Object.keys(new (target as new () => object)()).length === 0;
}

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
    const pick = params.map(picker);
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
  replaced.push(...leanQueryResolvers(schema));
  return replaced;
}

/** The root query fields whose arguments are scalars, enums or plain-data input classes. */
function leanQueryResolvers(schema: GraphQLSchema): string[] {
  const storage = getMetadataStorage() as unknown as {
    queries: QueryMeta[];
    inputTypes: { target: unknown; name: string }[];
    argumentTypes: { target: unknown }[];
  };
  const queryType = schema.getQueryType();
  const replaced: string[] = [];
  const plainInput = (type: GraphQLInputType, seen: Set<string>): boolean => {
    const named = getNamedType(type);
    if (isScalarType(named) || isEnumType(named)) return true;
    if (!isInputObjectType(named)) return false;
    if (seen.has(named.name)) return true;
    seen.add(named.name);
    const meta = storage.inputTypes.find((t) => t.name === named.name);
    return plainDataClass(meta?.target) && Object.values(named.getFields()).every((f) => plainInput(f.type, seen));
  };
  for (const meta of storage.queries) {
    if (meta.roles !== undefined || meta.middlewares.length) continue;
    const params = [...meta.params].sort((a, b) => a.index - b.index);
    if (!params.every((p) => ROOT_PLAIN.has(p.kind) && p.validateSettings === undefined && p.validateFn === undefined)) continue;
    const argsClass = params.find((p) => p.kind === 'args')?.getType?.();
    if (argsClass !== undefined && !plainDataClass(argsClass)) continue;
    const field = queryType?.getFields()[meta.schemaName];
    if (!field?.resolve || lean.has(field.resolve)) continue;
    const seen = new Set<string>();
    if (!field.args.every((a) => plainInput(a.type, seen))) continue;
    const instance = new meta.target();
    const method = instance[meta.methodName];
    if (typeof method !== 'function') continue;
    const pick = params.map(picker);
    const direct: GraphQLFieldResolver<unknown, Record<string, unknown>> = (root, args, context, info) =>
      method.apply(
        instance,
        pick.map((get) => get(root, args, context, info)),
      );
    lean.add(direct);
    field.resolve = direct;
    replaced.push(`Query.${meta.schemaName}`);
  }
  return replaced;
}
