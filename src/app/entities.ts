import { AuditLogEntity } from '../audit/audit.entity';
import { ApiKeyEntity } from '../auth/api-key.entity';
import { DealAnnouncementEntity, DealEntity, DealFeedStateEntity, DealFilmEntity, DealPartyEntity, DealSourceEntity, SourceEntity, StudioPartnerEntity } from '../deal/deal.entity';
import { FilmEntity, FilmProducerCreditEntity, FilmStudioCreditEntity } from '../film/film.entity';
import { ProducerAffiliationEntity, ProducerEntity } from '../producer/producer.entity';
import { ImportRejectEntity, ImportRunEntity } from '../importer/import-run.entity';
import { StudioEntity } from '../studio/studio.entity';
import { SeedHistoryEntity } from '../seed/seed-history.entity';

/** Every table of the schema; the migrations must produce exactly these (a test checks it). */
export const entities = [
  StudioEntity,
  ProducerEntity,
  ProducerAffiliationEntity,
  FilmEntity,
  FilmStudioCreditEntity,
  FilmProducerCreditEntity,
  DealEntity,
  DealPartyEntity,
  StudioPartnerEntity,
  DealAnnouncementEntity,
  DealFeedStateEntity,
  DealFilmEntity,
  SourceEntity,
  DealSourceEntity,
  SeedHistoryEntity,
  ApiKeyEntity,
  AuditLogEntity,
  ImportRunEntity,
  ImportRejectEntity,
];
