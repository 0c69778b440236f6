/**
 * The benchmark's queries, written for this service, for PostGraphile, and as one hand-written
 * SQL statement each (the floor). Each has a normaliser that turns any of the three answers into the
 * same plain structure, so the answers are compared before anything is timed. Lists whose order the
 * queries do not fix (a film's producers) are sorted by the normaliser.
 */

export interface BenchQuery {
  id: string;
  title: string;
  /** Levels of nested lists and objects, the root field included (studio > partners > films > producers: 4). */
  depth: number;
  ours: string;
  postgraphile: string;
  floor: string;
  normalise: { ours(data: any): unknown; postgraphile(data: any): unknown; floor(row: any): unknown };
  /**
   * For a query with variables that differ by server (a cursor): a query asked of each server once,
   * before anything is checked or timed, and how its answer gives the variables (servers.ts).
   */
  variables?: { ours: string; postgraphile: string; pick: { ours(data: any): Record<string, unknown>; postgraphile(data: any): Record<string, unknown> } };
}

const HUB = 'bench-studio-000001';
/** Twenty films spread over the dataset, in slug order (the floor's order). */
const LOOKUPS = Array.from({ length: 20 }, (_, i) => `bench-film-${String(37 * (i + 1)).padStart(6, '0')}`);
const aliased = (field: string) => `{ ${LOOKUPS.map((slug, i) => `f${i + 1}: ${field}(slug: "${slug}") { title releaseDate }`).join(' ')} }`;
const inAliasOrder = (d: any) => LOOKUPS.map((_, i) => d[`f${i + 1}`]);
const PRODUCER = 'bench-producer-000001';
/** The film a deep page starts after, in title order: one of the first 1,000 (in every dataset), anywhere in the list. */
const DEEP = 'bench-film-000700';
/** A credits list's order in every server and the floor: latest release first, then title, id, role. */
const LATEST = 'release_date DESC NULLS LAST, title, id, role';
/** The floor's page of a studio's (or producer's) film credits: `link` is film_studio fs or film_producer fp. */
const creditsSql = (link: 'fs' | 'fp', parent: string, limit: number, columns = 'f.*') =>
  `SELECT ${columns}, ${link}.role FROM ${link === 'fs' ? 'film_studio' : 'film_producer'} ${link} JOIN film f ON f.id = ${link}.film_id
    WHERE ${link}.${link === 'fs' ? 'studio_id' : 'producer_id'} = ${parent} ORDER BY f.release_date DESC NULLS LAST, f.title, f.id, ${link}.role LIMIT ${limit}`;
const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
const sorted = <T>(xs: T[]) => [...xs].sort(byJson);

