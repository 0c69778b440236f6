import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { StudioKind } from './studio.enums';

/** Table `studio`: a company of the film business. The GraphQL shape is `Studio` (studio.type.ts). */
@Entity('studio')
@Unique('studio_slug_key', ['slug'])
@Check('studio_slug_check', `"slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
@Check('studio_name_check', `btrim("name") <> ''`)
@Check('studio_country_check', `"country" ~ '^[A-Z]{2}$'`)
@Check('studio_founded_year_check', '"founded_year" BETWEEN 1800 AND 2200')
@Check('studio_parent_check', '"parent_id" <> "id"')
@Index('studio_name_idx', ['name'])
@Index('studio_founded_year_idx', ['foundedYear'])
@Index('studio_created_at_idx', ['createdAt'])
@Index('studio_parent_id_idx', ['parentId'])
@Index('studio_kind_idx', ['kind'])
export class StudioEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT', primaryKeyConstraintName: 'studio_pkey' })
  id!: number;

  @Column('text')
  slug!: string;

  @Column('text')
  name!: string;

  @Column({ type: 'enum', enum: StudioKind, enumName: 'studio_kind' })
  kind!: StudioKind;

  /** ISO 3166-1 alpha-2 code. */
  @Column('char', { length: 2, nullable: true })
  country!: string | null;

  @Column('text', { nullable: true })
  headquarters!: string | null;

  @Column('smallint', { name: 'founded_year', nullable: true })
  foundedYear!: number | null;

  @Column('text', { name: 'stock_listing', nullable: true })
  stockListing!: string | null;

  @Column('text', { nullable: true })
  website!: string | null;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('integer', { name: 'parent_id', nullable: true })
  parentId!: number | null;

  @ManyToOne(() => StudioEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'studio_parent_id_fkey' })
  parent!: Relation<StudioEntity> | null;

  /** Optimistic concurrency: incremented by every update; writes name the version they expect. */
  @Column('integer', { default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
