import fs from 'node:fs/promises';
import path from 'node:path';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { buildAppSchema, printAppSchema } from '../src/app/schema';

// The committed SDL is the contract clients and docs depend on; it must be what the code serves,
// and every element of it must explain itself in the playground's docs pane.

test('schema/schema.graphql is the SDL the code emits (run `npm run schema` after changing the API)', async () => {
  const committed = await fs.readFile(path.join(__dirname, '..', 'schema', 'schema.graphql'), 'utf8');
  expect(committed).toBe(await printAppSchema());
});

function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const need = (where: string, description: string | null | undefined) => {
    if (!description || !description.trim()) missing.push(where);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    need(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        need(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) need(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) need(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) need(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing;
}

test('every type, field, argument, input field and enum value has a description', async () => {
  expect(undocumented(await buildAppSchema())).toEqual([]);
});

test('the root fields and types named by the API contract exist', async () => {
  const schema = await buildAppSchema();
  const fieldsOf = (name: string) => Object.keys((schema.getType(name) as { getFields(): object }).getFields()).sort();
  expect(fieldsOf('Query')).toEqual(expect.arrayContaining(['deal', 'deals', 'film', 'films', 'node', 'nodes', 'producer', 'producers', 'studio', 'studios']));
  expect(fieldsOf('PageInfo')).toEqual(['endCursor', 'hasNextPage', 'hasPreviousPage', 'startCursor']);
  expect(fieldsOf('StudioConnection')).toEqual(['edges', 'nodes', 'pageInfo', 'totalCount']);
  for (const type of ['Studio', 'Producer', 'Film', 'Deal']) {
    expect((schema.getType(type) as GraphQLObjectType).getInterfaces().map((i) => i.name)).toEqual(['Node']);
  }
  expect(fieldsOf('Studio')).toEqual(
    expect.arrayContaining(['parent', 'subsidiaries', 'films', 'producers', 'deals', 'partners']),
  );
  expect(fieldsOf('Deal')).toEqual(expect.arrayContaining(['parties', 'films', 'value', 'valueUsd', 'stakePercent', 'sources', 'announcedOn', 'announcedOnPrecision']));
});
