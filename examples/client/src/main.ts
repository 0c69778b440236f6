import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { DealsWithDocument, type DealsWithSubscription, type DealsWithSubscriptionVariables, RecordDealDocument, WandaStakeDocument } from './gql/graphql';

// A typed client of the media graph: every operation's result and variables are TypeScript types
// generated from schema/schema.graphql (npm run client), so a schema change that breaks one of
// these operations breaks this program's build. Run against a service:
//   API_URL=http://localhost:4000/graphql API_KEY=mgk_... node examples/client/dist/main.js

const url = process.env.API_URL ?? 'http://localhost:4000/graphql';
const key = process.env.API_KEY;

/** POSTs one operation; its answer is typed by the document. */
async function request<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables: Variables, apiKey?: string): Promise<Result> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const { data, errors } = (await response.json()) as { data?: Result; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (errors?.length || !data) throw new Error(`${errors?.[0]?.extensions?.code ?? response.status}: ${errors?.[0]?.message ?? 'no data'}`);
  return data;
}

async function main(): Promise<void> {
  // A query from schema/examples.graphql: the article's stake in Wanda Film.
  const { deals } = await request(WandaStakeDocument, {});
  const stake = deals.nodes[0];
  console.log(`query: ${stake.title}: ${stake.stakePercent}% for ${stake.value?.amount} ${stake.value?.currency} (${stake.valueUsd?.amount} USD)`);

  // A subscription over WebSocket (ws: Node 20 has no WebSocket of its own).
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: key ? { authorization: `Bearer ${key}` } : {} });
  const connected = new Promise((resolve) => client.on('connected', resolve));
  const variables: DealsWithSubscriptionVariables = { kinds: ['EQUITY_STAKE'], studio: 'wanda-film' };
  const feed = client.iterate<DealsWithSubscription>({ query: print(DealsWithDocument), variables });
  const announced = feed.next();
  await connected;
  await new Promise((resolve) => setTimeout(resolve, 300));

  // A mutation with a key; the enums and the input are checked by the compiler.
  const { createDeal } = await request(
    RecordDealDocument,
    {
      input: {
        kind: 'EQUITY_STAKE',
        title: `A typed client's stake in Wanda Film (${new Date().toISOString()})`,
        stakePercent: '0.5',
        parties: [
          { studio: 'alibaba-pictures', role: 'ACQUIRER' },
          { studio: 'wanda-film', role: 'TARGET' },
        ],
      },
    },
    key,
  );
  console.log(`mutation: ${createDeal.deal.slug} with ${createDeal.deal.parties.map((p) => `${p.studio.name} (${p.role})`).join(', ')}`);

  const { value } = await announced;
  console.log(`subscription: ${value?.data?.dealAnnounced.slug} ${value?.data?.dealAnnounced.kind}`);
  await feed.return?.();
  await client.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
