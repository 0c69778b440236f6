import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate limits shared by every instance of the service (RATE_LIMIT_STORE=postgres): one token bucket
 * per caller, taken in one call that locks the caller's row, so concurrent requests through any
 * instance count against the same bucket. UNLOGGED: the buckets are worth nothing after a crash
 * (callers start full again) and writing them to the WAL would cost every request.
 */
export class RateLimits1795950000000 implements MigrationInterface {
  name = 'RateLimits1795950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE UNLOGGED TABLE rate_limit_bucket (
      caller text PRIMARY KEY,
      tokens double precision NOT NULL,
      capacity double precision NOT NULL,
      per_second double precision NOT NULL,
      at timestamptz NOT NULL
    )`);
    // 0 when the caller may go ahead (a token is taken), otherwise the whole seconds to wait.
    await queryRunner.query(`CREATE FUNCTION rate_limit_take(p_caller text, p_capacity double precision, p_per_second double precision)
      RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        available double precision;
      BEGIN
        INSERT INTO rate_limit_bucket AS b (caller, tokens, capacity, per_second, at)
        VALUES (p_caller, p_capacity, p_capacity, p_per_second, clock_timestamp())
        ON CONFLICT (caller) DO UPDATE
          SET tokens = LEAST(p_capacity, b.tokens + extract(epoch FROM clock_timestamp() - b.at) * p_per_second),
              capacity = p_capacity, per_second = p_per_second, at = clock_timestamp()
        RETURNING tokens INTO available;
        IF available >= 1 THEN
          UPDATE rate_limit_bucket SET tokens = tokens - 1 WHERE caller = p_caller;
          RETURN 0;
        END IF;
        RETURN GREATEST(1, ceil((1 - available) / p_per_second))::integer;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION rate_limit_take(text, double precision, double precision)');
    await queryRunner.query('DROP TABLE rate_limit_bucket');
  }
}
