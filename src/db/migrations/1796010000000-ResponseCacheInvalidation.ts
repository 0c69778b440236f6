import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every write to a table that answers read sends `NOTIFY mg_cache, '<table>'`, which PostgreSQL
 * delivers at commit (and never for a rolled-back write) to every listening instance: the response
 * cache (http/response-cache.ts) drops the answers that read the table. A statement trigger, so a
 * write of many rows notifies once; PostgreSQL also folds repeats within a transaction. Writes from
 * anywhere notify: the API, the import, the seed, psql.
 */
const TABLES = [
  'studio',
  'producer',
  'film',
  'deal',
  'film_studio',
  'film_producer',
  'deal_party',
  'deal_film',
  'deal_source',
  'source',
  'producer_studio',
  'api_key',
  'audit_log',
  'import_run',
  'import_reject',
  'seed_history',
];

export class ResponseCacheInvalidation1796010000000 implements MigrationInterface {
  name = 'ResponseCacheInvalidation1796010000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION mg_cache_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('mg_cache', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    for (const table of TABLES) {
      await queryRunner.query(`CREATE TRIGGER ${table}_cache AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION mg_cache_invalidate()`);
      await queryRunner.query(`CREATE TRIGGER ${table}_cache_truncate AFTER TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION mg_cache_invalidate()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`DROP TRIGGER ${table}_cache_truncate ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER ${table}_cache ON "${table}"`);
    }
    await queryRunner.query('DROP FUNCTION mg_cache_invalidate()');
  }
}
