import { getNamedType, isEnumType, isInputObjectType, isObjectType, isScalarType, type GraphQLField, type GraphQLFieldResolver, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/**
 * type-graphql wraps every field resolver in a function that, on each call, sorts the method's
 * parameter list, builds an instance of the arguments class field by field, converts the parent and
 * runs the middleware chain: 4-5% of the CPU of a 100-film query, whose nested connections resolve
 * once per film. For the plainest field resolvers that work is the identity, so they are called
 * directly instead: a resolver class's method (not a getter of an object type) with no roles (no
 * authorization) and no middlewares, whose parameters are only @Root, @Ctx, @Info, @Args and @Arg
 * without validation, and whose input classes (arguments class included) are plain data: no methods
 * or accessors, no property initializers. The method then reads the same properties from graphql's
 * plain argument objects that it would from type-graphql's instances. A parent that is not already an
 * instance of the root class, should one ever come, goes through type-graphql's own wrapper as before.
 *
 * Root queries qualify the same way: they run once per request, but their wrapper turns every filter
 * and ordering into instances of its classes, recursively (~5% of the CPU of a filtered list).
 * Mutations keep the wrapper.
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

/** What type-graphql records of a resolver method: a root query or a field resolver. */
interface ResolverMeta {
  target: new () => Record<string, (...params: unknown[]) => unknown>;
  methodName: string;
  schemaName: string;
  roles?: unknown[];
  middlewares: unknown[];
  params: ParamMeta[];
}

interface FieldResolverMeta extends ResolverMeta {
  kind: 'internal' | 'external';
  getObjectType?: () => unknown;
}

type Resolver = GraphQLFieldResolver<unknown, Record<string, unknown>>;

const lean = new WeakSet<Resolver>();

/** Whether a field's resolver is one of the direct calls made here. */
export function isLeanResolver(resolve: unknown): boolean {
  return typeof resolve === 'function' && lean.has(resolve as Resolver);
}

const KINDS: ReadonlySet<string> = new Set<ParamKind>(['root', 'context', 'info', 'args', 'arg']);

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

/**
 * Replaces, in place, the resolvers that qualify (root queries and object types' field resolvers);
 * returns the fields replaced as `Type.field`.
 */
export function leanFieldResolvers(schema: GraphQLSchema): string[] {
  const storage = getMetadataStorage() as unknown as {
    queries: ResolverMeta[];
    fieldResolvers: FieldResolverMeta[];
    objectTypes: { target: unknown; name: string }[];
    inputTypes: { target: unknown; name: string }[];
  };
  const plainInput = (type: GraphQLInputType, seen: Set<string>): boolean => {
    const named = getNamedType(type);
    if (isScalarType(named) || isEnumType(named)) return true;
    if (!isInputObjectType(named)) return false;
    if (seen.has(named.name)) return true;
    seen.add(named.name);
    const meta = storage.inputTypes.find((t) => t.name === named.name);
    return plainDataClass(meta?.target) && Object.values(named.getFields()).every((f) => plainInput(f.type, seen));
  };
  /** The method called directly for `field`, or undefined when type-graphql's wrapper has work to do. */
  const directCall = (meta: ResolverMeta, field: GraphQLField<unknown, unknown> | undefined): Resolver | undefined => {
    if (!field?.resolve || lean.has(field.resolve as Resolver) || meta.roles !== undefined || meta.middlewares.length) return undefined;
    const params = [...meta.params].sort((a, b) => a.index - b.index);
    const plainParam = (p: ParamMeta) => KINDS.has(p.kind) && p.validateSettings === undefined && p.validateFn === undefined && !(p.kind === 'root' && p.propertyName);
    if (!params.every(plainParam)) return undefined;
    const argsClass = params.find((p) => p.kind === 'args')?.getType?.();
    if (argsClass !== undefined && !plainDataClass(argsClass)) return undefined;
    const seen = new Set<string>();
    if (!field.args.every((a) => plainInput(a.type, seen))) return undefined;
    const instance = new meta.target();
    const method = instance[meta.methodName];
    if (typeof method !== 'function') return undefined;
    const pick = params.map(picker);
    return (root, args, context, info) =>
      method.apply(
        instance,
        pick.map((get) => get(root, args, context, info)),
      );
  };
  const replace = (field: GraphQLField<unknown, unknown>, resolve: Resolver, name: string) => {
    lean.add(resolve);
    field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    replaced.push(name);
  };
  const replaced: string[] = [];

  const queryFields = schema.getQueryType()?.getFields() ?? {};
  for (const meta of storage.queries) {
    const field = queryFields[meta.schemaName];
    const direct = directCall(meta, field);
    if (direct) replace(field, direct, `Query.${meta.schemaName}`);
  }
  for (const meta of storage.fieldResolvers) {
    if (meta.kind !== 'external') continue;
    const RootClass = meta.getObjectType?.();
    const typeName = storage.objectTypes.find((o) => o.target === RootClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    if (!isObjectType(type) || typeof RootClass !== 'function') continue;
    const field = type.getFields()[meta.schemaName];
    const wrapped = field?.resolve as Resolver | undefined;
    const direct = directCall(meta, field);
    if (!direct || !wrapped) continue;
    // A parent that is not an instance of the root class goes through type-graphql's wrapper.
    replace(field, (root, args, context, info) => (root instanceof RootClass ? direct(root, args, context, info) : wrapped(root, args, context, info)), `${typeName}.${meta.schemaName}`);
  }
  return replaced;
}