export const QUERIES: BenchQuery[] = [
  {
    id: 'Q1',
    depth: 4,
    title: "a studio's partners, each partner's first 10 films, each film's producers",
    ours: `{ studio(slug: "${HUB}") { name partners(first: 50) { nodes { name films(first: 10) { nodes { title producers { nodes { name } } } } } } } }`,
    postgraphile: `{ studioBySlug(slug: "${HUB}") { name partners(first: 50) { nodes { name latestFilms(first: 10) { nodes { title filmProducersByFilmId { nodes { producerByProducerId { name } } } } } } } } }`,
    floor: `SELECT json_build_object('name', s.name, 'partners', (
        SELECT COALESCE(json_agg(json_build_object('name', p.name, 'films', (
          SELECT COALESCE(json_agg(json_build_object('title', f.title, 'producers', (
            SELECT COALESCE(json_agg(pr.name), '[]') FROM film_producer fp JOIN producer pr ON pr.id = fp.producer_id WHERE fp.film_id = f.id))
            ORDER BY f.release_date DESC NULLS LAST, f.title, f.id, f.role), '[]')
          FROM (SELECT f.*, fs.role FROM film_studio fs JOIN film f ON f.id = fs.film_id WHERE fs.studio_id = p.id
                 ORDER BY f.release_date DESC NULLS LAST, f.title, f.id, fs.role LIMIT 10) f))
          ORDER BY p.name, p.id), '[]')
        FROM (SELECT p.* FROM studio p WHERE p.id IN (SELECT b.studio_id FROM deal_party a JOIN deal_party b ON b.deal_id = a.deal_id AND b.studio_id <> a.studio_id WHERE a.studio_id = s.id)
               ORDER BY p.name, p.id LIMIT 50) p)) AS answer
      FROM studio s WHERE s.slug = '${HUB}'`,
    normalise: {
      ours: (d) => ({
        name: d.studio.name,
        partners: d.studio.partners.nodes.map((p: any) => ({
          name: p.name,
          films: p.films.nodes.map((f: any) => ({ title: f.title, producers: sorted(f.producers.nodes.map((x: any) => x.name)) })),
        })),
      }),
      postgraphile: (d) => ({
        name: d.studioBySlug.name,
        partners: d.studioBySlug.partners.nodes.map((p: any) => ({
          name: p.name,
          films: p.latestFilms.nodes.map((f: any) => ({ title: f.title, producers: sorted(f.filmProducersByFilmId.nodes.map((x: any) => x.producerByProducerId.name)) })),
        })),
      }),
      floor: (a) => ({
        name: a.name,
        partners: a.partners.map((p: any) => ({ name: p.name, films: p.films.map((f: any) => ({ title: f.title, producers: sorted(f.producers) })) })),
      }),
    },
  },
  {
    id: 'Q2',
    depth: 2,
    title: '100 films by release date with their studios and producers',
    ours: `{ films(first: 100, orderBy: [{ field: RELEASE_DATE, direction: DESC }]) { nodes { title releaseDate studios { edges { role node { name } } } producers { edges { role node { name } } } } } }`,
    postgraphile: `{ allFilms(first: 100, orderBy: [RELEASE_DATE_DESC, ROW_ID_ASC]) { nodes { title releaseDate filmStudiosByFilmId { nodes { role studioByStudioId { name } } } filmProducersByFilmId { nodes { role producerByProducerId { name } } } } } }`,
    floor: `SELECT COALESCE(json_agg(json_build_object('title', f.title, 'releaseDate', f.release_date,
        'studios', (SELECT COALESCE(json_agg(json_build_object('role', fs.role, 'name', s.name)), '[]') FROM film_studio fs JOIN studio s ON s.id = fs.studio_id WHERE fs.film_id = f.id),
        'producers', (SELECT COALESCE(json_agg(json_build_object('role', fp.role, 'name', p.name)), '[]') FROM film_producer fp JOIN producer p ON p.id = fp.producer_id WHERE fp.film_id = f.id))
        ORDER BY f.release_date DESC NULLS LAST, f.id), '[]') AS answer
      FROM (SELECT * FROM film ORDER BY release_date DESC NULLS LAST, id LIMIT 100) f`,
    normalise: {
      ours: (d) =>
        d.films.nodes.map((f: any) => ({
          title: f.title,
          releaseDate: f.releaseDate,
          studios: sorted(f.studios.edges.map((e: any) => ({ role: e.role, name: e.node.name }))),
          producers: sorted(f.producers.edges.map((e: any) => ({ role: e.role, name: e.node.name }))),
        })),
      postgraphile: (d) =>
        d.allFilms.nodes.map((f: any) => ({
          title: f.title,
          releaseDate: f.releaseDate,
          studios: sorted(f.filmStudiosByFilmId.nodes.map((e: any) => ({ role: e.role, name: e.studioByStudioId.name }))),
          producers: sorted(f.filmProducersByFilmId.nodes.map((e: any) => ({ role: e.role, name: e.producerByProducerId.name }))),
        })),
      floor: (a) =>
        a.map((f: any) => ({
          title: f.title,
          releaseDate: f.releaseDate,
          studios: sorted(f.studios.map((e: any) => ({ role: e.role, name: e.name }))),
          producers: sorted(f.producers.map((e: any) => ({ role: e.role, name: e.name }))),
        })),
    },
  },
  {
    id: 'Q3',
    depth: 2,
    title: 'the 50 latest deals with parties, films and values',
    ours: `{ deals(first: 50) { nodes { title kind announcedOn value { amount currency } valueUsd { amount } stakePercent parties { role studio { name } } films { nodes { title } } } } }`,
    postgraphile: `{ allDeals(first: 50, orderBy: [ANNOUNCED_ON_DESC, ROW_ID_DESC]) { nodes { title kind announcedOn valueAmount valueCurrency valueUsd stakePercent dealPartiesByDealId { nodes { role studioByStudioId { name } } } dealFilmsByDealId { nodes { filmByFilmId { title } } } } } }`,
    floor: `SELECT COALESCE(json_agg(json_build_object('title', d.title, 'kind', d.kind, 'announcedOn', d.announced_on,
        'valueAmount', d.value_amount::text, 'valueCurrency', d.value_currency, 'valueUsd', d.value_usd::text, 'stakePercent', d.stake_percent::text,
        'parties', (SELECT COALESCE(json_agg(json_build_object('role', dp.role, 'name', s.name)), '[]') FROM deal_party dp JOIN studio s ON s.id = dp.studio_id WHERE dp.deal_id = d.id),
        'films', (SELECT COALESCE(json_agg(f.title), '[]') FROM deal_film df JOIN film f ON f.id = df.film_id WHERE df.deal_id = d.id))
        ORDER BY d.announced_on DESC NULLS LAST, d.id DESC), '[]') AS answer
      FROM (SELECT * FROM deal ORDER BY announced_on DESC NULLS LAST, id DESC LIMIT 50) d`,
    normalise: {
      ours: (d) =>
        d.deals.nodes.map((x: any) => ({
          title: x.title,
          kind: x.kind,
          announcedOn: x.announcedOn,
          value: x.value ? `${x.value.amount} ${x.value.currency}` : null,
          valueUsd: x.valueUsd?.amount ?? null,
          stakePercent: x.stakePercent,
          parties: sorted(x.parties.map((p: any) => ({ role: p.role, name: p.studio.name }))),
          films: sorted(x.films.nodes.map((f: any) => f.title)),
        })),
      postgraphile: (d) =>
        d.allDeals.nodes.map((x: any) => ({
          title: x.title,
          kind: x.kind,
          announcedOn: x.announcedOn,
          value: x.valueAmount ? `${x.valueAmount} ${x.valueCurrency}` : null,
          valueUsd: x.valueUsd ?? null,
          stakePercent: x.stakePercent,
          parties: sorted(x.dealPartiesByDealId.nodes.map((p: any) => ({ role: p.role, name: p.studioByStudioId.name }))),
          films: sorted(x.dealFilmsByDealId.nodes.map((f: any) => f.filmByFilmId.title)),
        })),
      floor: (a) =>
        a.map((x: any) => ({
          title: x.title,
          kind: x.kind,
          announcedOn: x.announcedOn,
          value: x.valueAmount ? `${x.valueAmount} ${x.valueCurrency}` : null,
          valueUsd: x.valueUsd ?? null,
          stakePercent: x.stakePercent,
          parties: sorted(x.parties),
          films: sorted(x.films),
        })),
    },
  },
  {
    id: 'Q4',
    depth: 1,
    title: 'a filtered list with totalCount',
    ours: `{ films(first: 50, filter: { status: { eq: RELEASED } }, orderBy: [{ field: TITLE }]) { totalCount nodes { title releaseDate } } }`,
    postgraphile: `{ allFilms(first: 50, condition: { status: RELEASED }, orderBy: [TITLE_ASC, ROW_ID_ASC]) { totalCount nodes { title releaseDate } } }`,
    floor: `SELECT json_build_object('totalCount', (SELECT count(*) FROM film WHERE status = 'RELEASED'),
        'nodes', (SELECT COALESCE(json_agg(json_build_object('title', f.title, 'releaseDate', f.release_date) ORDER BY f.title, f.id), '[]')
                    FROM (SELECT * FROM film WHERE status = 'RELEASED' ORDER BY title, id LIMIT 50) f)) AS answer`,
    normalise: {
      ours: (d) => d.films,
      postgraphile: (d) => d.allFilms,
      floor: (a) => a,
    },
  },
  {
    id: 'Q5',
    depth: 1,
    title: '20 aliased lookups by slug in one document',
    ours: aliased('film'),
    postgraphile: aliased('filmBySlug'),
    floor: `SELECT COALESCE(json_agg(json_build_object('title', f.title, 'releaseDate', f.release_date) ORDER BY f.slug), '[]') AS answer
      FROM film f WHERE f.slug = ANY(ARRAY[${LOOKUPS.map((slug) => `'${slug}'`).join(', ')}])`,
    normalise: {
      ours: inAliasOrder,
      postgraphile: inAliasOrder,
      floor: (a) => a,
    },
  },
  {
    id: 'Q6',
    depth: 3,
    title: 'a wide fan-out: 100 studios, each with its latest 5 films and their producers',
    ours: `{ studios(first: 100, orderBy: [{ field: NAME }]) { nodes { name films(first: 5) { nodes { title producers { nodes { name } } } } } } }`,
    postgraphile: `{ allStudios(first: 100, orderBy: [NAME_ASC, ROW_ID_ASC]) { nodes { name latestFilms(first: 5) { nodes { title filmProducersByFilmId { nodes { producerByProducerId { name } } } } } } } }`,
    floor: `SELECT COALESCE(json_agg(json_build_object('name', s.name, 'films', (
        SELECT COALESCE(json_agg(json_build_object('title', f.title, 'producers', (
          SELECT COALESCE(json_agg(pr.name), '[]') FROM film_producer fp JOIN producer pr ON pr.id = fp.producer_id WHERE fp.film_id = f.id))
          ORDER BY f.${LATEST.replaceAll(', ', ', f.')}), '[]')
        FROM (${creditsSql('fs', 's.id', 5)}) f))
        ORDER BY s.name, s.id), '[]') AS answer
      FROM (SELECT * FROM studio ORDER BY name, id LIMIT 100) s`,
    normalise: {
      ours: (d) => d.studios.nodes.map((s: any) => ({ name: s.name, films: s.films.nodes.map((f: any) => ({ title: f.title, producers: sorted(f.producers.nodes.map((x: any) => x.name)) })) })),
      postgraphile: (d) =>
        d.allStudios.nodes.map((s: any) => ({
          name: s.name,
          films: s.latestFilms.nodes.map((f: any) => ({ title: f.title, producers: sorted(f.filmProducersByFilmId.nodes.map((x: any) => x.producerByProducerId.name)) })),
        })),
      floor: (a) => a.map((s: any) => ({ name: s.name, films: s.films.map((f: any) => ({ title: f.title, producers: sorted(f.producers) })) })),
    },
  },
  {
    id: 'Q7',
    depth: 3,
    title: "a deal desk: 100 deals with their parties, each party's parent company, and their films",
    ours: `{ deals(first: 100) { nodes { title parties { role studio { name parent { name } } } films { nodes { title } } } } }`,
    postgraphile: `{ allDeals(first: 100, orderBy: [ANNOUNCED_ON_DESC, ROW_ID_DESC]) { nodes { title dealPartiesByDealId { nodes { role studioByStudioId { name studioByParentId { name } } } } dealFilmsByDealId { nodes { filmByFilmId { title } } } } } }`,
    floor: `SELECT COALESCE(json_agg(json_build_object('title', d.title,
        'parties', (SELECT COALESCE(json_agg(json_build_object('role', dp.role, 'name', s.name, 'parent', ps.name)), '[]')
                    FROM deal_party dp JOIN studio s ON s.id = dp.studio_id LEFT JOIN studio ps ON ps.id = s.parent_id WHERE dp.deal_id = d.id),
        'films', (SELECT COALESCE(json_agg(f.title), '[]') FROM deal_film df JOIN film f ON f.id = df.film_id WHERE df.deal_id = d.id))
        ORDER BY d.announced_on DESC NULLS LAST, d.id DESC), '[]') AS answer
      FROM (SELECT * FROM deal ORDER BY announced_on DESC NULLS LAST, id DESC LIMIT 100) d`,
    normalise: {
      ours: (d) =>
        d.deals.nodes.map((x: any) => ({
          title: x.title,
          parties: sorted(x.parties.map((p: any) => ({ role: p.role, name: p.studio.name, parent: p.studio.parent?.name ?? null }))),
          films: sorted(x.films.nodes.map((f: any) => f.title)),
        })),
      postgraphile: (d) =>
        d.allDeals.nodes.map((x: any) => ({
          title: x.title,
          parties: sorted(x.dealPartiesByDealId.nodes.map((p: any) => ({ role: p.role, name: p.studioByStudioId.name, parent: p.studioByStudioId.studioByParentId?.name ?? null }))),
          films: sorted(x.dealFilmsByDealId.nodes.map((f: any) => f.filmByFilmId.title)),
        })),
      floor: (a) => a.map((x: any) => ({ title: x.title, parties: sorted(x.parties), films: sorted(x.films) })),
    },
  },
  {
    id: 'Q8',
    depth: 3,
    title: "a producer's page: one producer's latest 50 films and each film's studios",
    ours: `{ producer(slug: "${PRODUCER}") { name films(first: 50) { nodes { title studios { nodes { name } } } } } }`,
    postgraphile: `{ producerBySlug(slug: "${PRODUCER}") { name latestFilms(first: 50) { nodes { title filmStudiosByFilmId { nodes { studioByStudioId { name } } } } } } }`,
    floor: `SELECT json_build_object('name', p.name, 'films', (
        SELECT COALESCE(json_agg(json_build_object('title', f.title, 'studios', (
          SELECT COALESCE(json_agg(s.name), '[]') FROM film_studio fs JOIN studio s ON s.id = fs.studio_id WHERE fs.film_id = f.id))
          ORDER BY f.${LATEST.replaceAll(', ', ', f.')}), '[]')
        FROM (${creditsSql('fp', 'p.id', 50)}) f)) AS answer
      FROM producer p WHERE p.slug = '${PRODUCER}'`,
    normalise: {
      ours: (d) => ({ name: d.producer.name, films: d.producer.films.nodes.map((f: any) => ({ title: f.title, studios: sorted(f.studios.nodes.map((s: any) => s.name)) })) }),
      postgraphile: (d) => ({
        name: d.producerBySlug.name,
        films: d.producerBySlug.latestFilms.nodes.map((f: any) => ({ title: f.title, studios: sorted(f.filmStudiosByFilmId.nodes.map((s: any) => s.studioByStudioId.name)) })),
      }),
      floor: (a) => ({ name: a.name, films: a.films.map((f: any) => ({ title: f.title, studios: sorted(f.studios) })) }),
    },
  },
  {
    id: 'Q9',
    depth: 5,
    title: "five levels: a group's subsidiaries, their latest 5 films, the films' producers, each producer's latest 3 films",
    ours: `{ studio(slug: "${HUB}") { name subsidiaries(first: 10) { nodes { name films(first: 5) { nodes { title producers { nodes { name films(first: 3) { nodes { title } } } } } } } } } }`,
    postgraphile: `{ studioBySlug(slug: "${HUB}") { name studiosByParentId(first: 10, orderBy: [NAME_ASC, ROW_ID_ASC]) { nodes { name latestFilms(first: 5) { nodes { title filmProducersByFilmId { nodes { producerByProducerId { name latestFilms(first: 3) { nodes { title } } } } } } } } } } }`,
    floor: `SELECT json_build_object('name', s.name, 'subsidiaries', (
        SELECT COALESCE(json_agg(json_build_object('name', c.name, 'films', (
          SELECT COALESCE(json_agg(json_build_object('title', f.title, 'producers', (
            SELECT COALESCE(json_agg(json_build_object('name', pr.name, 'films', (
              SELECT COALESCE(json_agg(x.title ORDER BY x.${LATEST.replaceAll(', ', ', x.')}), '[]') FROM (${creditsSql('fp', 'pr.id', 3, 'f.title, f.release_date, f.id')}) x))), '[]')
            FROM film_producer fp0 JOIN producer pr ON pr.id = fp0.producer_id WHERE fp0.film_id = f.id))
            ORDER BY f.${LATEST.replaceAll(', ', ', f.')}), '[]')
          FROM (${creditsSql('fs', 'c.id', 5)}) f))
          ORDER BY c.name, c.id), '[]')
        FROM (SELECT * FROM studio WHERE parent_id = s.id ORDER BY name, id LIMIT 10) c)) AS answer
      FROM studio s WHERE s.slug = '${HUB}'`,
    normalise: {
      ours: (d) => ({
        name: d.studio.name,
        subsidiaries: d.studio.subsidiaries.nodes.map((c: any) => ({
          name: c.name,
          films: c.films.nodes.map((f: any) => ({ title: f.title, producers: sorted(f.producers.nodes.map((p: any) => ({ name: p.name, films: p.films.nodes.map((x: any) => x.title) }))) })),
        })),
      }),
      postgraphile: (d) => ({
        name: d.studioBySlug.name,
        subsidiaries: d.studioBySlug.studiosByParentId.nodes.map((c: any) => ({
          name: c.name,
          films: c.latestFilms.nodes.map((f: any) => ({
            title: f.title,
            producers: sorted(f.filmProducersByFilmId.nodes.map((p: any) => ({ name: p.producerByProducerId.name, films: p.producerByProducerId.latestFilms.nodes.map((x: any) => x.title) }))),
          })),
        })),
      }),
      floor: (a) => ({
        name: a.name,
        subsidiaries: a.subsidiaries.map((c: any) => ({ name: c.name, films: c.films.map((f: any) => ({ title: f.title, producers: sorted(f.producers) })) })),
      }),
    },
  },
  {
    id: 'Q10',
    depth: 2,
    title: 'a page deep in a list by cursor: 50 films by title after a given one, with their studios',
    ours: `query ($after: String) { films(first: 50, after: $after, orderBy: [{ field: TITLE }]) { nodes { title releaseDate studios { nodes { name } } } } }`,
    postgraphile: `query ($after: Cursor) { allFilms(first: 50, after: $after, orderBy: [TITLE_ASC, ROW_ID_ASC]) { nodes { title releaseDate filmStudiosByFilmId { nodes { studioByStudioId { name } } } } } }`,
    floor: `SELECT COALESCE(json_agg(json_build_object('title', f.title, 'releaseDate', f.release_date, 'studios', (
        SELECT COALESCE(json_agg(s.name), '[]') FROM film_studio fs JOIN studio s ON s.id = fs.studio_id WHERE fs.film_id = f.id))
        ORDER BY f.title, f.id), '[]') AS answer
      FROM (SELECT * FROM film WHERE (title, id) > (SELECT title, id FROM film WHERE slug = '${DEEP}') ORDER BY title, id LIMIT 50) f`,
    variables: {
      ours: `{ films(first: 1, filter: { slug: { eq: "${DEEP}" } }, orderBy: [{ field: TITLE }]) { edges { cursor } } }`,
      postgraphile: `{ allFilms(first: 1, condition: { slug: "${DEEP}" }, orderBy: [TITLE_ASC, ROW_ID_ASC]) { edges { cursor } } }`,
      pick: { ours: (d) => ({ after: d.films.edges[0].cursor }), postgraphile: (d) => ({ after: d.allFilms.edges[0].cursor }) },
    },
    normalise: {
      ours: (d) => d.films.nodes.map((f: any) => ({ title: f.title, releaseDate: f.releaseDate, studios: sorted(f.studios.nodes.map((s: any) => s.name)) })),
      postgraphile: (d) => d.allFilms.nodes.map((f: any) => ({ title: f.title, releaseDate: f.releaseDate, studios: sorted(f.filmStudiosByFilmId.nodes.map((s: any) => s.studioByStudioId.name)) })),
      floor: (a) => a.map((f: any) => ({ title: f.title, releaseDate: f.releaseDate, studios: sorted(f.studios) })),
    },
  },
];
