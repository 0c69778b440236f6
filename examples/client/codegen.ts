import type { CodegenConfig } from '@graphql-codegen/cli';

// Types for the client's operations, from the service's committed schema: a change to the schema
// that breaks these operations fails here (documents are validated against it) or in `tsc` after.
const config: CodegenConfig = {
  schema: '../../schema/schema.graphql',
  documents: ['../../schema/examples.graphql', 'src/operations.graphql'],
  generates: {
    'src/gql/': {
      preset: 'client',
      config: {
        // The API's custom scalars as they arrive in JSON.
        scalars: { Date: 'string', DateTime: 'string', Decimal: 'string', JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
  ignoreNoDocuments: false,
};

export default config;
