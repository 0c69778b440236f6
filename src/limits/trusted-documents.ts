import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { GraphQLError, Kind, parse, print, type DocumentNode, type FragmentDefinitionNode, visit } from 'graphql';

/**
 * Trusted documents: with TRUSTED_DOCUMENTS=true only the operations of a committed manifest
 * (`schema/trusted-documents.json`) run. Clients register an operation by adding it to a file in
 * `schema/operations/` and running `npm run trusted-documents`; they may then send either the
 * operation or only its hash (as an automatic persisted query). Hashes are SHA-256 of the operation
 * printed by graphql-js, so whitespace and comments do not matter.
 */

export const MANIFEST = path.join(__dirname, '..', '..', 'schema', 'trusted-documents.json');
export const OPERATION_SOURCES = [path.join(__dirname, '..', '..', 'schema', 'examples.graphql'), path.join(__dirname, '..', '..', 'schema', 'operations')];

export function documentHash(query: string): string {
  return createHash('sha256').update(print(parse(query))).digest('hex');
}

/** Each named operation of a document, printed with the fragments it uses. */
export function operationsOf(document: DocumentNode): string[] {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  return document.definitions
    .filter((d) => d.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => {
      const used = new Map<string, FragmentDefinitionNode>();
      const collect = (node: unknown) =>
        visit(node as DocumentNode, {
          FragmentSpread(spread) {
            const fragment = fragments.get(spread.name.value);
            if (fragment && !used.has(fragment.name.value)) {
              used.set(fragment.name.value, fragment);
              collect(fragment);
            }
          },
        });
      collect(operation);
      return print({ kind: Kind.DOCUMENT, definitions: [operation, ...used.values()] });
    });
}

/** The manifest built from the committed operation files: hash -> operation. */
export function buildManifest(): Record<string, string> {
  const files = OPERATION_SOURCES.flatMap((source) =>
    fs.existsSync(source) && fs.statSync(source).isDirectory()
      ? fs.readdirSync(source).filter((f) => f.endsWith('.graphql')).sort().map((f) => path.join(source, f))
      : fs.existsSync(source)
        ? [source]
        : [],
  );
  const manifest: Record<string, string> = {};
  for (const file of files) {
    for (const operation of operationsOf(parse(fs.readFileSync(file, 'utf8')))) manifest[documentHash(operation)] = operation;
  }
  return Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
}

export function loadManifest(file = MANIFEST): Map<string, string> {
  return new Map(Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>));
}

/** Apollo's persisted-query cache over the manifest: lookups by hash, never a registration. */
export function manifestCache(manifest: Map<string, string>): KeyValueCache<string> {
  return {
    async get(key: string) {
      return manifest.get(key.replace(/^apq:/, ''));
    },
    async set() {},
    async delete() {},
  };
}

/** Refuses any operation that is not in the manifest. */
export function trustedDocumentsPlugin(manifest: Map<string, string>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        // Checked once the operation is parsed and valid (Apollo lets plugins refuse a request here).
        async didResolveOperation({ source }) {
          if (!manifest.has(documentHash(source))) {
            throw new GraphQLError(
              'This service only runs registered operations, and this one is not registered. Add it to schema/operations/ and run `npm run trusted-documents`.',
              { extensions: { code: 'OPERATION_NOT_TRUSTED', http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
