import { createApiKey } from '../src/auth/keys';
import { Role } from '../src/auth/roles';
import { useService } from './helpers/fixture';
import { gql, startTestServer } from './helpers/server';

// Writes: validation per field, one transaction per write (nothing half-written), optimistic
// concurrency, clear constraint errors, refused deletes, API keys and roles, and the audit history.

const service = useService({ keyNames: { viewer: 'Viewer key', editor: 'Newsroom editor', admin: 'Ops admin' } });
const keys = service.keys;

interface Result {
  status: number;
  data?: any;
  errors?: Array<{ message: string; path?: unknown[]; extensions: Record<string, any> }>;
}

/** An operation sent with `key` (or none), as one object: status, data and errors. */
async function as(key: string | null, query: string, variables?: Record<string, unknown>, url = service.url): Promise<Result> {
  const { status, body } = await gql(url, query, variables, { key });
  return { status, ...(body as Omit<Result, 'status'>) };
}

async function ok(key: string, query: string, variables?: Record<string, unknown>) {
  const result = await as(key, query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors, null, 2));
  return result.data;
}

async function count(table: string): Promise<number> {
  const { rows } = await service.db.pool.query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}

async function idOf(type: 'studio' | 'film' | 'producer', slug: string): Promise<{ id: string; version: number }> {
  const data = await ok(keys.viewer, `{ x: ${type}(slug: "${slug}") { id version } }`);
  return data.x;
}

