import { DealFilmsResolver } from '../deal/deal-films';
import { DealPartiesResolver } from '../deal/deal-parties';
import { DealSourcesResolver } from '../deal/deal-sources';
import { DealStatsResolver } from '../deal/deal-stats';
import { DealResolver } from '../deal/deal.resolver';
import { FilmDealsResolver } from '../deal/film-deals';
import { StudioDealsResolver } from '../deal/studio-deals';
import { StudioPartnersResolver } from '../deal/studio-partners';
import type { DirectFields } from '../execution';
import { FilmProducersResolver } from '../film/film-producers';
import { FilmStatsResolver } from '../film/film-stats';
import { FilmStudiosResolver } from '../film/film-studios';
import { FilmResolver } from '../film/film.resolver';
import { ProducerFilmsResolver } from '../film/producer-films';
import { StudioFilmsResolver } from '../film/studio-films';
import { DealPathResolver, NetworkResolver } from '../network/network.resolver';
import { ProducerStudiosResolver } from '../producer/producer-studios';
import { ProducerResolver } from '../producer/producer.resolver';
import { StudioProducersResolver } from '../producer/studio-producers';
import { SearchResolver } from '../search/search.resolver';
import { StudioOwnershipResolver } from '../studio/studio-ownership';
import { StudioResolver } from '../studio/studio.resolver';
import { NodeResolver } from './node.resolver';

/**
 * The fields that call their resolver methods directly, skipping type-graphql's per-call wrapper
 * (src/execution/direct.ts says why). Each entry calls the method exactly as type-graphql would, with
 * graphql-js's own argument objects (the input classes are plain data, so the method reads the same
 * properties either way); the compiler checks each call against the method.
 *
 * Only fields without a role, a middleware or argument validation belong here. A field that requires
 * a role (RequiresRole) is refused at start, so the service cannot come up with a check skipped.
 */
const deals = new DealResolver();
const dealStats = new DealStatsResolver();
const dealPath = new DealPathResolver();
const films = new FilmResolver();
const filmStats = new FilmStatsResolver();
const network = new NetworkResolver();
const nodes = new NodeResolver();
const producers = new ProducerResolver();
const search = new SearchResolver();
const studios = new StudioResolver();
const ownership = new StudioOwnershipResolver();
const studioFilms = new StudioFilmsResolver();
const studioProducers = new StudioProducersResolver();
const studioDeals = new StudioDealsResolver();
const studioPartners = new StudioPartnersResolver();
const producerFilms = new ProducerFilmsResolver();
const producerStudios = new ProducerStudiosResolver();
const filmStudios = new FilmStudiosResolver();
const filmProducers = new FilmProducersResolver();
const filmDeals = new FilmDealsResolver();
const dealParties = new DealPartiesResolver();
const dealFilms = new DealFilmsResolver();
const dealSources = new DealSourcesResolver();

export const DIRECT_FIELDS: DirectFields = {
  'Query.node': (_root, args, context) => nodes.node(args.id, context),
  'Query.nodes': (_root, args, context) => nodes.nodes(args.ids, context),
  'Query.search': (_root, args, context) => search.search(args, context),
  'Query.studio': (_root, args, context, info) => studios.studio(args.id, args.slug, context, info),
  'Query.studios': (_root, args, context, info) => studios.studios(args, context, info),
  'Query.producer': (_root, args, context, info) => producers.producer(args.id, args.slug, context, info),
  'Query.producers': (_root, args, context, info) => producers.producers(args, context, info),
  'Query.film': (_root, args, context, info) => films.film(args.id, args.slug, context, info),
  'Query.films': (_root, args, context, info) => films.films(args, context, info),
  'Query.deal': (_root, args, context, info) => deals.deal(args.id, context, args.slug, info),
  'Query.deals': (_root, args, context, info) => deals.deals(args, context, info),
  'Query.filmStats': (_root, args, context, info) => filmStats.filmStats(args, context, info),
  'Query.dealStats': (_root, args, context, info) => dealStats.dealStats(args, context, info),
  'Query.dealPath': (_root, args, context) => dealPath.dealPath(args.from, args.to, context, args.kinds, args.maxDepth, args.includeOwnership),
  'Studio.parent': (root, _args, context, info) => ownership.parent(root, context, info),
  'Studio.subsidiaries': (root, args, context, info) => ownership.subsidiaries(root, args, context, info),
  'Studio.films': (root, args, context, info) => studioFilms.films(root, args, context, info),
  'Studio.producers': (root, args, context, info) => studioProducers.producers(root, args, context, info),
  'Studio.deals': (root, args, context, info) => studioDeals.deals(root, args, context, info),
  'Studio.partners': (root, args, context, info) => studioPartners.partners(root, args, context, info),
  'Studio.network': (root, args, context, info) => network.network(root, args, context, info),
  'Producer.films': (root, args, context, info) => producerFilms.films(root, args, context, info),
  'Producer.studios': (root, args, context, info) => producerStudios.studios(root, args, context, info),
  'Film.studios': (root, args, context, info) => filmStudios.studios(root, args, context, info),
  'Film.producers': (root, args, context, info) => filmProducers.producers(root, args, context, info),
  'Film.deals': (root, args, context, info) => filmDeals.deals(root, args, context, info),
  'Deal.parties': (root, _args, context, info) => dealParties.parties(root, context, info),
  'Deal.films': (root, args, context, info) => dealFilms.films(root, args, context, info),
  'Deal.sources': (root, _args, context) => dealSources.sources(root, context),
};
