import { useService } from './helpers/fixture';
import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse } from 'graphql';
import { gql } from './helpers/server';

// The example operations shown by the README and opened by the playground are code: each one runs
// against the seeded database without errors, and its answer is pinned in a snapshot.

const service = useService();

const file = path.join(__dirname, '..', 'schema', 'examples.graphql');
const document = fs.readFileSync(file, 'utf8');
const names = parse(document).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : []));

test('the examples file names every operation', () => {
  expect(names.length).toBeGreaterThanOrEqual(8);
  expect(new Set(names).size).toBe(names.length);
});

test.each(names)('example %s runs without errors', async (operationName) => {
  const result = await gql(service.url, document, {}, { operationName });
  expect(result.status).toBe(200);
  expect(result.body.errors).toBeUndefined();
  expect(result.body.data).toMatchSnapshot();
});
