import { useService } from './helpers/fixture';

// A mutation's answer is the state after it, and after every write before it in the same operation:
// for each kind of mutation, an operation whose earlier mutation has read (and so cached) the very
// relation the later one's payload shows. And a write that changes nothing leaves the version and the
// audit history as they were.

const service = useService({ keyNames: { admin: 'Payload editor' } });

/** Runs an operation with the ADMIN key; fails on any error. */
const run = (document: string, variables?: Record<string, unknown>): Promise<any> => service.query(document, variables, { key: service.keys.admin });

async function node(type: 'studio' | 'film' | 'producer' | 'deal', slug: string): Promise<{ id: string; version: number }> {
  if (type === 'deal') {
    const { deals } = await run('{ deals(first: 100) { nodes { id slug version } } }');
    const { id, version } = deals.nodes.find((d: { slug: string }) => d.slug === slug);
    return { id, version };
  }
  return (await run(`{ x: ${type}(slug: "${slug}") { id version } }`)).x;
}

const slugs = (connection: { nodes: { slug: string }[] }) => connection.nodes.map((n) => n.slug).sort();

test('attachStudioCredit: the second credit sees the first (the case reported)', async () => {
  const data = await run(`mutation {
    a: attachStudioCredit(film: "steel-soldiers", studio: "amblin-partners", role: DISTRIBUTION) { film { studios { edges { node { slug } } } } }
    b: attachStudioCredit(film: "steel-soldiers", studio: "wanda-film", role: DISTRIBUTION) { film { studios { edges { node { slug } } } } }
  }`);
  expect(data.b.film.studios.edges.map((e: { node: { slug: string } }) => e.node.slug).sort()).toEqual(['alibaba-pictures', 'amblin-partners', 'stx-entertainment', 'wanda-film']);
});

test('detachStudioCredit and attachProducerCredit / detachProducerCredit: each sees the one before', async () => {
  const data = await run(`mutation {
    a: attachProducerCredit(film: "teenage-mutant-ninja-turtles-out-of-the-shadows", producer: "steven-spielberg", role: PRODUCER) { film { producers { nodes { slug } } } }
    b: attachProducerCredit(film: "teenage-mutant-ninja-turtles-out-of-the-shadows", producer: "robert-zemeckis", role: PRODUCER) { film { producers { nodes { slug } } } }
    c: detachProducerCredit(film: "teenage-mutant-ninja-turtles-out-of-the-shadows", producer: "steven-spielberg", role: PRODUCER) { film { producers { nodes { slug } } } }
    d: detachStudioCredit(film: "steel-soldiers", studio: "wanda-film", role: DISTRIBUTION) { film { studios { nodes { slug } } } }
    e: detachStudioCredit(film: "steel-soldiers", studio: "amblin-partners", role: DISTRIBUTION) { film { studios { nodes { slug } } } }
  }`);
  expect(slugs(data.b.film.producers)).toEqual(['robert-zemeckis', 'steven-spielberg']);
  expect(slugs(data.c.film.producers)).toEqual(['robert-zemeckis']);
  expect(slugs(data.e.film.studios)).toEqual(['alibaba-pictures', 'stx-entertainment']);
});

test('createStudio and updateStudio: a parent lists the subsidiaries made and moved before', async () => {
  const wanda = await node('studio', 'wanda-film');
  const data = await run(
    `mutation ($wanda: ID!, $v: Int!) {
      a: createStudio(input: { name: "Payload Sub One", kind: STUDIO, parent: "amblin-partners" }) { studio { parent { subsidiaries { nodes { slug } } } } }
      b: createStudio(input: { name: "Payload Sub Two", kind: STUDIO, parent: "amblin-partners" }) { studio { parent { subsidiaries { nodes { slug } } } } }
      c: updateStudio(id: $wanda, expectedVersion: $v, input: { parent: "amblin-partners" }) { studio { parent { subsidiaries { nodes { slug } } } } }
    }`,
    { wanda: wanda.id, v: wanda.version },
  );
  expect(slugs(data.b.studio.parent.subsidiaries)).toEqual(['payload-sub-one', 'payload-sub-two']);
  expect(slugs(data.c.studio.parent.subsidiaries)).toEqual(['payload-sub-one', 'payload-sub-two', 'wanda-film']);
});

