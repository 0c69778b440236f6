import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type ASTVisitor,
  type DocumentNode,
  getNamedType,
  GraphQLError,
  type GraphQLSchema,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  isUnionType,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { Context } from '../graphql/context';
import type { CostBudget } from './admission';
import { DEFAULT_PAGE_SIZE } from '../graphql/connection';

/**
 * Limits on the shape of a query, checked before anything runs, each answered with its own code:
 * QUERY_TOO_DEEP, QUERY_TOO_COSTLY, TOO_MANY_ALIASES, TOO_MANY_DIRECTIVES (TOO_MANY_TOKENS and
 * TOO_MANY_OPERATIONS are enforced by the parser and the HTTP layer).
 */
export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxDirectivesPerField: number;
  maxTokens: number;
}


function limitError(code: string, message: string, limit: number, actual: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, limit, actual } });
}

/** Armor's rules report through this handler (instead of throwing out of validation) with our codes. */
const reject =
  (code: string, describe: (limit: number, actual: number) => string) =>
  (context: ValidationContext | null, error: GraphQLError) => {
    const [limit, actual] = (/limit of (\d+) exceeded, found (\d+)/.exec(error.message) ?? []).slice(1).map(Number);
    context?.reportError(limitError(code, describe(limit, actual), limit, actual));
  };

/**
 * At most `max` directives on any one field. Armor's directive rule counts them over the whole
 * document, not per field as we need: this one is ours.
 */
function maxDirectivesPerFieldRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    Field(node) {
      const count = node.directives?.length ?? 0;
      if (count > max) {
        context.reportError(
          limitError('TOO_MANY_DIRECTIVES', `The field "${node.name.value}" has ${count} directives; at most ${max} ${max === 1 ? 'is' : 'are'} allowed on one field.`, max, count),
        );
      }
    },
  });
}

/** The validation rules for depth, aliases and directives. */
export function limitRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxDepthRule({
      n: limits.maxDepth,
      propagateOnRejection: false,
      onReject: [reject('QUERY_TOO_DEEP', (limit, actual) => `The query is nested ${actual} levels deep; at most ${limit} are allowed. Split it into several queries.`)],
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [reject('TOO_MANY_ALIASES', (limit, actual) => `The query uses ${actual} aliases; at most ${limit} are allowed.`)],
    }),
    maxDirectivesPerFieldRule(limits.maxDirectivesPerField),
  ];
}

/**
 * The cost of a field: 1 for an object, 0 for a scalar, and for a connection its page size (first or
 * last, 20 by default) times the cost of what is selected under it, since that much is fetched per
 * parent. Lists that are not connections (a deal's parties, a path's steps) are short: 5 per item.
 */
const estimator: ComplexityEstimator = ({ type: parent, field, args, childComplexity }) => {
  const named = getNamedType(field.type);
  const composite = isObjectType(named) || isInterfaceType(named) || isUnionType(named);
  if (!composite) return 0;
  if (named.name.endsWith('Connection')) {
    const size = Math.min(Math.max(Number(args.first ?? args.last ?? DEFAULT_PAGE_SIZE), 0), 100);
    return 1 + size * childComplexity;
  }
  const type = isNonNullType(field.type) ? field.type.ofType : field.type;
  // A connection's edges and nodes are its page, already counted by the connection.
  if (isListType(type) && !parent.name.endsWith('Connection')) return 1 + 5 * childComplexity;
  return 1 + childComplexity;
};

/**
 * Costs already worked out, per parsed document (Apollo Server keeps one per query text, so a query
 * sent again is the same object) and per operation name and variables: walking the document with
 * the estimator was 2% of the CPU of a 100-film query. A few variants per document are kept.
 */
const costs = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, number | undefined>>>();
const VARIANTS_PER_DOCUMENT = 64;

function costOf(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined): number | undefined {
  let byDocument = costs.get(schema);
  if (!byDocument) costs.set(schema, (byDocument = new WeakMap()));
  let known = byDocument.get(document);
  if (!known) byDocument.set(document, (known = new Map()));
  const key = `${operationName ?? ''}|${JSON.stringify(variables ?? {})}`;
  if (known.has(key)) return known.get(key);
  let cost: number | undefined;
  try {
    cost = getComplexity({ schema, query: document, variables, operationName, estimators: [estimator] });
  } catch {
    // Variables that do not fit: execution reports them with a better message.
    cost = undefined;
  }
  if (known.size >= VARIANTS_PER_DOCUMENT) known.delete(known.keys().next().value!);
  known.set(key, cost);
  return cost;
}

/** The QUERY_TOO_COSTLY error for an operation whose estimated cost exceeds `maxCost`, or undefined. */
export function costError(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  maxCost: number,
): GraphQLError | undefined {
  const cost = costOf(schema, document, variables, operationName);
  if (cost === undefined || cost <= maxCost) return undefined;
  return limitError(
    'QUERY_TOO_COSTLY',
    `The query would cost ${cost} (connection page sizes multiply what is nested under them); at most ${maxCost} is allowed. Ask for smaller pages (first/last) or fewer nested lists.`,
    maxCost,
    cost,
  );
}

/**
 * Rejects an operation whose estimated cost exceeds the limit, before it runs; with a `budget`, the
 * operation then waits until its cost fits in the work in flight (admission.ts), and gives it back
 * once its answer is made.
 */
export function costLimitPlugin(schema: GraphQLSchema, maxCost: number, budget?: CostBudget): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let release: (() => void) | undefined;
      return {
        async didResolveOperation({ request, document, operation }) {
          const variables = request.variables ?? {};
          const operationName = request.operationName ?? undefined;
          const error = costError(schema, document, variables, operationName, maxCost);
          if (error) {
            (error.extensions as Record<string, unknown>).http = { status: 400 };
            throw error;
          }
          // Subscriptions are refused on HTTP before they run: nothing to hold for them.
          if (budget && operation?.operation !== 'subscription') release = await budget.acquire(costOf(schema, document, variables, operationName) ?? 1);
        },
        async willSendResponse() {
          release?.();
        },
      };
    },
  };
}
