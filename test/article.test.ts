import { useService } from './helpers/fixture';
import { query } from './helpers/server';

// Every fact of ../shared/reference/seed-article.txt, asked of the API over HTTP, compared whole.

const service = useService();

const ARTICLE_SOURCE = {
  publisher: 'CapitalWatch',
  title: 'Alibaba To Make the First Hollywood Movie: Steel Soldiers',
  author: 'CapitalWatch Staff',
  url: null,
  publishedOn: '2018-02-07',
};

test('Alibaba Group Holding (NYSE: BABA), a Chinese conglomerate, owns Alibaba Pictures', async () => {
  const data = await query(
    service.url,
    `{ studio(slug: "alibaba-group") {
         name slug kind country stockListing description parent { slug }
         subsidiaries { totalCount nodes { name slug kind } }
       } }`,
  );
  expect(data).toEqual({
    studio: {
      name: 'Alibaba Group',
      slug: 'alibaba-group',
      kind: 'CONGLOMERATE',
      country: 'CN',
      stockListing: 'NYSE: BABA',
      description:
        'Alibaba Group Holding Ltd., the biggest e-commerce platform in China; the Chinese internet giant stepped into movie-making as early as 2015.',
      parent: null,
      subsidiaries: { totalCount: 1, nodes: [{ name: 'Alibaba Pictures', slug: 'alibaba-pictures', kind: 'STUDIO' }] },
    },
  });
});

test('STX Entertainment is based in Burbank', async () => {
  const data = await query(service.url, '{ studio(slug: "stx-entertainment") { name kind country headquarters } }');
  expect(data).toEqual({ studio: { name: 'STX Entertainment', kind: 'STUDIO', country: 'US', headquarters: 'Burbank' } });
});

test('STX and Alibaba Pictures co-produce "Steel Soldiers", announced 2018-02-07, produced by Robert Zemeckis', async () => {
  const data = await query(
    service.url,
    `{ film(slug: "steel-soldiers") {
         title status releaseDate logline
         studios { edges { role node { slug } } }
         producers { edges { role node { name slug } } }
         deals { nodes { kind status title announcedOn announcedOnPrecision parties { role studio { slug } } sources { publisher title author url publishedOn } } }
       } }`,
  );
  expect(data).toEqual({
    film: {
      title: 'Steel Soldiers',
      status: 'ANNOUNCED',
      releaseDate: null,
      logline:
        "In a futuristic world where humans and androids fight side-by-side, a disgraced special forces officer is forced to train a new cadre of high-tech, but imperfect, android soldiers, turning them into elite military officers and leading them in a deadly mission to rescue the robots' creator.",
      studios: {
        edges: [
          { role: 'CO_PRODUCTION', node: { slug: 'alibaba-pictures' } },
          { role: 'CO_PRODUCTION', node: { slug: 'stx-entertainment' } },
        ],
      },
      producers: { edges: [{ role: 'PRODUCER', node: { name: 'Robert Zemeckis', slug: 'robert-zemeckis' } }] },
      deals: {
        nodes: [
          {
            kind: 'CO_PRODUCTION',
            status: 'ANNOUNCED',
            title: 'Alibaba Pictures and STX Entertainment partner to produce "Steel Soldiers"',
            announcedOn: '2018-02-07',
            announcedOnPrecision: 'DAY',
            parties: [
              { role: 'PARTNER', studio: { slug: 'alibaba-pictures' } },
              { role: 'PARTNER', studio: { slug: 'stx-entertainment' } },
            ],
            sources: [ARTICLE_SOURCE],
          },
        ],
      },
    },
  });
});

test('Robert Zemeckis directed "Back to the Future" and "Forrest Gump" and produces "Steel Soldiers"', async () => {
  const data = await query(service.url, '{ producer(slug: "robert-zemeckis") { name kind films { edges { role node { title status } } } } }');
  expect(data).toEqual({
    producer: {
      name: 'Robert Zemeckis',
      kind: 'PERSON',
      films: {
        edges: [
          { role: 'DIRECTOR', node: { title: 'Back to the Future', status: 'RELEASED' } },
          { role: 'DIRECTOR', node: { title: 'Forrest Gump', status: 'RELEASED' } },
          { role: 'PRODUCER', node: { title: 'Steel Soldiers', status: 'ANNOUNCED' } },
        ],
      },
    },
  });
});

