import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live deal feed: every new deal is announced on the `deal_announced` channel with its id. NOTIFY
 * is transactional, so listeners hear of a deal only once its transaction (with its parties and
 * films) has committed, and never of one rolled back; and it covers every writer (the API on any
 * instance, the importer, the seed, plain SQL).
 */
export class DealFeed1795940000000 implements MigrationInterface {
  name = 'DealFeed1795940000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION deal_announce() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('deal_announced', NEW.id::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query('CREATE TRIGGER deal_announce AFTER INSERT ON deal FOR EACH ROW EXECUTE FUNCTION deal_announce()');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER deal_announce ON deal');
    await queryRunner.query('DROP FUNCTION deal_announce()');
  }
}