describe('validation lists every problem against its field, before anything is written', () => {
  test('a deal with many problems', async () => {
    const before = await count('deal');
    const result = await as(
      keys.editor,
      `mutation { createDeal(input: {
         kind: EQUITY_STAKE, title: "  ", slug: "Not A Slug",
         value: { amount: "-5", currency: "YUAN" }, valueUsd: "-1", stakePercent: "101",
         announcedOn: "2016-10-15", announcedOnPrecision: MONTH,
         parties: [{ studio: "alibaba-group", role: ACQUIRER }],
         sources: [{ publisher: "", title: "x", url: "ftp://example.org" }]
       }) { deal { id } } }`,
    );
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [
        { field: 'input.title', message: 'is required: give a headline for the deal' },
        { field: 'input.slug', message: 'must be lower-case words, digits and single hyphens, such as "alibaba-pictures"; got "Not A Slug"' },
        { field: 'input.value.amount', message: 'must not be negative; got -5' },
        { field: 'input.value.currency', message: 'must be an ISO 4217 currency code such as "USD" or "CNY"; got "YUAN"' },
        { field: 'input.valueUsd', message: 'must not be negative; got -1' },
        { field: 'input.stakePercent', message: 'must be between 0 and 100; got 101' },
        { field: 'input.sources[0].publisher', message: 'is required: give the publisher' },
        { field: 'input.sources[0].url', message: 'must be an http(s) URL; got "ftp://example.org"' },
        { field: 'input.parties', message: 'needs one ACQUIRER (or more) and exactly one TARGET for an EQUITY_STAKE; got 1 ACQUIRER and 0 TARGET' },
        { field: 'input.announcedOn', message: 'with MONTH precision must be the first day of the month, such as 2016-10-01' },
      ],
    });
    expect(result.errors![0].message).toMatch(/^Invalid input: input.title is required/);
    expect(await count('deal')).toBe(before);
  });

  test('a partnership needs two parties; a date that does not exist is refused with its field', async () => {
    const partnership = await as(keys.editor, 'mutation { createDeal(input: { kind: PARTNERSHIP, title: "Solo", parties: [{ studio: "wanda-film", role: PARTNER }] }) { deal { id } } }');
    expect(partnership.errors![0].extensions.fields).toEqual([{ field: 'input.parties', message: 'needs at least two parties for a PARTNERSHIP; got 1' }]);
    const date = await as(keys.editor, 'mutation ($d: Date) { createFilm(input: { title: "X", status: ANNOUNCED, releaseDate: $d }) { film { id } } }', { d: '2019-02-29' });
    expect(date.status).toBe(400);
    expect(date.errors![0].message).toContain('Date must be a calendar date written YYYY-MM-DD');
    expect(date.errors![0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'd', message: 'Date must be a calendar date written YYYY-MM-DD, such as "2018-02-07"; got "2019-02-29".' }],
    });
    const inline = await as(keys.editor, 'mutation { createFilm(input: { title: "X", status: ANNOUNCED, releaseDate: "2019-02-29" }) { film { id } } }');
    expect(inline.status).toBe(400);
    expect(inline.errors![0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argumentName: 'input.releaseDate',
      fields: [{ field: 'input.releaseDate', message: 'Date must be a calendar date written YYYY-MM-DD, such as "2018-02-07"; got "2019-02-29".' }],
    });
  });

  test('input defaults apply to variables; a variable missing a required field is BAD_USER_INPUT naming it, not an internal error', async () => {
    // status defaults to ANNOUNCED, also when the input comes in a variable.
    const defaulted = await as(keys.editor, 'mutation ($input: CreateDealInput!) { createDeal(input: $input) { deal { status } } }', {
      input: { kind: 'PARTNERSHIP', title: 'Defaults apply', parties: [{ studio: 'wanda-film', role: 'PARTNER' }, { studio: 'amblin-partners', role: 'PARTNER' }] },
    });
    expect(defaulted.errors).toBeUndefined();
    expect(defaulted.data).toEqual({ createDeal: { deal: { status: 'ANNOUNCED' } } });

    const missing = await as(keys.editor, 'mutation ($input: CreateDealInput!) { createDeal(input: $input) { deal { id } } }', {
      input: { title: 'No kind', parties: [] },
    });
    expect(missing.status).toBe(400);
    expect(missing.errors![0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input', message: 'Field "kind" of required type "DealKind!" was not provided.' }],
    });
  });

  test('required names, studio fields', async () => {
    const result = await as(keys.editor, 'mutation { createStudio(input: { name: "", kind: STUDIO, country: "China", foundedYear: 1066, website: "not a url" }) { studio { id } } }');
    expect(result.errors![0].extensions.fields).toEqual([
      { field: 'input.name', message: "is required: give the studio's name" },
      { field: 'input.country', message: 'must be an ISO 3166-1 alpha-2 country code such as "CN" or "US"; got "China"' },
      { field: 'input.foundedYear', message: 'must be a year between 1800 and 2200; got 1066' },
      { field: 'input.website', message: 'must be an http(s) URL; got "not a url"' },
    ]);
  });
});

test('a deal whose third party does not exist leaves nothing behind, and says which', async () => {
  const tables = ['deal', 'deal_party', 'deal_film', 'source', 'deal_source', 'audit_log'];
  const before = await Promise.all(tables.map(count));
  const result = await as(
    keys.editor,
    `mutation { createDeal(input: {
       kind: CO_PRODUCTION, title: "Three-way co-production", status: ANNOUNCED,
       parties: [{ studio: "alibaba-pictures", role: PARTNER }, { studio: "stx-entertainment", role: PARTNER }, { studio: "paramount-pictures", role: PARTNER }],
       films: ["steel-soldiers"], sources: [{ publisher: "Variety", title: "A three-way deal" }]
     }) { deal { id } } }`,
  );
  expect(result.errors![0].extensions).toEqual({
    code: 'BAD_USER_INPUT',
    fields: [{ field: 'input.parties[2].studio', message: 'no Studio has the slug "paramount-pictures"' }],
  });
  expect(await Promise.all(tables.map(count))).toEqual(before);
});

