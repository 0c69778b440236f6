import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A receipt per write transaction, inserted in the transaction itself: when the connection breaks
 * during COMMIT, the receipt's presence says whether the write committed (db/pool.ts). A transaction
 * id cannot say it: one whose records never reached the WAL is handed out again after crash recovery,
 * and would then report another transaction's fate. Receipts are only needed for seconds; the service
 * deletes those older than a few minutes.
 */
export class CommitReceipts1795970000000 implements MigrationInterface {
  name = 'CommitReceipts1795970000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE commit_receipt (token uuid PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
    await queryRunner.query('CREATE INDEX commit_receipt_at_idx ON commit_receipt (at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE commit_receipt');
  }
}
