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
import { ProducerEntity } from '../producer/producer.entity';
import { StudioEntity } from '../studio/studio.entity';
import { FilmStatus, MpaaRating, ProducerCreditRole, StudioCreditRole } from './film.enums';

/**
 * Table `film`. Money is an exact `numeric` amount with its ISO 4217 currency, both set or both null.
 * The GraphQL shape is `Film` (film.type.ts).
 */
@Entity('film')
@Unique('film_slug_key', ['slug'])
@Check('film_slug_check', `"slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
@Check('film_title_check', `btrim("title") <> ''`)
@Check('film_budget_check', `("budget_amount" IS NULL) = ("budget_currency" IS NULL) AND "budget_amount" >= 0 AND "budget_currency" ~ '^[A-Z]{3}$'`)
@Check(
  'film_worldwide_gross_check',
  `("worldwide_gross_amount" IS NULL) = ("worldwide_gross_currency" IS NULL) AND "worldwide_gross_amount" >= 0 AND "worldwide_gross_currency" ~ '^[A-Z]{3}$'`,
)
@Index('film_title_idx', ['title'])
@Index('film_release_date_idx', ['releaseDate'])
@Index('film_created_at_idx', ['createdAt'])
@Index('film_status_idx', ['status'])
@Index('film_budget_amount_idx', ['budgetAmount'])
@Index('film_worldwide_gross_amount_idx', ['worldwideGrossAmount'])
@Check('film_us_gross_usd_check', `"us_gross_usd" >= 0`)
@Check('film_us_dvd_sales_usd_check', `"us_dvd_sales_usd" >= 0`)
@Check('film_running_time_minutes_check', `"running_time_minutes" > 0`)
@Check('film_rotten_tomatoes_rating_check', `"rotten_tomatoes_rating" BETWEEN 0 AND 100`)
@Check('film_imdb_rating_check', `"imdb_rating" BETWEEN 0 AND 10`)
@Check('film_imdb_votes_check', `"imdb_votes" >= 0`)
@Index('film_us_gross_usd_idx', ['usGrossUsd'])
@Index('film_us_dvd_sales_usd_idx', ['usDvdSalesUsd'])
@Index('film_running_time_minutes_idx', ['runningTimeMinutes'])
@Index('film_rotten_tomatoes_rating_idx', ['rottenTomatoesRating'])
@Index('film_imdb_rating_idx', ['imdbRating'])
@Index('film_imdb_votes_idx', ['imdbVotes'])
// (mg_title_key(title), release year): how imports and the seed find the same film; created by a migration.
@Index('film_title_key_idx', { synchronize: false })
// GIN, for genre filters; created by a migration (TypeORM cannot declare GIN indexes).
@Index('film_genres_idx', { synchronize: false })
// (release_date DESC NULLS LAST, id): the default "latest first" order; created by a migration.
@Index('film_latest_idx', { synchronize: false })
export class FilmEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT', primaryKeyConstraintName: 'film_pkey' })
  id!: number;

  @Column('text')
  slug!: string;

  @Column('text')
  title!: string;

  @Column({ type: 'enum', enum: FilmStatus, enumName: 'film_status' })
  status!: FilmStatus;

  @Column('date', { name: 'release_date', nullable: true })
  releaseDate!: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  genres!: string[];

  @Column('text', { nullable: true })
  logline!: string | null;

  @Column('numeric', { name: 'budget_amount', nullable: true })
  budgetAmount!: string | null;

  @Column('char', { name: 'budget_currency', length: 3, nullable: true })
  budgetCurrency!: string | null;

  @Column('numeric', { name: 'worldwide_gross_amount', nullable: true })
  worldwideGrossAmount!: string | null;

  @Column('char', { name: 'worldwide_gross_currency', length: 3, nullable: true })
  worldwideGrossCurrency!: string | null;

  // The catalogue's fields (the movies dataset): US-dollar amounts, ratings and votes as the source gives them.
  @Column('numeric', { name: 'us_gross_usd', nullable: true })
  usGrossUsd!: string | null;

  @Column('numeric', { name: 'us_dvd_sales_usd', nullable: true })
  usDvdSalesUsd!: string | null;

  @Column({ type: 'enum', enum: MpaaRating, enumName: 'mpaa_rating', name: 'mpaa_rating', nullable: true })
  mpaaRating!: MpaaRating | null;

  @Column('integer', { name: 'running_time_minutes', nullable: true })
  runningTimeMinutes!: number | null;

  @Column('text', { name: 'source_material', nullable: true })
  sourceMaterial!: string | null;

  @Column('text', { name: 'creative_type', nullable: true })
  creativeType!: string | null;

  @Column('integer', { name: 'rotten_tomatoes_rating', nullable: true })
  rottenTomatoesRating!: number | null;

  @Column('numeric', { name: 'imdb_rating', precision: 3, scale: 1, nullable: true })
  imdbRating!: string | null;

  @Column('integer', { name: 'imdb_votes', nullable: true })
  imdbVotes!: number | null;

  /** The release date as an imported source wrote it, where the import repaired it (null otherwise). */
  @Column('text', { name: 'release_date_as_reported', nullable: true })
  reportedReleaseDate!: string | null;

  /** Optimistic concurrency: incremented by every update; writes name the version they expect. */
  @Column('integer', { default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Table `film_studio`: a studio credited on a film with a role; a studio may hold several roles. */
@Entity('film_studio')
// (studio_id, film_release_date DESC NULLS LAST, film_title, film_id, role): see migration CreditSortKeys.
@Index('film_studio_studio_latest_idx', { synchronize: false })
export class FilmStudioCreditEntity {
  @PrimaryColumn('integer', { name: 'film_id', primaryKeyConstraintName: 'film_studio_pkey' })
  filmId!: number;

  @PrimaryColumn('integer', { name: 'studio_id', primaryKeyConstraintName: 'film_studio_pkey' })
  studioId!: number;

  @PrimaryColumn({ type: 'enum', enum: StudioCreditRole, enumName: 'studio_credit_role', primaryKeyConstraintName: 'film_studio_pkey' })
  role!: StudioCreditRole;

  @ManyToOne(() => FilmEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'film_id', foreignKeyConstraintName: 'film_studio_film_id_fkey' })
  film!: Relation<FilmEntity>;

  /** Copy of the film's release date, kept by the database (migration CreditSortKeys): the page order of a studio's credits. */
  @Column('date', { name: 'film_release_date', nullable: true })
  filmReleaseDate!: string | null;

  /** Copy of the film's title, kept by the database with the release date. */
  @Column('text', { name: 'film_title' })
  filmTitle!: string;

  @ManyToOne(() => StudioEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'studio_id', foreignKeyConstraintName: 'film_studio_studio_id_fkey' })
  studio!: Relation<StudioEntity>;
}

/** Table `film_producer`: a producer credited on a film with a role. */
@Entity('film_producer')
// (producer_id, film_release_date DESC NULLS LAST, film_title, film_id, role): see migration CreditSortKeys.
@Index('film_producer_producer_latest_idx', { synchronize: false })
export class FilmProducerCreditEntity {
  @PrimaryColumn('integer', { name: 'film_id', primaryKeyConstraintName: 'film_producer_pkey' })
  filmId!: number;

  @PrimaryColumn('integer', { name: 'producer_id', primaryKeyConstraintName: 'film_producer_pkey' })
  producerId!: number;

  @PrimaryColumn({ type: 'enum', enum: ProducerCreditRole, enumName: 'producer_credit_role', primaryKeyConstraintName: 'film_producer_pkey' })
  role!: ProducerCreditRole;

  @ManyToOne(() => FilmEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'film_id', foreignKeyConstraintName: 'film_producer_film_id_fkey' })
  film!: Relation<FilmEntity>;

  /** Copy of the film's release date, kept by the database (migration CreditSortKeys): the page order of a producer's credits. */
  @Column('date', { name: 'film_release_date', nullable: true })
  filmReleaseDate!: string | null;

  /** Copy of the film's title, kept by the database with the release date. */
  @Column('text', { name: 'film_title' })
  filmTitle!: string;

  @ManyToOne(() => ProducerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'producer_id', foreignKeyConstraintName: 'film_producer_producer_id_fkey' })
  producer!: Relation<ProducerEntity>;
}
