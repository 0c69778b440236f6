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
import { FilmEntity } from '../film/film.entity';
import { StudioEntity } from '../studio/studio.entity';
import { DatePrecision, DealKind, DealPartyRole, DealStatus } from './deal.enums';

/**
 * Table `deal`. `value_amount`/`value_currency` is the value as reported (4.68 billion CNY);
 * `value_usd` is the USD value as reported ($744 million), never a conversion of ours.
 * A date known only to the month or year is stored as the first day of that period.
 */
@Entity('deal')
@Unique('deal_slug_key', ['slug'])
@Check('deal_slug_check', `"slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
@Check('deal_title_check', `btrim("title") <> ''`)
@Check('deal_value_check', `("value_amount" IS NULL) = ("value_currency" IS NULL) AND "value_amount" >= 0 AND "value_currency" ~ '^[A-Z]{3}$'`)
@Check('deal_value_usd_check', '"value_usd" >= 0')
@Check('deal_stake_percent_check', '"stake_percent" >= 0 AND "stake_percent" <= 100')
@Check(
  'deal_announced_on_check',
  `("announced_on" IS NULL) = ("announced_on_precision" IS NULL) AND CASE "announced_on_precision" WHEN 'MONTH' THEN extract(day FROM "announced_on") = 1 WHEN 'YEAR' THEN extract(doy FROM "announced_on") = 1 ELSE true END`,
)
@Index('deal_announced_on_idx', ['announcedOn'])
@Index('deal_title_idx', ['title'])
@Index('deal_value_usd_idx', ['valueUsd'])
@Index('deal_created_at_idx', ['createdAt'])
@Index('deal_kind_idx', ['kind'])
@Index('deal_stake_percent_idx', ['stakePercent'])
// (announced_on DESC NULLS LAST, id DESC): the default "latest first" order; created by a migration.
@Index('deal_latest_idx', { synchronize: false })
export class DealEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT', primaryKeyConstraintName: 'deal_pkey' })
  id!: number;

  @Column('text')
  slug!: string;

  @Column({ type: 'enum', enum: DealKind, enumName: 'deal_kind' })
  kind!: DealKind;

  @Column('text')
  title!: string;

  @Column('text', { nullable: true })
  summary!: string | null;

  @Column({ type: 'enum', enum: DealStatus, enumName: 'deal_status' })
  status!: DealStatus;

  @Column('date', { name: 'announced_on', nullable: true })
  announcedOn!: string | null;

  @Column({ name: 'announced_on_precision', type: 'enum', enum: DatePrecision, enumName: 'date_precision', nullable: true })
  announcedOnPrecision!: DatePrecision | null;

  @Column('numeric', { name: 'value_amount', nullable: true })
  valueAmount!: string | null;

  @Column('char', { name: 'value_currency', length: 3, nullable: true })
  valueCurrency!: string | null;

  @Column('numeric', { name: 'value_usd', nullable: true })
  valueUsd!: string | null;

  @Column('numeric', { name: 'stake_percent', nullable: true })
  stakePercent!: string | null;

  /** Optimistic concurrency: incremented by every update; writes name the version they expect. */
  @Column('integer', { default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Table `deal_party`: a studio taking part in a deal, with its role (one role per studio and deal). */
@Entity('deal_party')
@Index('deal_party_studio_id_idx', ['studioId', 'dealId', 'role'])
export class DealPartyEntity {
  @PrimaryColumn('integer', { name: 'deal_id', primaryKeyConstraintName: 'deal_party_pkey' })
  dealId!: number;

  @PrimaryColumn('integer', { name: 'studio_id', primaryKeyConstraintName: 'deal_party_pkey' })
  studioId!: number;

  @Column({ type: 'enum', enum: DealPartyRole, enumName: 'deal_party_role' })
  role!: DealPartyRole;

  @ManyToOne(() => DealEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deal_id', foreignKeyConstraintName: 'deal_party_deal_id_fkey' })
  deal!: Relation<DealEntity>;

  @ManyToOne(() => StudioEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'studio_id', foreignKeyConstraintName: 'deal_party_studio_id_fkey' })
  studio!: Relation<StudioEntity>;
}

/**
 * Table `studio_partner`: derived from `deal_party`, kept by the database (migration StudioPartners):
 * one row per studio, other party and shared deal, with the partner's name and the deal's kind, so
 * that a studio's partners are read by name from an index. Never written by the service.
 */
@Entity('studio_partner')
// (studio_id, partner_name, partner_id, deal_kind, deal_id): a studio's partners in page order.
@Index('studio_partner_page_idx', ['studioId', 'partnerName', 'partnerId', 'dealKind', 'dealId'])
@Index('studio_partner_partner_id_idx', ['partnerId'])
export class StudioPartnerEntity {
  @PrimaryColumn('integer', { name: 'deal_id', primaryKeyConstraintName: 'studio_partner_pkey' })
  dealId!: number;

  @PrimaryColumn('integer', { name: 'studio_id', primaryKeyConstraintName: 'studio_partner_pkey' })
  studioId!: number;

  @PrimaryColumn('integer', { name: 'partner_id', primaryKeyConstraintName: 'studio_partner_pkey' })
  partnerId!: number;

  /** Copy of the partner's name: the page order. */
  @Column('text', { name: 'partner_name' })
  partnerName!: string;

  /** Copy of the deal's kind: the `kinds:` filter. */
  @Column({ type: 'enum', enum: DealKind, enumName: 'deal_kind', name: 'deal_kind' })
  dealKind!: DealKind;

  @ManyToOne(() => DealEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deal_id', foreignKeyConstraintName: 'studio_partner_deal_id_fkey' })
  deal!: Relation<DealEntity>;

  @ManyToOne(() => StudioEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'studio_id', foreignKeyConstraintName: 'studio_partner_studio_id_fkey' })
  studio!: Relation<StudioEntity>;

  @ManyToOne(() => StudioEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partner_id', foreignKeyConstraintName: 'studio_partner_partner_id_fkey' })
  partner!: Relation<StudioEntity>;
}

/**
 * Table `deal_announcement`: the live deal feed's outbox (migration DealAnnouncements). A trigger
 * numbers each new deal at commit, in commit order; the feed delivers and replays by that number.
 */
@Entity('deal_announcement')
@Index('deal_announcement_announced_at_idx', ['announcedAt'])
@Unique('deal_announcement_deal_id_key', ['dealId'])
export class DealAnnouncementEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', name: 'seq', primaryKeyConstraintName: 'deal_announcement_pkey' })
  seq!: string;

  @Column('integer', { name: 'deal_id' })
  dealId!: number;

  @Column({ name: 'announced_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  announcedAt!: Date;

  @ManyToOne(() => DealEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deal_id', foreignKeyConstraintName: 'deal_announcement_deal_id_fkey' })
  deal!: Relation<DealEntity>;
}

/** Table `deal_feed_state`: one row; the last announcement number that retention removed. */
@Entity('deal_feed_state')
@Check('deal_feed_state_one_row_check', '"id"')
export class DealFeedStateEntity {
  @PrimaryColumn('boolean', { default: true, primaryKeyConstraintName: 'deal_feed_state_pkey' })
  id!: boolean;

  @Column('bigint', { name: 'pruned_through', default: 0 })
  prunedThrough!: string;
}

/** Table `deal_film`: a film covered by a deal. */
@Entity('deal_film')
@Index('deal_film_film_id_idx', ['filmId', 'dealId'])
export class DealFilmEntity {
  @PrimaryColumn('integer', { name: 'deal_id', primaryKeyConstraintName: 'deal_film_pkey' })
  dealId!: number;

  @PrimaryColumn('integer', { name: 'film_id', primaryKeyConstraintName: 'deal_film_pkey' })
  filmId!: number;

  @ManyToOne(() => DealEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deal_id', foreignKeyConstraintName: 'deal_film_deal_id_fkey' })
  deal!: Relation<DealEntity>;

  @ManyToOne(() => FilmEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'film_id', foreignKeyConstraintName: 'deal_film_film_id_fkey' })
  film!: Relation<FilmEntity>;
}

/** Table `source`: a published report that a deal is known from. */
@Entity('source')
@Unique('source_publisher_title_key', ['publisher', 'title'])
@Check('source_publisher_check', `btrim("publisher") <> ''`)
@Check('source_title_check', `btrim("title") <> ''`)
@Check('source_url_check', `"url" ~ '^https?://'`)
export class SourceEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT', primaryKeyConstraintName: 'source_pkey' })
  id!: number;

  @Column('text')
  publisher!: string;

  @Column('text')
  title!: string;

  @Column('text', { nullable: true })
  author!: string | null;

  @Column('text', { nullable: true })
  url!: string | null;

  @Column('date', { name: 'published_on', nullable: true })
  publishedOn!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** Table `deal_source`: which sources report which deal. */
@Entity('deal_source')
@Index('deal_source_source_id_idx', ['sourceId', 'dealId'])
export class DealSourceEntity {
  @PrimaryColumn('integer', { name: 'deal_id', primaryKeyConstraintName: 'deal_source_pkey' })
  dealId!: number;

  @PrimaryColumn('integer', { name: 'source_id', primaryKeyConstraintName: 'deal_source_pkey' })
  sourceId!: number;

  @ManyToOne(() => DealEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deal_id', foreignKeyConstraintName: 'deal_source_deal_id_fkey' })
  deal!: Relation<DealEntity>;

  @ManyToOne(() => SourceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'source_id', foreignKeyConstraintName: 'deal_source_source_id_fkey' })
  source!: Relation<SourceEntity>;
}