test('a deal with its parties, films and sources is created in one go and audited', async () => {
  const data = await ok(
    keys.editor,
    `mutation { createDeal(input: {
       kind: DISTRIBUTION, title: "STX distributes Steel Soldiers in North America", status: ANNOUNCED,
       announcedOn: "2018-03-01", announcedOnPrecision: MONTH, valueUsd: "12500000.50",
       parties: [{ studio: "stx-entertainment", role: DISTRIBUTOR }, { studio: "alibaba-pictures", role: LICENSOR }],
       films: ["steel-soldiers"], sources: [{ publisher: "Example Wire", title: "STX picks up Steel Soldiers", url: "https://example.org/stx" }]
     }) { deal { id slug version valueUsd { amount currency } parties { role studio { slug } } films { nodes { slug } } sources { publisher url } } } }`,
  );
  expect(data.createDeal.deal).toMatchObject({
    slug: 'stx-distributes-steel-soldiers-in-north-america',
    version: 1,
    valueUsd: { amount: '12500000.50', currency: 'USD' },
    parties: [
      { role: 'DISTRIBUTOR', studio: { slug: 'stx-entertainment' } },
      { role: 'LICENSOR', studio: { slug: 'alibaba-pictures' } },
    ],
    films: { nodes: [{ slug: 'steel-soldiers' }] },
    sources: [{ publisher: 'Example Wire', url: 'https://example.org/stx' }],
  });
  const audit = await ok(keys.admin, 'query ($id: ID!) { auditLog(entityId: $id) { nodes { actor operation entityType entityId before after } } }', { id: data.createDeal.deal.id });
  expect(audit.auditLog.nodes).toHaveLength(1);
  expect(audit.auditLog.nodes[0]).toMatchObject({ actor: 'Newsroom editor', operation: 'createDeal', entityType: 'Deal', entityId: data.createDeal.deal.id, before: null });
  expect(audit.auditLog.nodes[0].after).toMatchObject({ title: 'STX distributes Steel Soldiers in North America', value_usd: 12500000.5, parties: expect.any(Array), films: expect.any(Array) });
  expect(audit.auditLog.nodes[0].after.parties).toHaveLength(2);
});

describe('optimistic concurrency', () => {
  test('an update at a stale version gets CONFLICT and changes nothing', async () => {
    const { id, version } = await idOf('studio', 'wanda-film');
    const first = await ok(keys.editor, 'mutation ($id: ID!, $v: Int!) { updateStudio(id: $id, expectedVersion: $v, input: { country: "CN" }) { studio { version country createdAt updatedAt } } }', { id, v: version });
    expect(first.updateStudio.studio).toMatchObject({ version: version + 1, country: 'CN' });
    expect(Date.parse(first.updateStudio.studio.updatedAt)).toBeGreaterThan(Date.parse(first.updateStudio.studio.createdAt));
    const auditBefore = await count('audit_log');

    const stale = await as(keys.editor, 'mutation ($id: ID!, $v: Int!) { updateStudio(id: $id, expectedVersion: $v, input: { country: "US" }) { studio { version } } }', { id, v: version });
    expect(stale.errors![0]).toMatchObject({
      message: `Studio ${id} was changed by someone else: you expected version ${version}, it is now at version ${version + 1}. Read it again and reapply your change.`,
      extensions: { code: 'CONFLICT', id, expectedVersion: version, currentVersion: version + 1 },
    });
    expect(await idOf('studio', 'wanda-film')).toEqual({ id, version: version + 1 });
    expect((await ok(keys.viewer, '{ studio(slug: "wanda-film") { country } }')).studio.country).toBe('CN');
    expect(await count('audit_log')).toBe(auditBefore);
  });

  test('a delete at a stale version gets CONFLICT', async () => {
    const { id, version } = await idOf('film', 'forrest-gump');
    const result = await as(keys.editor, 'mutation ($id: ID!) { deleteFilm(id: $id, expectedVersion: 99) { deletedId } }', { id });
    expect(result.errors![0].extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 99, currentVersion: version });
  });
});

