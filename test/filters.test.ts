import { useService } from './helpers/fixture';
import { gql, query } from './helpers/server';

// Typed filters with and/or/not, ranges on dates, years, USD money and stakes, text contains,
// relation filters; and the errors for bad filters, which name the field.

const service = useService({
  prepare: async (db) => {
    await db.pool.query(`
      INSERT INTO film (slug, title, status, release_date, genres, budget_amount, budget_currency, worldwide_gross_amount, worldwide_gross_currency) VALUES
        ('amelie', 'Le Fabuleux Destin d''Amélie Poulain', 'RELEASED', '2001-04-25', '{Comedy,Romance}', 10000000, 'EUR', 174000000, 'USD'),
        ('cheap-one', 'Cheap One', 'RELEASED', '2010-06-01', '{Drama}', 1000000, 'USD', 2500000.50, 'USD'),
        ('dear-one', 'Dear One', 'RELEASED', '2015-06-01', '{Drama,Action}', 150000000.25, 'USD', NULL, NULL)`);
  },
});

const slugs = (connection: { nodes: { slug: string }[] }) => connection.nodes.map((n) => n.slug).sort();

test('and, or and not combine conditions', async () => {
  const data = await query(
    service.url,
    `{ either: films(filter: { or: [{ genre: { eq: "Romance" } }, { slug: { eq: "steel-soldiers" } }] }) { nodes { slug } }
       both: films(filter: { and: [{ genre: { eq: "Drama" } }, { genre: { eq: "Action" } }] }) { nodes { slug } }
       neither: studios(filter: { not: { country: { in: ["CN", "US"] } } }) { nodes { slug } }
       nested: films(filter: { status: { eq: RELEASED }, not: { or: [{ genre: { eq: "Drama" } }, { releaseDate: { lte: "2005-01-01" } }] } }) { nodes { slug } } }`,
  );
  expect({ either: slugs(data.either), both: slugs(data.both), neither: slugs(data.neither), nested: slugs(data.nested) }).toEqual({
    either: ['amelie', 'steel-soldiers'],
    both: ['dear-one'],
    // "not" includes studios whose country is unknown.
    neither: ['amblin-partners', 'wanda-film'],
    // Released, neither drama nor dated before 2005: the undated releases of the article.
    nested: ['back-to-the-future', 'forrest-gump', 'mission-impossible-rogue-nation', 'star-trek-beyond', 'teenage-mutant-ninja-turtles-out-of-the-shadows'],
  });
});

test('ranges on USD money are exact and ignore other currencies', async () => {
  const data = await query(
    service.url,
    `{ big: films(filter: { budgetUsd: { gte: "150000000.25" } }) { nodes { slug } }
       notQuite: films(filter: { budgetUsd: { gte: "150000000.26" } }) { nodes { slug } }
       anyUsdBudget: films(filter: { budgetUsd: {} }) { nodes { slug } }
       gross: films(filter: { worldwideGrossUsd: { lte: "2500000.5" } }) { nodes { slug } }
       byBudget: films(filter: { budgetUsd: {} }, orderBy: [{ field: BUDGET_USD, direction: DESC }]) { nodes { slug } }
       noUsdBudget: films(filter: { budgetUsd: { isNull: true }, releaseYear: { isNull: false } }) { nodes { slug } }
       usdBudget: films(filter: { budgetUsd: { isNull: false } }) { nodes { slug } } }`,
  );
  expect(data).toEqual({
    big: { nodes: [{ slug: 'dear-one' }] },
    notQuite: { nodes: [] },
    anyUsdBudget: { nodes: [{ slug: 'cheap-one' }, { slug: 'dear-one' }] },
    gross: { nodes: [{ slug: 'cheap-one' }] },
    byBudget: { nodes: [{ slug: 'dear-one' }, { slug: 'cheap-one' }] },
    // Unknown in USD: a budget in euros counts as unknown (no conversion), as does none at all.
    noUsdBudget: { nodes: expect.arrayContaining([{ slug: 'amelie' }]) },
    usdBudget: { nodes: [{ slug: 'cheap-one' }, { slug: 'dear-one' }] },
  });
  expect(data.noUsdBudget.nodes).not.toContainEqual({ slug: 'cheap-one' });
  expect(data.noUsdBudget.nodes).not.toContainEqual({ slug: 'dear-one' });
});

