import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fuzzy, accent-insensitive search (pg_trgm + unaccent + full-text) and the indexes behind the new
 * filters. `mg_norm` is the one normalisation used by both the indexes and the queries: lower case,
 * accents removed. unaccent() itself is only STABLE (its dictionary could change), so it is wrapped
 * with the dictionary named explicitly, which makes an IMMUTABLE function that indexes can use.
 */
export class Search1795910000000 implements MigrationInterface {
  name = 'Search1795910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    await queryRunner.query(
      `CREATE FUNCTION mg_norm(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`,
    );
    for (const [table, column] of [
      ['studio', 'name'],
      ['producer', 'name'],
      ['film', 'title'],
      ['deal', 'title'],
    ]) {
      await queryRunner.query(`CREATE INDEX ${table}_${column}_trgm_idx ON ${table} USING gin (mg_norm(${column}) gin_trgm_ops)`);
      await queryRunner.query(`CREATE INDEX ${table}_${column}_fts_idx ON ${table} USING gin (to_tsvector('english', mg_norm(${column})))`);
    }
    await queryRunner.query('CREATE INDEX film_genres_idx ON film USING gin (genres)');
    await queryRunner.query('CREATE INDEX film_budget_amount_idx ON film (budget_amount)');
    await queryRunner.query('CREATE INDEX film_worldwide_gross_amount_idx ON film (worldwide_gross_amount)');
    await queryRunner.query('CREATE INDEX deal_stake_percent_idx ON deal (stake_percent)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX deal_stake_percent_idx');
    await queryRunner.query('DROP INDEX film_worldwide_gross_amount_idx');
    await queryRunner.query('DROP INDEX film_budget_amount_idx');
    await queryRunner.query('DROP INDEX film_genres_idx');
    for (const [table, column] of [
      ['studio', 'name'],
      ['producer', 'name'],
      ['film', 'title'],
      ['deal', 'title'],
    ]) {
      await queryRunner.query(`DROP INDEX ${table}_${column}_fts_idx`);
      await queryRunner.query(`DROP INDEX ${table}_${column}_trgm_idx`);
    }
    await queryRunner.query('DROP FUNCTION mg_norm(text)');
    // The extensions stay: other objects of the database may use them.
  }
}
