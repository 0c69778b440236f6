import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A studio's partners, by name, read from an index: `studio_partner` holds one row per studio, other
 * party and shared deal, with the partner's name and the deal's kind copied in, so that "the first 50
 * partners of a studio by name" reads the rows of those 50 partners in index order instead of pairing
 * every deal of the studio with every other party and sorting them all (the hub studio of the
 * benchmark's scale-10 dataset has 5,102 partners: 69 of its query's 76 ms went there).
 *
 * It is derived from `deal_party`, `deal` and `studio` and kept by the database in the transaction of
 * the write, whoever writes (the API, the import, the seed, COPY, psql): statement triggers on
 * `deal_party` with transition tables (a deal's rows are removed when one of its parties goes, and
 * rows are added for each new party with every other party of its deal, both ways), a row trigger on
 * `deal` for a changed kind and one on `studio` for a changed name. The table is rebuilt from
 * `deal_party` here, so it starts right on an existing database.
 */
const PARTY_TRIGGERS: [name: string, event: string, transition: string, fn: string][] = [
  ['deal_party_partners_insert', 'INSERT', 'NEW TABLE AS added', 'mg_studio_partner_add'],
  ['deal_party_partners_delete', 'DELETE', 'OLD TABLE AS removed', 'mg_studio_partner_remove'],
  ['deal_party_partners_update_1', 'UPDATE', 'OLD TABLE AS removed', 'mg_studio_partner_remove'],
  ['deal_party_partners_update_2', 'UPDATE', 'NEW TABLE AS added', 'mg_studio_partner_add'],
];

export class StudioPartners1796020000000 implements MigrationInterface {
  name = 'StudioPartners1796020000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "studio_partner" (
        "studio_id" integer NOT NULL,
        "partner_id" integer NOT NULL,
        "deal_id" integer NOT NULL,
        "partner_name" text NOT NULL,
        "deal_kind" "public"."deal_kind" NOT NULL,
        CONSTRAINT "studio_partner_pkey" PRIMARY KEY ("deal_id", "studio_id", "partner_id"),
        CONSTRAINT "studio_partner_studio_id_fkey" FOREIGN KEY ("studio_id") REFERENCES "studio"("id") ON DELETE CASCADE,
        CONSTRAINT "studio_partner_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "studio"("id") ON DELETE CASCADE,
        CONSTRAINT "studio_partner_deal_id_fkey" FOREIGN KEY ("deal_id") REFERENCES "deal"("id") ON DELETE CASCADE
      )`);
    // The page order (name, then id) after the studio; kind and deal make it cover the page's reads.
    await queryRunner.query('CREATE INDEX "studio_partner_page_idx" ON "studio_partner" ("studio_id", "partner_name", "partner_id", "deal_kind", "deal_id")');
    // A renamed studio's rows as a partner.
    await queryRunner.query('CREATE INDEX "studio_partner_partner_id_idx" ON "studio_partner" ("partner_id")');

    await queryRunner.query(`
      CREATE FUNCTION mg_studio_partner_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO studio_partner (studio_id, partner_id, deal_id, partner_name, deal_kind)
        SELECT x.studio_id, x.partner_id, x.deal_id, s.name, d.kind
          FROM (SELECT n.studio_id, o.studio_id AS partner_id, n.deal_id
                  FROM added n JOIN deal_party o ON o.deal_id = n.deal_id AND o.studio_id <> n.studio_id
                UNION
                SELECT o.studio_id, n.studio_id, n.deal_id
                  FROM added n JOIN deal_party o ON o.deal_id = n.deal_id AND o.studio_id <> n.studio_id) x
          JOIN studio s ON s.id = x.partner_id
          JOIN deal d ON d.id = x.deal_id
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION mg_studio_partner_remove() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM studio_partner p USING removed r
         WHERE p.deal_id = r.deal_id AND (p.studio_id = r.studio_id OR p.partner_id = r.studio_id);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION mg_studio_partner_kind() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE studio_partner SET deal_kind = NEW.kind WHERE deal_id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION mg_studio_partner_name() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE studio_partner SET partner_name = NEW.name WHERE partner_id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION mg_studio_partner_clear() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM studio_partner;
        RETURN NULL;
      END $$`);
    // A trigger with transition tables has one event. Triggers of one event fire in name order: an
    // update removes its old rows (1) before adding the new (2).
    for (const [trigger, event, transition, fn] of PARTY_TRIGGERS) {
      await queryRunner.query(`CREATE TRIGGER ${trigger} AFTER ${event} ON "deal_party" REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
    }
    await queryRunner.query('CREATE TRIGGER deal_party_partners_truncate AFTER TRUNCATE ON "deal_party" FOR EACH STATEMENT EXECUTE FUNCTION mg_studio_partner_clear()');
    await queryRunner.query(`
      CREATE TRIGGER deal_partner_kind AFTER UPDATE OF kind ON "deal" FOR EACH ROW
        WHEN (OLD.kind IS DISTINCT FROM NEW.kind) EXECUTE FUNCTION mg_studio_partner_kind()`);
    await queryRunner.query(`
      CREATE TRIGGER studio_partner_name AFTER UPDATE OF name ON "studio" FOR EACH ROW
        WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION mg_studio_partner_name()`);

    await queryRunner.query(`
      INSERT INTO studio_partner (studio_id, partner_id, deal_id, partner_name, deal_kind)
      SELECT a.studio_id, b.studio_id, a.deal_id, s.name, d.kind
        FROM deal_party a
        JOIN deal_party b ON b.deal_id = a.deal_id AND b.studio_id <> a.studio_id
        JOIN studio s ON s.id = b.studio_id
        JOIN deal d ON d.id = a.deal_id`);
    // Derived rows are written by the triggers above only (and by the cascades of their foreign keys):
    // a direct write would make the table disagree with deal_party, so it is refused with a message.
    await queryRunner.query(`
      CREATE FUNCTION mg_studio_partner_derived() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION 'studio_partner is derived from deal_party and kept by the database: write deal_party instead';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await queryRunner.query('CREATE TRIGGER studio_partner_derived BEFORE INSERT OR UPDATE OR DELETE ON "studio_partner" FOR EACH ROW EXECUTE FUNCTION mg_studio_partner_derived()');
    // Answers that read partners are dropped from the response cache when the table changes (migration ResponseCacheInvalidation).
    await queryRunner.query('CREATE TRIGGER studio_partner_cache AFTER INSERT OR UPDATE OR DELETE ON "studio_partner" FOR EACH STATEMENT EXECUTE FUNCTION mg_cache_invalidate()');
    await queryRunner.query('CREATE TRIGGER studio_partner_cache_truncate AFTER TRUNCATE ON "studio_partner" FOR EACH STATEMENT EXECUTE FUNCTION mg_cache_invalidate()');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER studio_partner_name ON "studio"');
    await queryRunner.query('DROP TRIGGER deal_partner_kind ON "deal"');
    await queryRunner.query('DROP TRIGGER deal_party_partners_truncate ON "deal_party"');
    for (const [trigger] of PARTY_TRIGGERS) await queryRunner.query(`DROP TRIGGER ${trigger} ON "deal_party"`);
    await queryRunner.query('DROP TABLE "studio_partner"');
    for (const fn of ['derived', 'name', 'kind', 'remove', 'add', 'clear']) await queryRunner.query(`DROP FUNCTION mg_studio_partner_${fn}()`);
  }
}
