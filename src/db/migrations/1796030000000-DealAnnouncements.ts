import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live deal feed gets an outbox: every new deal is written to `deal_announcement` with a
 * sequence number, in the transaction that creates it, and NOTIFY only wakes the instances, which
 * read what follows the last number they delivered. An instance whose LISTEN connection dropped
 * catches up when it reconnects; a client resumes with `dealAnnounced(after:)`.
 *
 * The numbers follow commit order, so that "everything after N" never skips a deal committed later
 * with a smaller number: the trigger is deferred to commit time, and takes a transaction-level
 * advisory lock before numbering, which every announcing transaction holds from its last step until
 * its commit is visible. A reader that sees number N therefore sees every smaller number that will
 * ever exist (a transaction that rolls back after numbering leaves a gap, which is never filled).
 * What this costs: announcing transactions commit one at a time (the lock is held only from the
 * deferred trigger to the end of the commit).
 *
 * The notification's payload is empty, so that a transaction announcing many deals (an import)
 * wakes each listener once. `deal_feed_state.pruned_through` is the last number retention removed:
 * a cursor older than it cannot be resumed.
 */
export const DEAL_FEED_LOCK = 7_120_240_801;

export class DealAnnouncements1796030000000 implements MigrationInterface {
  name = 'DealAnnouncements1796030000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "deal_announcement" (
        "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "deal_id" integer NOT NULL,
        "announced_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT "deal_announcement_pkey" PRIMARY KEY ("seq"),
        CONSTRAINT "deal_announcement_deal_id_key" UNIQUE ("deal_id"),
        CONSTRAINT "deal_announcement_deal_id_fkey" FOREIGN KEY ("deal_id") REFERENCES "deal"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query('CREATE INDEX "deal_announcement_announced_at_idx" ON "deal_announcement" ("announced_at")');
    await queryRunner.query(`
      CREATE TABLE "deal_feed_state" (
        "id" boolean NOT NULL DEFAULT true,
        "pruned_through" bigint NOT NULL DEFAULT 0,
        CONSTRAINT "deal_feed_state_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "deal_feed_state_one_row_check" CHECK ("id")
      )`);
    await queryRunner.query('INSERT INTO "deal_feed_state" DEFAULT VALUES');

    await queryRunner.query('DROP TRIGGER deal_announce ON deal');
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION deal_announce() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(${DEAL_FEED_LOCK});
        -- A deal created and deleted in the same transaction is not announced.
        INSERT INTO deal_announcement (deal_id) SELECT NEW.id WHERE EXISTS (SELECT 1 FROM deal WHERE id = NEW.id);
        PERFORM pg_notify('deal_announced', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query('CREATE CONSTRAINT TRIGGER deal_announce AFTER INSERT ON deal DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION deal_announce()');

    // Deal.feedCursor reads announcements: answers that read it are dropped from the response cache
    // when they change (migration ResponseCacheInvalidation).
    await queryRunner.query('CREATE TRIGGER deal_announcement_cache AFTER INSERT OR UPDATE OR DELETE ON "deal_announcement" FOR EACH STATEMENT EXECUTE FUNCTION mg_cache_invalidate()');
    await queryRunner.query('CREATE TRIGGER deal_announcement_cache_truncate AFTER TRUNCATE ON "deal_announcement" FOR EACH STATEMENT EXECUTE FUNCTION mg_cache_invalidate()');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER deal_announce ON deal');
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION deal_announce() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('deal_announced', NEW.id::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query('CREATE TRIGGER deal_announce AFTER INSERT ON deal FOR EACH ROW EXECUTE FUNCTION deal_announce()');
    await queryRunner.query('DROP TABLE "deal_feed_state"');
    await queryRunner.query('DROP TABLE "deal_announcement"');
  }
}
