import { Field, ObjectType } from 'type-graphql';
import { ConnectionType, EdgeType } from '../graphql/connection';
import { Producer } from '../producer/producer.type';
import { Studio } from '../studio/studio.type';
import { ProducerCreditRole, StudioCreditRole } from './film.enums';
import { Film } from './film.type';

// Credits link films with studios and producers. A studio may hold several roles on one film
// (production and distribution): each credit is its own edge, carrying its role.

@ObjectType('StudioFilmEdge', { description: 'A film credited to a studio, with the role the studio played.', simpleResolvers: true })
export class StudioFilmEdge extends EdgeType(Film) {
  @Field(() => StudioCreditRole, { description: 'The role of the studio on this film.' })
  role!: StudioCreditRole;
}

@ObjectType('StudioFilmConnection', { description: "A page of a studio's film credits.", simpleResolvers: true })
export class StudioFilmConnection extends ConnectionType(StudioFilmEdge, Film) {}

@ObjectType('FilmStudioEdge', { description: 'A studio credited on a film, with its role.', simpleResolvers: true })
export class FilmStudioEdge extends EdgeType(Studio) {
  @Field(() => StudioCreditRole, { description: 'The role of the studio on this film.' })
  role!: StudioCreditRole;
}

@ObjectType('FilmStudioConnection', { description: "A page of a film's studio credits.", simpleResolvers: true })
export class FilmStudioConnection extends ConnectionType(FilmStudioEdge, Studio) {}

@ObjectType('FilmProducerEdge', { description: 'A producer credited on a film, with the role they played.', simpleResolvers: true })
export class FilmProducerEdge extends EdgeType(Producer) {
  @Field(() => ProducerCreditRole, { description: 'The role of the producer on this film.' })
  role!: ProducerCreditRole;
}

@ObjectType('FilmProducerConnection', { description: "A page of a film's producer credits.", simpleResolvers: true })
export class FilmProducerConnection extends ConnectionType(FilmProducerEdge, Producer) {}

@ObjectType('ProducerFilmEdge', { description: 'A film credited to a producer, with the role they played.', simpleResolvers: true })
export class ProducerFilmEdge extends EdgeType(Film) {
  @Field(() => ProducerCreditRole, { description: 'The role of the producer on this film.' })
  role!: ProducerCreditRole;
}

@ObjectType('ProducerFilmConnection', { description: "A page of a producer's film credits.", simpleResolvers: true })
export class ProducerFilmConnection extends ConnectionType(ProducerFilmEdge, Film) {}
