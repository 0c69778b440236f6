import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every field of the movies catalogue, typed: US gross and US DVD sales (US dollars), MPAA rating,
 * running time, source material, creative type, Rotten Tomatoes and IMDb ratings and IMDb votes; and
 * the release date as the source wrote it where the import repaired it. Each numeric field has an
 * index for its order and range filters. ACTOR joins the producer credit roles (a cast credit).
 *
 * `mg_title_key`: how an import (and the seed) tells that two records are the same film: the title
 * without accents, case, punctuation or a leading article ("The", "A", "An"); with the release year,
 * indexed (public.mg_norm qualified: PostgreSQL 17 and later build indexes with a search_path of
 * pg_catalog only). The import run counts records matched that way, ambiguous ones and repaired dates.
 */
export class FilmCatalogueFields1795990000000 implements MigrationInterface {
  name = 'FilmCatalogueFields1795990000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "mpaa_rating" AS ENUM ('G', 'PG', 'PG_13', 'R', 'NC_17', 'NOT_RATED', 'OPEN')`);
    await queryRunner.query(`
      ALTER TABLE "film"
        ADD "us_gross_usd" numeric CONSTRAINT "film_us_gross_usd_check" CHECK ("us_gross_usd" >= 0),
        ADD "us_dvd_sales_usd" numeric CONSTRAINT "film_us_dvd_sales_usd_check" CHECK ("us_dvd_sales_usd" >= 0),
        ADD "mpaa_rating" "mpaa_rating",
        ADD "running_time_minutes" integer CONSTRAINT "film_running_time_minutes_check" CHECK ("running_time_minutes" > 0),
        ADD "source_material" text,
        ADD "creative_type" text,
        ADD "rotten_tomatoes_rating" integer CONSTRAINT "film_rotten_tomatoes_rating_check" CHECK ("rotten_tomatoes_rating" BETWEEN 0 AND 100),
        ADD "imdb_rating" numeric(3,1) CONSTRAINT "film_imdb_rating_check" CHECK ("imdb_rating" BETWEEN 0 AND 10),
        ADD "imdb_votes" integer CONSTRAINT "film_imdb_votes_check" CHECK ("imdb_votes" >= 0),
        ADD "release_date_as_reported" text`);
    for (const column of ['us_gross_usd', 'us_dvd_sales_usd', 'running_time_minutes', 'rotten_tomatoes_rating', 'imdb_rating', 'imdb_votes']) {
      await queryRunner.query(`CREATE INDEX "film_${column}_idx" ON "film" ("${column}")`);
    }
    await queryRunner.query(`ALTER TYPE "producer_credit_role" ADD VALUE IF NOT EXISTS 'ACTOR'`);
    await queryRunner.query(
      `CREATE FUNCTION mg_title_key(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT regexp_replace(btrim(regexp_replace(public.mg_norm($1), '[^a-z0-9]+', ' ', 'g')), '^(the|a|an) ', '') $$`,
    );
    await queryRunner.query(`CREATE INDEX "film_title_key_idx" ON "film" (mg_title_key("title"), (extract(year FROM "release_date")))`);
    await queryRunner.query(
      `ALTER TABLE "import_run" ADD "matched" integer NOT NULL DEFAULT 0, ADD "ambiguous" integer NOT NULL DEFAULT 0, ADD "repaired" integer NOT NULL DEFAULT 0`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "import_run" DROP "matched", DROP "ambiguous", DROP "repaired"`);
    await queryRunner.query(`DROP INDEX "film_title_key_idx"`);
    await queryRunner.query(`DROP FUNCTION mg_title_key(text)`);
    await queryRunner.query(`DELETE FROM "film_producer" WHERE "role" = 'ACTOR'`);
    await queryRunner.query(`ALTER TYPE "producer_credit_role" RENAME TO "producer_credit_role_old"`);
    await queryRunner.query(`CREATE TYPE "producer_credit_role" AS ENUM ('PRODUCER', 'EXECUTIVE_PRODUCER', 'DIRECTOR')`);
    await queryRunner.query(`ALTER TABLE "film_producer" ALTER "role" TYPE "producer_credit_role" USING "role"::text::"producer_credit_role"`);
    await queryRunner.query(`DROP TYPE "producer_credit_role_old"`);
    await queryRunner.query(`
      ALTER TABLE "film" DROP "us_gross_usd", DROP "us_dvd_sales_usd", DROP "mpaa_rating", DROP "running_time_minutes", DROP "source_material",
        DROP "creative_type", DROP "rotten_tomatoes_rating", DROP "imdb_rating", DROP "imdb_votes", DROP "release_date_as_reported"`);
    await queryRunner.query(`DROP TYPE "mpaa_rating"`);
  }
}
