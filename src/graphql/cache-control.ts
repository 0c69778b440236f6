import { Directive } from 'type-graphql';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getDirectiveValues,
  getNamedType,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLInt,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLSchema,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  DirectiveLocation,
} from 'graphql';

/**
 * How long an answer may be cached, from `@cacheControl` hints on types and fields (Apollo's
 * directive): a field's hint, else the hint on the type it returns, else its parent's (as Apollo's
 * `inheritMaxAge`), and for a root field without either the default. An answer may be cached as long
 * as the shortest of the times of the fields it reads, and is `PRIVATE` if any of them is.
 *
 * Computed from the operation alone, before it runs (so it holds whichever way it is executed, see
 * src/execution), and once per parsed document.
 */

export const CacheControlScope = new GraphQLEnumType({
  name: 'CacheControlScope',
  description: 'Who may keep a cached answer: any cache (PUBLIC), or only the caller\'s own (PRIVATE).',
  values: {
    PUBLIC: { description: 'Shared caches (CDNs, proxies) may keep the answer.' },
    PRIVATE: { description: 'Only the caller\'s own cache (its browser) may keep the answer.' },
  },
});

export const cacheControlDirective = new GraphQLDirective({
  name: 'cacheControl',
  description: 'How long answers that read this type or field may be cached, and by whom. The answer\'s Cache-Control header takes the shortest time of everything it reads.',
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE, DirectiveLocation.UNION],
  args: {
    maxAge: { type: GraphQLInt, description: 'Seconds an answer may be reused; 0: it must be asked again every time.' },
    scope: { type: CacheControlScope, description: 'PRIVATE: only the caller\'s own cache may keep it.' },
  },
});

export interface CachePolicy {
  maxAge: number;
  scope: 'PUBLIC' | 'PRIVATE';
}

interface Hint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}

const NO_HINT: Hint = {};

function hintOf(node: { astNode?: unknown } | undefined): Hint {
  const astNode = node?.astNode as Parameters<typeof getDirectiveValues>[1] | undefined;
  if (!astNode?.directives?.length) return NO_HINT;
  return (getDirectiveValues(cacheControlDirective, astNode) as Hint | undefined) ?? NO_HINT;
}

/**
 * The policy of an operation, or undefined when its answer must never be stored (a mutation or a
 * subscription). `defaultMaxAge` is what a field returning an object gets without a hint.
 */
export function cachePolicy(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, defaultMaxAge: number): CachePolicy | undefined {
  if (operation.operation !== 'query') return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const policy: CachePolicy = { maxAge: Infinity, scope: 'PUBLIC' };
  const apply = (hint: Hint, fallback: number | undefined) => {
    const maxAge = hint.maxAge ?? fallback;
    if (maxAge !== undefined) policy.maxAge = Math.min(policy.maxAge, maxAge);
    if (hint.scope === 'PRIVATE') policy.scope = 'PRIVATE';
  };
  // A fragment is walked once per type it is spread into.
  const walked = new Set<string>();
  const walk = (type: GraphQLCompositeType, selectionSet: SelectionSetNode, root: boolean) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        walkField(type, selection, root);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const narrowed = narrow(schema, type, selection.typeCondition?.name.value);
        if (narrowed !== type) apply(typeHintOf(schema, narrowed), undefined);
        walk(narrowed, selection.selectionSet, root);
      } else {
        const fragment = fragments.get(selection.name.value);
        const key = `${selection.name.value}@${type.name}`;
        if (!fragment || walked.has(key)) continue;
        walked.add(key);
        const narrowed = narrow(schema, type, fragment.typeCondition.name.value);
        if (narrowed !== type) apply(typeHintOf(schema, narrowed), undefined);
        walk(narrowed, fragment.selectionSet, root);
      }
    }
  };
  const walkField = (parent: GraphQLCompositeType, field: FieldNode, root: boolean) => {
    const name = field.name.value;
    if (name === '__typename') return;
    const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    if (!definition) {
      // __schema and __type: the schema, which changes only with a deployment.
      if (root) apply(NO_HINT, defaultMaxAge);
      return;
    }
    const returned: GraphQLNamedType = getNamedType(definition.type);
    const fieldHint = hintOf(definition);
    const composite = isCompositeType(returned);
    const typeHint = composite ? typeHintOf(schema, returned) : NO_HINT;
    apply({ maxAge: fieldHint.maxAge ?? typeHint.maxAge, scope: fieldHint.scope ?? typeHint.scope }, root ? defaultMaxAge : undefined);
    if (composite && field.selectionSet) walk(returned, field.selectionSet, false);
  };
  walk(schema.getQueryType()!, operation.selectionSet, true);
  return { maxAge: policy.maxAge === Infinity ? defaultMaxAge : policy.maxAge, scope: policy.scope };
}

/**
 * The hint of a type; for an interface or union without one of its own, the strictest of its
 * object types' (which one is returned is known only at run time).
 */
function typeHintOf(schema: GraphQLSchema, type: GraphQLCompositeType): Hint {
  const own = hintOf(type);
  if (isObjectType(type) || own !== NO_HINT) return own;
  const hints = schema.getPossibleTypes(type).map(hintOf);
  const ages = hints.map((h) => h.maxAge).filter((age): age is number => age !== undefined);
  return { maxAge: ages.length ? Math.min(...ages) : undefined, scope: hints.some((h) => h.scope === 'PRIVATE') ? 'PRIVATE' : undefined };
}

function narrow(schema: GraphQLSchema, type: GraphQLCompositeType, condition: string | undefined): GraphQLCompositeType {
  if (!condition) return type;
  const named = schema.getType(condition);
  return named && isCompositeType(named) ? named : type;
}

/** The Cache-Control header of an answer. `keyed`: the request carried an API key. */
export function cacheControlHeader(policy: CachePolicy | undefined, keyed: boolean): string {
  if (!policy) return 'no-store';
  const scope = keyed || policy.scope === 'PRIVATE' ? 'private' : 'public';
  return policy.maxAge > 0 ? `${scope}, max-age=${policy.maxAge}` : `${scope}, no-cache`;
}

/** A `@cacheControl` hint on a type (class) or a field, as type-graphql writes it into the schema. */
export function CacheHint(hint: Hint): ReturnType<typeof Directive> {
  const args = [hint.maxAge !== undefined ? `maxAge: ${hint.maxAge}` : undefined, hint.scope ? `scope: ${hint.scope}` : undefined].filter(Boolean);
  return Directive(`@cacheControl(${args.join(', ')})`);
}
