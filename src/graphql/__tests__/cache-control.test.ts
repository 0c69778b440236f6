import { buildSchema, type OperationDefinitionNode, parse } from 'graphql';
import { cacheControlHeader, cachePolicy } from '../cache-control';

// The policy is computed from the operation and the schema's hints alone: a schema written in SDL
// here, so that each rule is seen on its own.
const schema = buildSchema(`
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION

  type Query {
    studio: Studio
    stats: [Stat!]! @cacheControl(maxAge: 300)
    me: Account
    count: Int
    node: Node
  }
  type Mutation { touch: Int }
  interface Node { id: ID! }
  type Studio implements Node { id: ID! name: String deals: [Deal!]! films: [Film!]! }
  type Deal implements Node @cacheControl(maxAge: 30) { id: ID! value: Int secret: String @cacheControl(scope: PRIVATE) }
  type Film implements Node { id: ID! title: String }
  type Stat { year: Int count: Int }
  type Account @cacheControl(maxAge: 0, scope: PRIVATE) { name: String }
`);

function policyOf(source: string, defaultMaxAge = 60) {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  return cachePolicy(schema, document, operation, defaultMaxAge);
}

test('a root field without a hint gets the default; nested fields without one inherit', () => {
  expect(policyOf('{ studio { name films { title } } }')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
  expect(policyOf('{ count }')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
});

test('a hint on the field or on the type it returns applies, and the shortest time wins', () => {
  expect(policyOf('{ stats { year count } }')).toEqual({ maxAge: 300, scope: 'PUBLIC' });
  expect(policyOf('{ studio { deals { value } } }')).toEqual({ maxAge: 30, scope: 'PUBLIC' });
  expect(policyOf('{ stats { count } studio { deals { id } } }')).toEqual({ maxAge: 30, scope: 'PUBLIC' });
});

test('a PRIVATE hint anywhere makes the whole answer private', () => {
  expect(policyOf('{ studio { deals { secret } } }')).toEqual({ maxAge: 30, scope: 'PRIVATE' });
  expect(policyOf('{ me { name } stats { count } }')).toEqual({ maxAge: 0, scope: 'PRIVATE' });
});

test('fields reached through fragments and inline fragments count, on the type they name', () => {
  expect(policyOf('{ studio { ... on Studio { deals { value } } } }')).toEqual({ maxAge: 30, scope: 'PUBLIC' });
  // An interface without a hint: whichever object type comes back, the strictest of them.
  expect(policyOf('{ node { id } }')).toEqual({ maxAge: 30, scope: 'PUBLIC' });
  expect(policyOf('{ studio { ...S } } fragment S on Studio { deals { ...D } } fragment D on Deal { secret }')).toEqual({ maxAge: 30, scope: 'PRIVATE' });
  // Spread twice into the same type: walked once, the same answer.
  expect(policyOf('{ studio { ...S ...S } } fragment S on Studio { films { title } }')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
});

test('introspection is cached for the default time; mutations never', () => {
  expect(policyOf('{ __schema { queryType { name } } }')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
  expect(policyOf('mutation { touch }')).toBeUndefined();
  expect(policyOf('{ studio { name } }', 0)).toEqual({ maxAge: 0, scope: 'PUBLIC' });
});

test('the header: public or private, max-age or no-cache, no-store without a policy', () => {
  expect(cacheControlHeader({ maxAge: 60, scope: 'PUBLIC' }, false)).toBe('public, max-age=60');
  expect(cacheControlHeader({ maxAge: 60, scope: 'PUBLIC' }, true)).toBe('private, max-age=60');
  expect(cacheControlHeader({ maxAge: 30, scope: 'PRIVATE' }, false)).toBe('private, max-age=30');
  expect(cacheControlHeader({ maxAge: 0, scope: 'PUBLIC' }, false)).toBe('public, no-cache');
  expect(cacheControlHeader(undefined, false)).toBe('no-store');
});
