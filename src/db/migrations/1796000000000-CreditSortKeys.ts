import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A studio's or producer's film credits carry the film's sort key (release date and title), so that
 * "the latest 5 films of each of 100 studios" is read from an index in the page's order: PostgreSQL
 * reads about the rows it returns instead of joining and sorting every credit of every parent. On the
 * benchmark's dataset (scale 1): the latest 5 films of 100 studios read 2,417 buffers instead of
 * 18,594 (bench/results.md has the plans).
 *
 * The copies are kept by the database, in the transaction of the write, whatever writes: a credit
 * takes its film's keys when it is inserted or changed (a BEFORE trigger reads them from `film`, so a
 * credit cannot hold other values), and a film whose title or release date changes passes them to its
 * credits (an AFTER trigger). The index of each credit table's parent column becomes the page order
 * (NULLs last, as the API sorts): it still holds the whole link, for index-only scans.
 */
const CREDITS: [table: string, parent: string, oldIndex: string, index: string][] = [
  ['film_studio', 'studio_id', 'film_studio_studio_id_idx', 'film_studio_studio_latest_idx'],
  ['film_producer', 'producer_id', 'film_producer_producer_id_idx', 'film_producer_producer_latest_idx'],
];

export class CreditSortKeys1796000000000 implements MigrationInterface {
  name = 'CreditSortKeys1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION mg_credit_film_keys() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT f.release_date, f.title INTO NEW.film_release_date, NEW.film_title FROM film f WHERE f.id = NEW.film_id;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION mg_film_credit_keys() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE film_studio SET film_release_date = NEW.release_date, film_title = NEW.title WHERE film_id = NEW.id;
        UPDATE film_producer SET film_release_date = NEW.release_date, film_title = NEW.title WHERE film_id = NEW.id;
        RETURN NULL;
      END $$`);
    for (const [table, parent, oldIndex, index] of CREDITS) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "film_release_date" date, ADD "film_title" text`);
      await queryRunner.query(`UPDATE "${table}" c SET "film_release_date" = f.release_date, "film_title" = f.title FROM film f WHERE f.id = c.film_id`);
      await queryRunner.query(`ALTER TABLE "${table}" ALTER "film_title" SET NOT NULL`);
      await queryRunner.query(`CREATE TRIGGER ${table}_film_keys BEFORE INSERT OR UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION mg_credit_film_keys()`);
      await queryRunner.query(`DROP INDEX "${oldIndex}"`);
      await queryRunner.query(`CREATE INDEX "${index}" ON "${table}" ("${parent}", "film_release_date" DESC NULLS LAST, "film_title", "film_id", "role")`);
    }
    await queryRunner.query(`
      CREATE TRIGGER film_credit_keys AFTER UPDATE OF release_date, title ON film FOR EACH ROW
        WHEN (OLD.release_date IS DISTINCT FROM NEW.release_date OR OLD.title IS DISTINCT FROM NEW.title)
        EXECUTE FUNCTION mg_film_credit_keys()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER film_credit_keys ON film');
    for (const [table, parent, oldIndex, index] of CREDITS) {
      await queryRunner.query(`DROP INDEX "${index}"`);
      await queryRunner.query(`CREATE INDEX "${oldIndex}" ON "${table}" ("${parent}", "film_id", "role")`);
      await queryRunner.query(`DROP TRIGGER ${table}_film_keys ON "${table}"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP "film_release_date", DROP "film_title"`);
    }
    await queryRunner.query('DROP FUNCTION mg_film_credit_keys()');
    await queryRunner.query('DROP FUNCTION mg_credit_film_keys()');
  }
}