test('deleteStudio: what comes after no longer sees the deleted studio', async () => {
  const doomed = (await run('mutation { createStudio(input: { name: "Payload Doomed", kind: STUDIO }) { studio { id version } } }')).createStudio.studio;
  const data = await run(
    `mutation ($id: ID!, $v: Int!) {
      a: attachStudioCredit(film: "back-to-the-future", studio: "payload-doomed", role: PRODUCTION) { film { studios { nodes { slug } } } }
      b: deleteStudio(id: $id, expectedVersion: $v, cascade: true) { deletedId }
      c: attachStudioCredit(film: "back-to-the-future", studio: "amblin-partners", role: PRODUCTION) { film { studios { nodes { slug } } } }
    }`,
    { id: doomed.id, v: doomed.version },
  );
  expect(slugs(data.a.film.studios)).toContain('payload-doomed');
  expect(slugs(data.c.film.studios)).toEqual(['amblin-partners']);
});

test('createProducer, updateProducer and deleteProducer: a studio lists its producers as they now are', async () => {
  const zemeckis = await node('producer', 'robert-zemeckis');
  const doomed = (await run('mutation { createProducer(input: { name: "Payload Doomed Producer", affiliations: [{ studio: "stx-entertainment" }] }) { producer { id version } } }')).createProducer
    .producer;
  const data = await run(
    `mutation ($z: ID!, $zv: Int!, $doomed: ID!, $dv: Int!) {
      a: createProducer(input: { name: "Payload Producer", affiliations: [{ studio: "stx-entertainment" }] }) { producer { studios { nodes { producers { nodes { slug } } } } } }
      b: updateProducer(id: $z, expectedVersion: $zv, input: { affiliations: [{ studio: "stx-entertainment", title: "Partner" }] }) { producer { studios { nodes { producers { nodes { slug } } } } } }
      c: deleteProducer(id: $doomed, expectedVersion: $dv, cascade: true) { deletedId }
      d: createProducer(input: { name: "Payload Producer Two", affiliations: [{ studio: "stx-entertainment" }] }) { producer { studios { nodes { producers { nodes { slug } } } } } }
    }`,
    { z: zemeckis.id, zv: zemeckis.version, doomed: doomed.id, dv: doomed.version },
  );
  expect(slugs(data.a.producer.studios.nodes[0].producers)).toEqual(['payload-doomed-producer', 'payload-producer']);
  expect(slugs(data.b.producer.studios.nodes[0].producers)).toEqual(['payload-doomed-producer', 'payload-producer', 'robert-zemeckis']);
  expect(slugs(data.d.producer.studios.nodes[0].producers)).toEqual(['payload-producer', 'payload-producer-two', 'robert-zemeckis']);
});

test('createFilm, updateFilm and deleteFilm: a studio lists its films as they now are', async () => {
  const doomed = (await run('mutation { createFilm(input: { title: "Payload Doomed Film", status: ANNOUNCED, studios: [{ studio: "wanda-film", role: PRODUCTION }] }) { film { id version } } }'))
    .createFilm.film;
  const gump = await node('film', 'forrest-gump');
  const filmsOfWanda = '{ film { studios { nodes { films(first: 50) { nodes { slug } } } } } }';
  const data = await run(
    `mutation ($doomed: ID!, $dv: Int!, $gump: ID!, $gv: Int!) {
      a: createFilm(input: { title: "Payload Film", status: ANNOUNCED, studios: [{ studio: "wanda-film", role: PRODUCTION }] }) ${filmsOfWanda}
      b: updateFilm(id: $gump, expectedVersion: $gv, input: { studios: [{ studio: "wanda-film", role: DISTRIBUTION }] }) ${filmsOfWanda}
      c: deleteFilm(id: $doomed, expectedVersion: $dv) { deletedId }
      d: createFilm(input: { title: "Payload Film Two", status: ANNOUNCED, studios: [{ studio: "wanda-film", role: PRODUCTION }] }) ${filmsOfWanda}
    }`,
    { doomed: doomed.id, dv: doomed.version, gump: gump.id, gv: gump.version },
  );
  expect(slugs(data.a.film.studios.nodes[0].films)).toEqual(['payload-doomed-film', 'payload-film']);
  expect(slugs(data.b.film.studios.nodes[0].films)).toEqual(['forrest-gump', 'payload-doomed-film', 'payload-film']);
  expect(slugs(data.d.film.studios.nodes[0].films)).toEqual(['forrest-gump', 'payload-film', 'payload-film-two']);
});

