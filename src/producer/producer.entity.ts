import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { StudioEntity } from '../studio/studio.entity';
import { ProducerKind } from './producer.enums';

/** Table `producer`: a person or company credited on films. The GraphQL shape is `Producer`. */
@Entity('producer')
@Unique('producer_slug_key', ['slug'])
@Check('producer_slug_check', `"slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
@Check('producer_name_check', `btrim("name") <> ''`)
@Index('producer_name_idx', ['name'])
@Index('producer_created_at_idx', ['createdAt'])
export class ProducerEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT', primaryKeyConstraintName: 'producer_pkey' })
  id!: number;

  @Column('text')
  slug!: string;

  @Column('text')
  name!: string;

  @Column({ type: 'enum', enum: ProducerKind, enumName: 'producer_kind' })
  kind!: ProducerKind;

  @Column('text', { nullable: true })
  bio!: string | null;

  /** Optimistic concurrency: incremented by every update; writes name the version they expect. */
  @Column('integer', { default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Table `producer_studio`: a producer's affiliation with a studio (Steven Spielberg and Amblin Partners). */
@Entity('producer_studio')
@Index('producer_studio_studio_id_idx', ['studioId', 'producerId'])
export class ProducerAffiliationEntity {
  @PrimaryColumn('integer', { name: 'producer_id', primaryKeyConstraintName: 'producer_studio_pkey' })
  producerId!: number;

  @PrimaryColumn('integer', { name: 'studio_id', primaryKeyConstraintName: 'producer_studio_pkey' })
  studioId!: number;

  /** Free text such as "Co-founder", when a source gives it. */
  @Column('text', { nullable: true })
  title!: string | null;

  @ManyToOne(() => ProducerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'producer_id', foreignKeyConstraintName: 'producer_studio_producer_id_fkey' })
  producer!: Relation<ProducerEntity>;

  @ManyToOne(() => StudioEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'studio_id', foreignKeyConstraintName: 'producer_studio_studio_id_fkey' })
  studio!: Relation<StudioEntity>;
}
