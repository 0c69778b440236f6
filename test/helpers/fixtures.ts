import type pg from 'pg';

/**
 * Generated catalogue data for tests that need volume. Deterministic: the same call makes the same
 * rows. Inserted with plain SQL, in one statement per table.
 */

export interface Hub {
  studioId: number;
  slug: string;
  partnerSlugs: string[];
}

/**
 * A studio linked by one PARTNERSHIP deal each to `partners` other studios; each partner has
 * `filmsPerPartner` films credited as PRODUCTION, each with `producersPerFilm` producers.
 */
export async function insertHub(
  pool: pg.Pool,
  prefix: string,
  partners: number,
  filmsPerPartner: number,
  producersPerFilm: number,
): Promise<Hub> {
  const hub = await pool.query<{ id: number }>(`INSERT INTO studio (slug, name, kind) VALUES ($1, $2, 'STUDIO') RETURNING id`, [
    `${prefix}-hub`,
    `${prefix} hub`,
  ]);
  const hubId = hub.rows[0].id;
  const partnerSlugs = Array.from({ length: partners }, (_, i) => `${prefix}-partner-${String(i + 1).padStart(3, '0')}`);
  await pool.query(
    `INSERT INTO studio (slug, name, kind, founded_year)
     SELECT s, initcap(replace(s, '-', ' ')), 'PRODUCTION_COMPANY', 1950 + i % 70 FROM unnest($1::text[]) WITH ORDINALITY AS t(s, i)`,
    [partnerSlugs],
  );
  await pool.query(
    `WITH partner AS (SELECT id, slug FROM studio WHERE slug = ANY($1::text[])),
          d AS (INSERT INTO deal (slug, kind, title, status, announced_on, announced_on_precision)
                SELECT 'deal-' || slug, 'PARTNERSHIP', 'Partnership with ' || slug, 'CLOSED', DATE '2020-01-01' + id, 'DAY' FROM partner
                RETURNING id, slug)
     INSERT INTO deal_party (deal_id, studio_id, role)
     SELECT d.id, p.id, 'PARTNER'::deal_party_role FROM d JOIN partner p ON d.slug = 'deal-' || p.slug
     UNION ALL SELECT d.id, $2, 'PARTNER'::deal_party_role FROM d`,
    [partnerSlugs, hubId],
  );
  await pool.query(
    `WITH partner AS (SELECT id, slug FROM studio WHERE slug = ANY($1::text[])),
          f AS (INSERT INTO film (slug, title, status, release_date)
                SELECT p.slug || '-film-' || n, initcap(p.slug) || ' film ' || n, 'RELEASED', DATE '2000-01-01' + n * 30
                  FROM partner p CROSS JOIN generate_series(1, $2::int) n
                RETURNING id, slug)
     INSERT INTO film_studio (film_id, studio_id, role)
     SELECT f.id, p.id, 'PRODUCTION' FROM f JOIN partner p ON f.slug LIKE p.slug || '-film-%'`,
    [partnerSlugs, filmsPerPartner],
  );
  await pool.query(
    `WITH producers AS (
       INSERT INTO producer (slug, name, kind)
       SELECT $1 || '-producer-' || n, initcap($1) || ' producer ' || n, 'PERSON' FROM generate_series(1, $2::int) n
       RETURNING id)
     INSERT INTO film_producer (film_id, producer_id, role)
     SELECT f.id, p.id, 'PRODUCER'
       FROM film f JOIN film_studio fs ON fs.film_id = f.id JOIN studio s ON s.id = fs.studio_id AND s.slug = ANY($3::text[])
       CROSS JOIN producers p`,
    [prefix, producersPerFilm, partnerSlugs],
  );
  return { studioId: hubId, slug: `${prefix}-hub`, partnerSlugs };
}