test('createDeal, updateDeal and deleteDeal: a party lists its deals as they now are', async () => {
  const parties = '[{ studio: "stx-entertainment", role: PARTNER }, { studio: "wanda-film", role: PARTNER }]';
  const doomed = (await run(`mutation { createDeal(input: { title: "Payload Doomed Deal", kind: PARTNERSHIP, parties: ${parties} }) { deal { id version } } }`)).createDeal.deal;
  const stake = await node('deal', 'alibaba-group-wanda-film-stake-2018');
  const dealsOfWanda = '{ deal { parties { studio { slug deals(first: 50) { nodes { slug } } } } } }';
  const data = await run(
    `mutation ($doomed: ID!, $dv: Int!, $stake: ID!, $sv: Int!) {
      a: createDeal(input: { title: "Payload Deal", kind: PARTNERSHIP, parties: ${parties} }) ${dealsOfWanda}
      b: updateDeal(id: $stake, expectedVersion: $sv, input: { summary: "Updated in the same operation." }) ${dealsOfWanda}
      c: deleteDeal(id: $doomed, expectedVersion: $dv) { deletedId }
      d: createDeal(input: { title: "Payload Deal Two", kind: PARTNERSHIP, parties: ${parties} }) ${dealsOfWanda}
    }`,
    { doomed: doomed.id, dv: doomed.version, stake: stake.id, sv: stake.version },
  );
  const wandaDeals = (payload: any) => slugs(payload.deal.parties.find((p: { studio: { slug: string } }) => p.studio.slug === 'wanda-film').studio.deals);
  expect(wandaDeals(data.a)).toEqual(expect.arrayContaining(['payload-deal', 'payload-doomed-deal']));
  expect(wandaDeals(data.b)).toEqual(expect.arrayContaining(['payload-deal', 'payload-doomed-deal']));
  expect(wandaDeals(data.d)).toEqual(expect.arrayContaining(['payload-deal', 'payload-deal-two']));
  expect(wandaDeals(data.d)).not.toContain('payload-doomed-deal');
});

test('createApiKey and revokeApiKey: the revocation sees the key made just before', async () => {
  const data = await run(`mutation {
    a: createApiKey(name: "Payload key", role: VIEWER) { apiKey { name revokedAt } }
    b: revokeApiKey(name: "Payload key") { name revokedAt }
  }`);
  expect(data.a.apiKey).toEqual({ name: 'Payload key', revokedAt: null });
  expect(data.b).toEqual({ name: 'Payload key', revokedAt: expect.any(String) });
});

describe('a write that changes nothing leaves the version and the audit history alone', () => {
  async function auditCount(id: string): Promise<number> {
    return (await run('query ($id: ID!) { auditLog(entityId: $id) { totalCount } }', { id })).auditLog.totalCount;
  }

  test('attaching a credit that exists, twenty times', async () => {
    const film = await node('film', 'star-trek-beyond');
    await run('mutation { attachStudioCredit(film: "star-trek-beyond", studio: "alibaba-pictures", role: FINANCING) { film { version } } }');
    const after = await node('film', 'star-trek-beyond');
    const entries = await auditCount(film.id);
    for (let i = 0; i < 20; i++) {
      const again = await run('mutation { attachStudioCredit(film: "star-trek-beyond", studio: "alibaba-pictures", role: FINANCING) { film { version } } }');
      expect(again.attachStudioCredit.film.version).toBe(after.version);
    }
    expect(await node('film', 'star-trek-beyond')).toEqual(after);
    expect(await auditCount(film.id)).toBe(entries);
    // Detaching one that is not there changes nothing either.
    await run('mutation { detachStudioCredit(film: "star-trek-beyond", studio: "wanda-film", role: FINANCING) { film { version } } }');
    expect(await node('film', 'star-trek-beyond')).toEqual(after);
  });

  test('an update to the values a studio already has; then a real change moves the version once', async () => {
    const stx = await node('studio', 'stx-entertainment');
    const same = await run('mutation ($id: ID!, $v: Int!) { updateStudio(id: $id, expectedVersion: $v, input: { headquarters: "Burbank" }) { studio { version headquarters } } }', {
      id: stx.id,
      v: stx.version,
    });
    const first = same.updateStudio.studio;
    const again = await run('mutation ($id: ID!, $v: Int!) { updateStudio(id: $id, expectedVersion: $v, input: { headquarters: "Burbank" }) { studio { version headquarters } } }', {
      id: stx.id,
      v: first.version,
    });
    expect(again.updateStudio.studio).toEqual(first);
    const entries = await auditCount(stx.id);
    const changed = await run('mutation ($id: ID!, $v: Int!) { updateStudio(id: $id, expectedVersion: $v, input: { headquarters: "Los Angeles" }) { studio { version headquarters } } }', {
      id: stx.id,
      v: first.version,
    });
    expect(changed.updateStudio.studio).toEqual({ version: first.version + 1, headquarters: 'Los Angeles' });
    expect(await auditCount(stx.id)).toBe(entries + 1);
  });
});