test('Alibaba Pictures invested in three blockbuster Hollywood movies', async () => {
  const data = await query(
    service.url,
    `{ studio(slug: "alibaba-pictures") {
         films(role: FINANCING) { edges { role node { title genres } } }
         deals(kind: INVESTMENT) { totalCount edges { role node { status films { nodes { title } } sources { publisher } } } }
       } }`,
  );
  expect(data).toEqual({
    studio: {
      films: {
        edges: [
          { role: 'FINANCING', node: { title: 'Mission: Impossible - Rogue Nation', genres: ['Action', 'Thriller'] } },
          { role: 'FINANCING', node: { title: 'Star Trek Beyond', genres: [] } },
          { role: 'FINANCING', node: { title: 'Teenage Mutant Ninja Turtles: Out of the Shadows', genres: [] } },
        ],
      },
      deals: {
        totalCount: 3,
        // Undated deals: newest record first.
        edges: [
          {
            role: 'INVESTOR',
            node: { status: 'CLOSED', films: { nodes: [{ title: 'Mission: Impossible - Rogue Nation' }] }, sources: [{ publisher: 'CapitalWatch' }] },
          },
          { role: 'INVESTOR', node: { status: 'CLOSED', films: { nodes: [{ title: 'Star Trek Beyond' }] }, sources: [{ publisher: 'CapitalWatch' }] } },
          {
            role: 'INVESTOR',
            node: {
              status: 'CLOSED',
              films: { nodes: [{ title: 'Teenage Mutant Ninja Turtles: Out of the Shadows' }] },
              sources: [{ publisher: 'CapitalWatch' }],
            },
          },
        ],
      },
    },
  });
});

test('Alibaba agreed to acquire a 7.66% stake in Wanda Film for 4.68 billion yuan ($744 million) in early February 2018', async () => {
  const data = await query(
    service.url,
    `{ deals(filter: { kind: { eq: EQUITY_STAKE } }) { nodes {
         title summary status announcedOn announcedOnPrecision stakePercent
         value { amount currency } valueUsd { amount currency }
         parties { role studio { slug kind } } sources { publisher publishedOn }
       } } }`,
  );
  expect(data).toEqual({
    deals: {
      nodes: [
        {
          title: 'Alibaba acquires a 7.66% stake in Wanda Film',
          summary: 'Alibaba agreed to acquire a 7.66 percent stake in Wanda Film for 4.68 billion yuan ($744 million).',
          status: 'ANNOUNCED',
          announcedOn: '2018-02-01',
          announcedOnPrecision: 'MONTH',
          stakePercent: '7.66',
          value: { amount: '4680000000', currency: 'CNY' },
          valueUsd: { amount: '744000000', currency: 'USD' },
          parties: [
            { role: 'ACQUIRER', studio: { slug: 'alibaba-group', kind: 'CONGLOMERATE' } },
            { role: 'TARGET', studio: { slug: 'wanda-film', kind: 'EXHIBITOR' } },
          ],
          sources: [{ publisher: 'CapitalWatch', publishedOn: '2018-02-07' }],
        },
      ],
    },
  });
});

test("In October 2016 Alibaba Pictures and Steven Spielberg's Amblin Partners forged a comprehensive strategic partnership", async () => {
  const data = await query(
    service.url,
    `{ studio(slug: "amblin-partners") {
         name kind
         producers { edges { title node { name slug kind } } }
         partners { edges { node { slug } deals { kind status summary announcedOn announcedOnPrecision sources { title } } } }
       } }`,
  );
  expect(data).toEqual({
    studio: {
      name: 'Amblin Partners',
      kind: 'PRODUCTION_COMPANY',
      producers: { edges: [{ title: null, node: { name: 'Steven Spielberg', slug: 'steven-spielberg', kind: 'PERSON' } }] },
      partners: {
        edges: [
          {
            node: { slug: 'alibaba-pictures' },
            deals: [
              {
                kind: 'PARTNERSHIP',
                status: 'CLOSED',
                summary:
                  'In October 2016, Alibaba Pictures and Steven Spielberg\'s Amblin Partners forged a "comprehensive strategic partnership" to co-produce and finance films for international and Chinese audiences.',
                announcedOn: '2016-10-01',
                announcedOnPrecision: 'MONTH',
                sources: [{ title: ARTICLE_SOURCE.title }],
              },
            ],
          },
        ],
      },
    },
  });
});

test('Steven Spielberg is affiliated with Amblin Partners', async () => {
  const data = await query(service.url, '{ producer(slug: "steven-spielberg") { name studios { edges { title node { name } } } } }');
  expect(data).toEqual({ producer: { name: 'Steven Spielberg', studios: { edges: [{ title: null, node: { name: 'Amblin Partners' } }] } } });
});

