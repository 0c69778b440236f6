import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, type Relation } from 'typeorm';

/**
 * Table `import_run`: the progress of an import. `position` (records done) and the counts are
 * updated in the same transaction as each batch, so a killed import resumes exactly after its last
 * committed batch, with counts that add up as if it had never stopped.
 */
@Entity('import_run')
@Index('import_run_source_idx', ['sourceHash'])
export class ImportRunEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT', primaryKeyConstraintName: 'import_run_pkey' })
  id!: number;

  /** What was imported: `movies` or a file path. */
  @Column('text')
  source!: string;

  /** SHA-256 of the source's content: the same content resumes the same run. */
  @Column('text', { name: 'source_hash' })
  sourceHash!: string;

  @Column('integer', { default: 0 })
  position!: number;

  @Column('integer', { default: 0 })
  inserted!: number;

  @Column('integer', { default: 0 })
  updated!: number;

  @Column('integer', { default: 0 })
  unchanged!: number;

  @Column('integer', { default: 0 })
  rejected!: number;

  /** Records that were merged into a film already in the catalogue under another slug (same title and year). */
  @Column('integer', { default: 0 })
  matched!: number;

  /** Records that matched more than one film: reported as rejects, never merged. */
  @Column('integer', { default: 0 })
  ambiguous!: number;

  /** Records whose release date was repaired (the source's two-digit-year mistakes). */
  @Column('integer', { default: 0 })
  repaired!: number;

  @Column('timestamptz', { name: 'started_at', default: () => 'now()' })
  startedAt!: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}

/** Table `import_reject`: the records an import could not take, with why; written with their batch. */
@Entity('import_reject')
export class ImportRejectEntity {
  @PrimaryColumn('integer', { name: 'run_id', primaryKeyConstraintName: 'import_reject_pkey' })
  runId!: number;

  @PrimaryColumn('integer', { name: 'record_number', primaryKeyConstraintName: 'import_reject_pkey' })
  recordNumber!: number;

  @Column('text')
  reason!: string;

  @Column('jsonb', { nullable: true })
  record!: unknown;

  @ManyToOne(() => ImportRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'import_reject_run_id_fkey' })
  run!: Relation<ImportRunEntity>;
}
