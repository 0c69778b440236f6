import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes in the exact order of the default "latest first" lists (films by release date, deals by
 * announcement), NULLs last as the API sorts them: a page of the latest films or deals is then read
 * from the index instead of sorting the whole table. Declared with `synchronize: false` on the
 * entities, since TypeORM cannot express DESC NULLS LAST.
 */
export class ListOrders1795930000000 implements MigrationInterface {
  name = 'ListOrders1795930000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX film_latest_idx ON film (release_date DESC NULLS LAST, id)');
    await queryRunner.query('CREATE INDEX deal_latest_idx ON deal (announced_on DESC NULLS LAST, id DESC)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX deal_latest_idx');
    await queryRunner.query('DROP INDEX film_latest_idx');
  }
}
