import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLInputField,
} from 'graphql';
import { toGlobalId } from '../src/graphql/ids';
import { useService } from './helpers/fixture';

// Property-based: every String and ID argument and input field of the committed schema, fed strings
// that break naive services (NUL, lone surrogates, control characters, 10,000 characters, SQL and
// LIKE metacharacters, any Unicode). No answer may be an internal error or a 5xx. A fixed seed and a
// bounded number of runs per slot keep it repeatable and quick; FC_SEED overrides the seed.

const SEED = Number(process.env.FC_SEED ?? 20261207);
const RUNS_PER_SLOT = 12;

const service = useService();
const schema: GraphQLSchema = buildSchema(fs.readFileSync(path.join(__dirname, '..', 'schema', 'schema.graphql'), 'utf8'));

/** One place a generated string goes: a root field, the argument, and the path inside it. */
interface Slot {
  root: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  argument: GraphQLArgument;
  /** Input-field names from the argument down to the string (a list element is `[]`). */
  path: string[];
}

const isText = (type: GraphQLInputType) => {
  const named = getNamedType(type);
  return isScalarType(named) && (named.name === 'String' || named.name === 'ID');
};

/** The String/ID places under an input type, at most `depth` input objects down (filters nest and/or/not). */
function textPaths(type: GraphQLInputType, depth: number, seen: string[]): string[][] {
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  if (isListType(unwrapped)) return textPaths(unwrapped.ofType, depth, seen).map((p) => ['[]', ...p]);
  if (isText(unwrapped)) return [[]];
  if (!isInputObjectType(unwrapped) || depth === 0 || seen.includes(unwrapped.name)) return [];
  return Object.values(unwrapped.getFields()).flatMap((f: GraphQLInputField) => textPaths(f.type, depth - 1, [...seen, unwrapped.name]).map((p) => [f.name, ...p]));
}

function slots(): Slot[] {
  const found: Slot[] = [];
  for (const root of ['query', 'mutation'] as const) {
    const type = root === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
    for (const field of Object.values(type.getFields())) {
      for (const argument of field.args) {
        for (const p of textPaths(argument.type, 3, [])) found.push({ root, field, argument, path: p });
      }
    }
  }
  return found;
}

/** The node type a mutation works on, from its payload's name (FilmPayload -> Film). */
const NODE_TYPES = ['Studio', 'Producer', 'Film', 'Deal'] as const;
function nodeTypeOf(field: GraphQLField<unknown, unknown>): (typeof NODE_TYPES)[number] | undefined {
  const returned = getNamedType(field.type).name;
  return NODE_TYPES.find((t) => returned.startsWith(t) || field.name.endsWith(t));
}

/** A valid-looking value for a required input of `type`, so that the request reaches the string under test. */
function filler(type: GraphQLInputType, name: string, nodeType: string | undefined): unknown {
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  if (isListType(unwrapped)) return [filler(unwrapped.ofType, name, nodeType)];
  if (isEnumType(unwrapped)) return unwrapped.getValues()[0].value;
  if (isInputObjectType(unwrapped)) {
    const value: Record<string, unknown> = {};
    for (const f of Object.values(unwrapped.getFields())) if (isNonNullType(f.type) && f.defaultValue === undefined) value[f.name] = filler(f.type, f.name, nodeType);
    return value;
  }
  switch (getNamedType(unwrapped).name) {
    case 'Int':
      return 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return false;
    case 'ID':
      return toGlobalId((nodeType as 'Studio') ?? 'Studio', 1);
    case 'Date':
      return '2018-02-07';
    case 'DateTime':
      return '2018-02-07T22:48:00Z';
    case 'Decimal':
      return '7.66';
    case 'JSON':
      return {};
    default:
      return /studio|from|to|film|producer|slug/i.test(name) ? 'alibaba-pictures' : 'Steel Soldiers';
  }
}

/** Puts `text` at `path` inside `value` (made from the argument's type), creating what is missing. */
function place(type: GraphQLInputType, p: string[], text: string, nodeType: string | undefined): unknown {
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  if (p.length === 0) return text;
  if (p[0] === '[]' && isListType(unwrapped)) return [place(unwrapped.ofType, p.slice(1), text, nodeType)];
  if (!isInputObjectType(unwrapped)) throw new Error(`no input object at ${p.join('.')}`);
  const value = (filler(unwrapped, '', nodeType) ?? {}) as Record<string, unknown>;
  const field = unwrapped.getFields()[p[0]];
  value[p[0]] = place(field.type, p.slice(1), text, nodeType);
  return value;
}