describe('database constraints become clear errors, never SQL', () => {
  test('a duplicate slug says which slug', async () => {
    const result = await as(keys.editor, 'mutation { createStudio(input: { name: "Wanda Film", kind: EXHIBITOR }) { studio { id } } }');
    expect(result.errors![0]).toEqual({
      message: 'Invalid input: input.slug the slug "wanda-film" is already used by another studio.',
      locations: expect.any(Array),
      path: ['createStudio'],
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'input.slug', message: 'the slug "wanda-film" is already used by another studio' }] },
    });
  });

  test('a studio that does not exist says which ID', async () => {
    const missing = Buffer.from('Studio:424242').toString('base64url');
    const film = await idOf('film', 'steel-soldiers');
    const result = await as(keys.editor, `mutation { attachStudioCredit(film: "${film.id}", studio: "${missing}", role: DISTRIBUTION) { film { id } } }`);
    expect(result.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', fields: [{ field: 'studio', message: `no Studio has the ID ${missing}` }] });
    const gone = await as(keys.editor, `mutation { updateStudio(id: "${missing}", expectedVersion: 1, input: { name: "X" }) { studio { id } } }`);
    expect(gone.errors![0]).toMatchObject({ message: `No Studio has the ID ${missing} (argument "id"); it may have been deleted.`, extensions: { code: 'NOT_FOUND', id: missing } });
  });
});

describe('deleting what others still use', () => {
  test('a studio with deals and credits is refused with the list of what holds it, then deleted with cascade', async () => {
    const { id, version } = await idOf('studio', 'stx-entertainment');
    const refused = await as(keys.editor, 'mutation ($id: ID!, $v: Int!) { deleteStudio(id: $id, expectedVersion: $v) { deletedId } }', { id, v: version });
    expect(refused.errors![0].extensions.code).toBe('CONFLICT');
    expect(refused.errors![0].message).toMatch(/^Studio .* is still used \(\d+ deals, 1 filmCredits\); remove those first, or delete with cascade: true/);
    expect(refused.errors![0].extensions.holders.filmCredits).toEqual([{ id: expect.any(String), title: 'Steel Soldiers', role: 'CO_PRODUCTION' }]);
    expect(await idOf('studio', 'stx-entertainment')).toEqual({ id, version });

    const deals = (await ok(keys.viewer, '{ deals(filter: { studio: { eq: "stx-entertainment" } }) { totalCount } }')).deals.totalCount;
    const cascaded = await ok(keys.editor, 'mutation ($id: ID!, $v: Int!) { deleteStudio(id: $id, expectedVersion: $v, cascade: true) { deletedId cascaded } }', { id, v: version });
    expect(cascaded.deleteStudio).toEqual({ deletedId: id, cascaded: [`${deals} deal participations`, '1 film credit'] });
    expect((await ok(keys.viewer, '{ studio(slug: "stx-entertainment") { id } }')).studio).toBeNull();
    // The deals stay, without that party; the change is in each deal's history.
    const deal = await ok(keys.viewer, '{ deals(filter: { slug: { eq: "stx-entertainment-alibaba-pictures-steel-soldiers" } }) { nodes { id version parties { studio { slug } } } } }');
    expect(deal.deals.nodes[0]).toMatchObject({ version: 2, parties: [{ studio: { slug: 'alibaba-pictures' } }] });
    const history = await ok(keys.admin, 'query ($id: ID!) { auditLog(entityId: $id) { nodes { operation actor } } }', { id: deal.deals.nodes[0].id });
    expect(history.auditLog.nodes).toEqual([{ operation: 'deleteStudio', actor: 'Newsroom editor' }]);
  });
});

