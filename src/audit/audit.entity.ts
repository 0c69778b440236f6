import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Table `audit_log`: one row per write, inserted in the write's own transaction, so a write and its
 * record commit or roll back together. `before`/`after` hold the entity's whole state (with its links).
 */
@Entity('audit_log')
@Index('audit_log_entity_idx', ['entityType', 'entityId', 'id'])
@Index('audit_log_at_idx', ['at'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT', primaryKeyConstraintName: 'audit_log_pkey' })
  id!: string;

  @Column('timestamptz', { default: () => 'now()' })
  at!: Date;

  /** Name of the API key that wrote, or a command's name (`import`, `seed`). */
  @Column('text')
  actor!: string;

  @Column('text')
  operation!: string;

  @Column('text', { name: 'entity_type' })
  entityType!: string;

  @Column('integer', { name: 'entity_id' })
  entityId!: number;

  @Column('jsonb', { nullable: true })
  before!: unknown;

  @Column('jsonb', { nullable: true })
  after!: unknown;
}