/** The operation for a slot: every argument a variable, the slot's argument holding `text`. */
function operation(slot: Slot, text: string): { query: string; variables: Record<string, unknown> } {
  const nodeType = nodeTypeOf(slot.field);
  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  const args: string[] = [];
  for (const argument of slot.field.args) {
    const required = isNonNullType(argument.type) && argument.defaultValue === undefined;
    if (argument !== slot.argument && !required) continue;
    variables[argument.name] = argument === slot.argument ? place(argument.type, slot.path, text, nodeType) : filler(argument.type, argument.name, nodeType);
    definitions.push(`$${argument.name}: ${argument.type.toString()}`);
    args.push(`${argument.name}: $${argument.name}`);
  }
  const returned = getNamedType(slot.field.type);
  const selection = isObjectType(returned) || !isScalarType(returned) && !isEnumType(returned) ? ' { __typename }' : '';
  return {
    query: `${slot.root} (${definitions.join(', ')}) { ${slot.field.name}(${args.join(', ')})${selection} }`,
    variables,
  };
}

/** Strings that break naive services, and anything else Unicode allows. */
const hostile = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\ud83d', 'é\u0001\u0007\u001f\u007f', "'; DROP TABLE studio; --", '%', '_', '\\', '%_\\%', '"', '', ' '),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', 'a', '%', "'", '\\', '\n'), maxLength: 20 }),
  fc.integer({ min: 201, max: 10_000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);

const all = slots();

test('the schema has the String and ID inputs this test walks', () => {
  // A guard against walking nothing: the service takes text in dozens of places.
  expect(all.length).toBeGreaterThan(40);
  expect(all.some((s) => s.field.name === 'search')).toBe(true);
  expect(all.some((s) => s.root === 'mutation' && s.path.length > 0)).toBe(true);
});

test.each(all.map((slot) => [`${slot.root} ${slot.field.name}(${[slot.argument.name, ...slot.path].join('.')})`, slot] as const))(
  '%s: no text is answered with an internal error or a 5xx',
  async (_name, slot) => {
    await fc.assert(
      fc.asyncProperty(hostile, async (text) => {
        const { query, variables } = operation(slot, text);
        const result = await service.gql(query, variables, { key: service.keys.admin });
        const internal = (result.body.errors ?? []).filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' || !e.extensions?.code);
        if (result.status >= 500 || internal.length) {
          throw new Error(`${result.status} for ${JSON.stringify(text).slice(0, 120)}: ${JSON.stringify(result.body.errors).slice(0, 600)}`);
        }
        // What was refused for its text says so, naming where it was.
        if (text.includes('\u0000')) {
          expect(result.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
        }
        // A message quotes at most 100 characters of the input.
        for (const error of result.body.errors ?? []) expect(error.message).not.toContain('x'.repeat(101));
      }),
      { seed: SEED, numRuns: RUNS_PER_SLOT, endOnFailure: true },
    );
  },
);

// The request's own text: an operation name the document does not define (or a hostile one, or not
// a string at all) is the client's mistake, answered with a 400 that says so.
test('no operationName is answered with an internal error or a 5xx', async () => {
  const documents = ['query A { studios(first: 1) { totalCount } }', 'query A { studios(first: 1) { totalCount } } query B { films(first: 1) { totalCount } }', '{ studios(first: 1) { totalCount } }'];
  const names = fc.oneof(hostile, fc.constantFrom('A', 'B', 'IntrospectionQuery'), fc.constant(undefined));
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...documents), names, async (query, operationName) => {
      const result = await service.gql(query, undefined, { operationName });
      if (result.status >= 500 || (result.body.errors ?? []).some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) {
        throw new Error(`${result.status} for operationName ${JSON.stringify(operationName)?.slice(0, 120)}: ${JSON.stringify(result.body.errors).slice(0, 600)}`);
      }
      if (result.status !== 200) expect(result.status).toBe(400);
    }),
    { seed: SEED, numRuns: 60, endOnFailure: true },
  );
  for (const operationName of [5, { name: 'A' }, ['A'], true]) {
    const response = await fetch(`${service.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: documents[0], operationName }) });
    expect(response.status).toBe(400);
  }
});