test('credits attach and detach, moving the film version', async () => {
  const film = await idOf('film', 'back-to-the-future');
  const attached = await ok(keys.editor, 'mutation ($v: Int) { attachProducerCredit(film: "back-to-the-future", producer: "steven-spielberg", role: EXECUTIVE_PRODUCER, expectedVersion: $v) { film { version producers { edges { role node { slug } } } } } }', { v: film.version });
  expect(attached.attachProducerCredit.film).toEqual({
    version: film.version + 1,
    producers: { edges: [{ role: 'DIRECTOR', node: { slug: 'robert-zemeckis' } }, { role: 'EXECUTIVE_PRODUCER', node: { slug: 'steven-spielberg' } }] },
  });
  const detached = await ok(keys.editor, 'mutation { detachProducerCredit(film: "back-to-the-future", producer: "steven-spielberg", role: EXECUTIVE_PRODUCER) { film { version producers { totalCount } } } }');
  expect(detached.detachProducerCredit.film).toEqual({ version: film.version + 2, producers: { totalCount: 1 } });
});

describe('who may write', () => {
  const MUTATIONS: Array<[string, 'EDITOR' | 'ADMIN']> = [
    ['mutation { createStudio(input: { name: "Role Check", kind: STUDIO }) { studio { id } } }', 'EDITOR'],
    ['mutation { updateStudio(id: "U3R1ZGlvOjk5OTk", expectedVersion: 1, input: {}) { studio { id } } }', 'EDITOR'],
    ['mutation { deleteStudio(id: "U3R1ZGlvOjk5OTk", expectedVersion: 1) { deletedId } }', 'EDITOR'],
    ['mutation { createProducer(input: { name: "Role Check" }) { producer { id } } }', 'EDITOR'],
    ['mutation { updateProducer(id: "UHJvZHVjZXI6OTk5OQ", expectedVersion: 1, input: {}) { producer { id } } }', 'EDITOR'],
    ['mutation { deleteProducer(id: "UHJvZHVjZXI6OTk5OQ", expectedVersion: 1) { deletedId } }', 'EDITOR'],
    ['mutation { createFilm(input: { title: "Role Check", status: ANNOUNCED }) { film { id } } }', 'EDITOR'],
    ['mutation { updateFilm(id: "RmlsbTo5OTk5", expectedVersion: 1, input: {}) { film { id } } }', 'EDITOR'],
    ['mutation { deleteFilm(id: "RmlsbTo5OTk5", expectedVersion: 1) { deletedId } }', 'EDITOR'],
    ['mutation { attachStudioCredit(film: "steel-soldiers", studio: "wanda-film", role: FINANCING) { film { id } } }', 'EDITOR'],
    ['mutation { detachStudioCredit(film: "steel-soldiers", studio: "wanda-film", role: FINANCING) { film { id } } }', 'EDITOR'],
    ['mutation { attachProducerCredit(film: "steel-soldiers", producer: "steven-spielberg", role: PRODUCER) { film { id } } }', 'EDITOR'],
    ['mutation { detachProducerCredit(film: "steel-soldiers", producer: "steven-spielberg", role: PRODUCER) { film { id } } }', 'EDITOR'],
    ['mutation { createDeal(input: { kind: INVESTMENT, title: "Role check", parties: [{ studio: "wanda-film", role: INVESTOR }] }) { deal { id } } }', 'EDITOR'],
    ['mutation { updateDeal(id: "RGVhbDo5OTk5", expectedVersion: 1, input: {}) { deal { id } } }', 'EDITOR'],
    ['mutation { deleteDeal(id: "RGVhbDo5OTk5", expectedVersion: 1) { deletedId } }', 'EDITOR'],
    ['mutation { createApiKey(name: "role-check", role: VIEWER) { key } }', 'ADMIN'],
    ['mutation { revokeApiKey(name: "no-such-key") { name } }', 'ADMIN'],
    ['{ apiKeys { name } }', 'ADMIN'],
    ['{ auditLog { totalCount } }', 'ADMIN'],
  ];
  const RANK = { anonymous: 0, viewer: 1, editor: 2, admin: 3 } as const;
  const NEEDED = { EDITOR: 2, ADMIN: 3 } as const;

  test.each(MUTATIONS.flatMap(([operation, role]) => (['anonymous', 'viewer', 'editor', 'admin'] as const).map((caller) => [caller, role, operation] as const)))(
    '%s calling a %s operation: %s',
    async (caller, role, operation) => {
      const result = await as(caller === 'anonymous' ? null : keys[caller], operation);
      const code = result.errors?.[0]?.extensions.code;
      if (caller === 'anonymous') {
        expect(code).toBe('UNAUTHENTICATED');
        expect(result.errors![0].message).toMatch(new RegExp(`needs an API key with the ${role} role: send "Authorization: Bearer <key>"\\.$`));
      } else if (RANK[caller] < NEEDED[role]) {
        expect(code).toBe('FORBIDDEN');
        expect(result.errors![0].message).toMatch(new RegExp(`needs the ${role} role; the key ".*" has the ${caller.toUpperCase()} role\\.$`));
      } else {
        // Allowed: whatever else happens (a missing ID, say), it is not about permissions.
        expect(['UNAUTHENTICATED', 'FORBIDDEN']).not.toContain(code);
      }
    },
  );

  test('reads stay open to anonymous callers by default', async () => {
    expect((await as(null, '{ studios { totalCount } }')).data.studios.totalCount).toBeGreaterThan(0);
  });

  test('a bad, revoked or malformed key is refused with 401, not treated as anonymous', async () => {
    const revoked = (await createApiKey(service.db.queryable, 'Soon revoked', Role.EDITOR)).key;
    await ok(keys.admin, 'mutation { revokeApiKey(name: "Soon revoked") { revokedAt } }');
    for (const header of [`Bearer ${revoked}`, `Bearer ${keys.editor.slice(0, -2)}xx`, 'Bearer nonsense', `Basic ${keys.editor}`]) {
      const response = await fetch(`${service.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: header },
        body: JSON.stringify({ query: '{ studios { totalCount } }' }),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as Result;
      expect(body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  test('with READS_REQUIRE_KEY, reads need a key too', async () => {
    const guarded = await startTestServer(service.db, { env: { READS_REQUIRE_KEY: 'true' } });
    const url = guarded.url;
    try {
      const anonymous = await as(null, '{ studios { totalCount } }', undefined, url);
      expect(anonymous.status).toBe(401);
      expect(anonymous.errors![0]).toMatchObject({ message: 'This service requires an API key for every request: send "Authorization: Bearer <key>".', extensions: { code: 'UNAUTHENTICATED' } });
      const viewer = await as(keys.viewer, '{ studios { totalCount } }', undefined, url);
      expect(viewer.errors).toBeUndefined();
    } finally {
      await guarded.close();
    }
  });

  test('keys are created once, listed without secrets, and stored only as hashes', async () => {
    const created = await ok(keys.admin, 'mutation { createApiKey(name: "Mobile app", role: VIEWER) { key apiKey { name role keyId revokedAt } } }');
    expect(created.createApiKey.key).toMatch(/^mgk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.createApiKey.apiKey).toEqual({ name: 'Mobile app', role: 'VIEWER', keyId: created.createApiKey.key.slice(4, 16), revokedAt: null });
    const listed = await ok(keys.admin, '{ apiKeys { name role } }');
    expect(listed.apiKeys).toEqual(expect.arrayContaining([{ name: 'Mobile app', role: 'VIEWER' }, { name: 'Ops admin', role: 'ADMIN' }]));
    const { rows } = await service.db.pool.query('SELECT * FROM api_key');
    expect(JSON.stringify(rows)).not.toContain(created.createApiKey.key.slice(17));
  });

  test('a GET request cannot run a mutation', async () => {
    const response = await fetch(`${service.url}/graphql?query=${encodeURIComponent('mutation { createStudio(input: { name: "Via GET", kind: STUDIO }) { studio { id } } }')}`, {
      headers: { authorization: `Bearer ${keys.editor}` },
    });
    expect(response.status).toBe(405);
    expect((await ok(keys.viewer, '{ studio(slug: "via-get") { id } }')).studio).toBeNull();
  });
});

describe('the audit history', () => {
  test('records who, when, what, before and after, for ADMIN', async () => {
    const created = await ok(keys.editor, 'mutation { createProducer(input: { name: "Kathleen Kennedy", affiliations: [{ studio: "amblin-partners", title: "Co-founder" }] }) { producer { id version } } }');
    const { id, version } = created.createProducer.producer;
    await ok(keys.editor, 'mutation ($id: ID!, $v: Int!) { updateProducer(id: $id, expectedVersion: $v, input: { bio: "Producer." }) { producer { version } } }', { id, v: version });
    const log = await ok(keys.admin, 'query ($id: ID!) { auditLog(entityId: $id, first: 10) { totalCount nodes { actor operation at before after } } }', { id });
    expect(log.auditLog.totalCount).toBe(2);
    const [update, create] = log.auditLog.nodes;
    expect(update).toMatchObject({ actor: 'Newsroom editor', operation: 'updateProducer', before: { bio: null, version: 1 }, after: { bio: 'Producer.', version: 2 } });
    expect(create).toMatchObject({ operation: 'createProducer', before: null, after: { name: 'Kathleen Kennedy', affiliations: [{ title: 'Co-founder', studioId: expect.any(Number) }] } });
    expect(Date.parse(update.at)).toBeGreaterThanOrEqual(Date.parse(create.at));
  });

  test('creating and revoking keys over HTTP is recorded: who, which key and role, when, never the secret', async () => {
    const created = await ok(keys.admin, 'mutation { createApiKey(name: "Audited app", role: EDITOR) { key apiKey { keyId } } }');
    const { key, apiKey } = created.createApiKey;
    await ok(keys.admin, 'mutation { revokeApiKey(name: "Audited app") { revokedAt } }');
    // Revoking again changes nothing, and records nothing.
    await ok(keys.admin, 'mutation { revokeApiKey(name: "Audited app") { revokedAt } }');
    const log = await ok(keys.admin, '{ auditLog(first: 2) { nodes { actor operation entityType entityId at before after } } }');
    const [revoke, create] = log.auditLog.nodes;
    const state = { name: 'Audited app', role: 'EDITOR', keyId: apiKey.keyId, createdAt: expect.any(String) };
    expect(create).toEqual({ actor: 'Ops admin', operation: 'createApiKey', entityType: 'ApiKey', entityId: expect.any(String), at: expect.any(String), before: null, after: { ...state, revokedAt: null } });
    expect(revoke).toEqual({
      actor: 'Ops admin',
      operation: 'revokeApiKey',
      entityType: 'ApiKey',
      entityId: create.entityId,
      at: expect.any(String),
      before: { ...state, revokedAt: null },
      after: { ...state, revokedAt: expect.any(String) },
    });
    // The entry can be found by the key's audit ID, and nothing anywhere in the history holds the secret.
    const byEntity = await ok(keys.admin, 'query ($id: ID!) { auditLog(entityId: $id) { totalCount } }', { id: create.entityId });
    expect(byEntity.auditLog.totalCount).toBe(2);
    const { rows } = await service.db.pool.query('SELECT before, after FROM audit_log');
    expect(JSON.stringify(rows)).not.toContain(key.slice(17));
    // An API key's audit ID is not a node.
    expect((await as(keys.admin, 'query ($id: ID!) { node(id: $id) { id } }', { id: create.entityId })).errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('nothing is recorded for a write that rolled back', async () => {
    const before = await count('audit_log');
    await as(keys.editor, 'mutation { createFilm(input: { title: "Never Made", status: ANNOUNCED, studios: [{ studio: "no-such-studio", role: PRODUCTION }] }) { film { id } } }');
    expect(await count('audit_log')).toBe(before);
    expect((await ok(keys.viewer, '{ film(slug: "never-made") { id } }')).film).toBeNull();
  });
});