test("Alibaba Pictures' partners are Amblin Partners and STX Entertainment; Alibaba Group's is Wanda Film", async () => {
  const data = await query(
    service.url,
    `{ pictures: studio(slug: "alibaba-pictures") { partners { totalCount nodes { slug } } }
       group: studio(slug: "alibaba-group") { partners { totalCount nodes { slug } } }
       wanda: studio(slug: "wanda-film") { partners(kinds: [PARTNERSHIP]) { totalCount nodes { slug } } } }`,
  );
  expect(data).toEqual({
    pictures: { partners: { totalCount: 2, nodes: [{ slug: 'amblin-partners' }, { slug: 'stx-entertainment' }] } },
    group: { partners: { totalCount: 1, nodes: [{ slug: 'wanda-film' }] } },
    wanda: { partners: { totalCount: 0, nodes: [] } },
  });
});

test('every slug of the issue resolves, and unknown slugs give null', async () => {
  const data = await query(
    service.url,
    `{ a: studio(slug: "alibaba-pictures") { slug } b: studio(slug: "alibaba-group") { slug }
       c: studio(slug: "stx-entertainment") { slug } d: studio(slug: "amblin-partners") { slug }
       e: studio(slug: "wanda-film") { slug } f: film(slug: "steel-soldiers") { slug }
       g: producer(slug: "robert-zemeckis") { slug } h: producer(slug: "steven-spielberg") { slug }
       missing: studio(slug: "paramount-pictures") { slug } }`,
  );
  expect(data).toEqual({
    a: { slug: 'alibaba-pictures' },
    b: { slug: 'alibaba-group' },
    c: { slug: 'stx-entertainment' },
    d: { slug: 'amblin-partners' },
    e: { slug: 'wanda-film' },
    f: { slug: 'steel-soldiers' },
    g: { slug: 'robert-zemeckis' },
    h: { slug: 'steven-spielberg' },
    missing: null,
  });
});

test('global IDs round-trip through node() and the typed lookups', async () => {
  const { studio } = await query(service.url, '{ studio(slug: "wanda-film") { id } }');
  const data = await query(
    service.url,
    `query ($id: ID!) { node(id: $id) { __typename id ... on Studio { slug } } studio(id: $id) { slug } nodes(ids: [$id]) { id } }`,
    { id: studio.id },
  );
  expect(data).toEqual({
    node: { __typename: 'Studio', id: studio.id, slug: 'wanda-film' },
    studio: { slug: 'wanda-film' },
    nodes: [{ id: studio.id }],
  });
});

test('root lists filter by relations, enums, genres and date ranges', async () => {
  const data = await query(
    service.url,
    `{ directed: films(filter: { producer: { eq: "robert-zemeckis" }, status: { in: [RELEASED] } }) { nodes { title } }
       action: films(filter: { genre: { eq: "Action" } }) { nodes { title } }
       anyGenre: films(filter: { genre: { in: ["Comedy", "Thriller"] } }) { nodes { title } }
       coProduced: films(filter: { studio: { in: ["stx-entertainment"] } }) { nodes { title } }
       amblin: producers(filter: { studio: { eq: "amblin-partners" }, kind: { eq: PERSON } }) { nodes { name } }
       owned: studios(filter: { parent: { eq: "alibaba-group" } }) { nodes { name } }
       chinese: studios(filter: { country: { eq: "CN" } }, orderBy: [{ field: NAME, direction: DESC }]) { nodes { name } }
       steel: deals(filter: { film: { eq: "steel-soldiers" } }) { nodes { kind } }
       since2018: deals(filter: { announcedOn: { gte: "2018-01-01" } }, orderBy: [{ field: ANNOUNCED_ON }]) { nodes { title announcedOn } }
       priciest: deals(orderBy: [{ field: VALUE_USD, direction: DESC }], first: 1) { nodes { valueUsd { amount } } } }`,
  );
  expect(data).toEqual({
    directed: { nodes: [{ title: 'Back to the Future' }, { title: 'Forrest Gump' }] },
    action: { nodes: [{ title: 'Mission: Impossible - Rogue Nation' }] },
    anyGenre: { nodes: [{ title: 'Mission: Impossible - Rogue Nation' }] },
    coProduced: { nodes: [{ title: 'Steel Soldiers' }] },
    amblin: { nodes: [{ name: 'Steven Spielberg' }] },
    owned: { nodes: [{ name: 'Alibaba Pictures' }] },
    chinese: { nodes: [{ name: 'Alibaba Pictures' }, { name: 'Alibaba Group' }] },
    steel: { nodes: [{ kind: 'CO_PRODUCTION' }] },
    since2018: {
      nodes: [
        { title: 'Alibaba acquires a 7.66% stake in Wanda Film', announcedOn: '2018-02-01' },
        { title: 'Alibaba Pictures and STX Entertainment partner to produce "Steel Soldiers"', announcedOn: '2018-02-07' },
      ],
    },
    priciest: { nodes: [{ valueUsd: { amount: '744000000' } }] },
  });
});
