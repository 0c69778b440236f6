import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Table `seed_history`: which version of each seed was applied, so seeding is versioned and idempotent. */
@Entity('seed_history')
export class SeedHistoryEntity {
  @PrimaryColumn('text', { primaryKeyConstraintName: 'seed_history_pkey' })
  name!: string;

  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'applied_at', default: () => 'now()' })
  appliedAt!: Date;
}
