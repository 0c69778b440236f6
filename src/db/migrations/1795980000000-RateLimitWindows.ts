import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate limits shared through PostgreSQL (RATE_LIMIT_STORE=postgres) count fixed windows, as the
 * rate-limit library does in memory and in Redis: one row per caller and window, updated in one
 * statement. UNLOGGED: the counts are worth nothing after a crash (callers start afresh) and writing
 * them to the WAL would cost every request. The token buckets of the RateLimits migration go.
 */
export class RateLimitWindows1795980000000 implements MigrationInterface {
  name = 'RateLimitWindows1795980000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE UNLOGGED TABLE rate_limit_window (key text PRIMARY KEY, count integer NOT NULL, window_ends timestamptz NOT NULL)');
    await queryRunner.query('DROP FUNCTION rate_limit_take(text, double precision, double precision)');
    await queryRunner.query('DROP TABLE rate_limit_bucket');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE rate_limit_window');
  }
}