test('years, stakes and USD values of deals; parties of a given kind, role and country', async () => {
  const data = await query(
    service.url,
    `{ y2018: deals(filter: { announcedYear: { gte: 2018, lte: 2018 } }, orderBy: [{ field: ANNOUNCED_ON }]) { nodes { slug } }
       stakes: deals(filter: { stakePercent: { gte: "5", lte: "10" } }) { nodes { slug } }
       valued: deals(filter: { valueUsd: { gte: "744000000" } }) { nodes { slug } }
       exhibitorTargets: deals(filter: { party: { kind: { eq: EXHIBITOR }, role: { eq: TARGET } } }) { nodes { slug } }
       chineseInvestors: deals(filter: { party: { country: { eq: "CN" }, role: { in: [INVESTOR, ACQUIRER] } } }) { totalCount }
       withAmerican: deals(filter: { party: { country: { eq: "US" } } }) { nodes { slug } }
       financedBy: films(filter: { studio: { eq: "alibaba-pictures" }, studioRole: FINANCING }) { totalCount }
       coveredBy: films(filter: { deal: { eq: "stx-entertainment-alibaba-pictures-steel-soldiers" } }) { nodes { slug } }
       zemeckisFilms: producers(filter: { film: { in: ["forrest-gump"] } }) { nodes { slug } } }`,
  );
  expect(data).toEqual({
    y2018: { nodes: [{ slug: 'alibaba-group-wanda-film-stake-2018' }, { slug: 'stx-entertainment-alibaba-pictures-steel-soldiers' }] },
    stakes: { nodes: [{ slug: 'alibaba-group-wanda-film-stake-2018' }] },
    valued: { nodes: [{ slug: 'alibaba-group-wanda-film-stake-2018' }] },
    exhibitorTargets: { nodes: [{ slug: 'alibaba-group-wanda-film-stake-2018' }] },
    chineseInvestors: { totalCount: 4 },
    withAmerican: { nodes: [{ slug: 'stx-entertainment-alibaba-pictures-steel-soldiers' }] },
    financedBy: { totalCount: 3 },
    coveredBy: { nodes: [{ slug: 'steel-soldiers' }] },
    zemeckisFilms: { nodes: [{ slug: 'robert-zemeckis' }] },
  });
});

test('text contains ignores case and accents, and takes wildcards literally', async () => {
  const data = await query(
    service.url,
    `{ accent: films(filter: { title: { contains: "AMELIE" } }) { nodes { slug } }
       exact: studios(filter: { name: { eq: "Wanda Film" } }) { nodes { slug } }
       literal: films(filter: { title: { contains: "_" } }) { totalCount }
       part: producers(filter: { name: { contains: "spiel" } }) { nodes { slug } } }`,
  );
  expect(data).toEqual({
    accent: { nodes: [{ slug: 'amelie' }] },
    exact: { nodes: [{ slug: 'wanda-film' }] },
    literal: { totalCount: 0 },
    part: { nodes: [{ slug: 'steven-spielberg' }] },
  });
});

describe('bad filters are BAD_USER_INPUT errors naming the field', () => {
  async function errorOf(document: string, variables?: Record<string, unknown>) {
    const result = await gql(service.url, document, variables);
    expect(result.body.errors).toHaveLength(1);
    return result.body.errors![0];
  }

  test('an unknown enum value, written in the query', async () => {
    const error = await errorOf('{ studios(filter: { or: [{ slug: { eq: "x" } }, { kind: { in: [STUDIO, BROADCASTER] } }] }) { totalCount } }');
    expect(error).toMatchObject({
      message:
        'Argument "filter.or[1].kind.in[1]" has no StudioKind value "BROADCASTER". Expected one of: STUDIO, PRODUCTION_COMPANY, DISTRIBUTOR, FINANCIER, CONGLOMERATE, EXHIBITOR.',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'filter.or[1].kind.in[1]' },
    });
  });

  test('an unknown enum value, passed in a variable', async () => {
    const error = await errorOf('query ($f: DealFilter) { deals(filter: $f) { totalCount } }', { f: { kind: { eq: 'MERGER' } } });
    expect(error.message).toBe('Variable "$f" got invalid value "MERGER" at "f.kind.eq"; Value "MERGER" does not exist in "DealKind" enum.');
    expect(error.extensions!.code).toBe('BAD_USER_INPUT');
  });

  test('a malformed range deep in a combinator', async () => {
    const error = await errorOf('{ deals(filter: { and: [{ stakePercent: { gte: "50", lte: "7.5" } }] }) { totalCount } }');
    expect(error).toMatchObject({
      message: 'Argument "filter.and[0].stakePercent" is an empty range: gte (50) is greater than lte (7.5).',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'filter.and[0].stakePercent' },
    });
  });

  test('a decimal that is not one', async () => {
    const error = await errorOf('{ deals(filter: { valueUsd: { gte: "a lot" } }) { totalCount } }');
    expect(error.message).toContain('Decimal must be a decimal number such as "744000000" or "7.66"; got "a lot".');
  });

  test('a year out of range', async () => {
    const error = await errorOf('{ films(filter: { releaseYear: { gte: 0 } }) { totalCount } }');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'filter.releaseYear.gte' });
  });

  test('filters nested too deep', async () => {
    const deep = '{ not: '.repeat(7) + '{ slug: { eq: "x" } }' + ' }'.repeat(7);
    const error = await errorOf(`{ films(filter: ${deep}) { totalCount } }`);
    expect(error.message).toBe('Argument "filter.not.not.not.not.not.not" nests and/or/not more than 5 levels deep; flatten the filter.');
  });
});

test('filters run as bound parameters: quotes and SQL in values are only values', async () => {
  const data = await query(service.url, `{ studios(filter: { name: { contains: "'; DROP TABLE studio; --" } }) { totalCount } }`);
  expect(data).toEqual({ studios: { totalCount: 0 } });
  expect((await query(service.url, '{ studios { totalCount } }')).studios.totalCount).toBe(5);
});
