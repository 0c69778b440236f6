import { Field, ObjectType } from 'type-graphql';
import { ConnectionType, EdgeType } from '../graphql/connection';
import { Studio } from '../studio/studio.type';
import { Producer } from './producer.type';

@ObjectType('ProducerStudioEdge', { description: 'A studio a producer is affiliated with.', simpleResolvers: true })
export class ProducerStudioEdge extends EdgeType(Studio) {
  @Field(() => String, { nullable: true, description: 'The producer\'s position at the studio, such as "Co-founder"; null when the sources do not say.' })
  title!: string | null;
}

@ObjectType('ProducerStudioConnection', { description: "A page of a producer's studio affiliations.", simpleResolvers: true })
export class ProducerStudioConnection extends ConnectionType(ProducerStudioEdge, Studio) {}

@ObjectType('StudioProducerEdge', { description: 'A producer affiliated with a studio.', simpleResolvers: true })
export class StudioProducerEdge extends EdgeType(Producer) {
  @Field(() => String, { nullable: true, description: 'The producer\'s position at the studio, such as "Co-founder"; null when the sources do not say.' })
  title!: string | null;
}

@ObjectType('StudioProducerConnection', { description: "A page of the producers affiliated with a studio.", simpleResolvers: true })
export class StudioProducerConnection extends ConnectionType(StudioProducerEdge, Producer) {}
