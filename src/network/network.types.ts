import { ArgsType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DealKind } from '../deal/deal.enums';
import { Deal } from '../deal/deal.type';
import { ConnectionType, EdgeType, PageArgs } from '../graphql/connection';
import { Studio } from '../studio/studio.type';
import { LinkKind, MAX_DEPTH } from './network.sql';

registerEnumType(LinkKind, {
  name: 'NetworkLink',
  description: 'What links two studios on a step of the deal network.',
  valuesConfig: {
    DEAL: { description: 'Both studios are parties to `deal`.' },
    PARENT_COMPANY: { description: '`to` is the parent company of `from` (Alibaba Group for Alibaba Pictures).' },
    SUBSIDIARY: { description: '`to` is a subsidiary of `from` (Alibaba Pictures for Alibaba Group).' },
  },
});

@ObjectType('NetworkStep', { description: 'One link on a path through the deal network.', simpleResolvers: true })
export class NetworkStep {
  // `simple: false` on the fields that hold a loader's promise (see src/graphql/executor.ts).
  @Field(() => Studio, { description: 'The studio this step starts from.', simple: false })
  from!: Studio;

  @Field(() => Studio, { description: 'The studio this step leads to.', simple: false })
  to!: Studio;

  @Field(() => LinkKind, { description: 'What links the two: a deal, or ownership.' })
  link!: LinkKind;

  @Field(() => Deal, { nullable: true, description: 'The deal both studios are parties to; null for an ownership link.', simple: false })
  deal!: Deal | null;
}

@ObjectType('StudioNetworkEdge', { description: 'A studio reachable through deals, with how far it is and one shortest way there.', simpleResolvers: true })
export class StudioNetworkEdge extends EdgeType(Studio) {
  @Field(() => Int, { description: 'Number of links on the shortest way from the origin studio (1 = a direct partner).' })
  distance!: number;

  @Field(() => [NetworkStep], { description: 'One shortest way from the origin studio to this one, step by step.' })
  path!: NetworkStep[];

  @Field(() => [Deal], { description: 'The deals on that way, in order (ownership links have none).', simple: false })
  deals!: Deal[];
}

@ObjectType('StudioNetworkConnection', { description: 'A page of the studios reachable from a studio, nearest first.', simpleResolvers: true })
export class StudioNetworkConnection extends ConnectionType(StudioNetworkEdge, Studio) {}

@ArgsType()
export class NetworkArgs extends PageArgs {
  @Field(() => Int, { defaultValue: 2, description: `How many links away to look, 1 to ${MAX_DEPTH}.` })
  depth!: number;

  @Field(() => [DealKind], { nullable: true, description: 'Follow only deals of these kinds (all kinds when not given).' })
  kinds?: DealKind[] | null;

  @Field(() => Boolean, { defaultValue: true, description: 'Also follow ownership: a subsidiary is linked to its parent company and back.' })
  includeOwnership!: boolean;
}

@ObjectType('DealPath', {
  description: 'The shortest chain of deals (and, if allowed, ownership links) between two studios.',
  simpleResolvers: true,
})
export class DealPath {
  @Field(() => Studio, { description: 'Where the path starts.' })
  from!: Studio;

  @Field(() => Studio, { description: 'Where the path ends.' })
  to!: Studio;

  @Field(() => Int, { description: 'Number of links on the path (0 when from and to are the same studio).' })
  length!: number;

  @Field(() => [NetworkStep], { description: 'The links, in order from `from` to `to`.' })
  steps!: NetworkStep[];

  @Field(() => [Deal], { description: 'The deals on the path, in order.' })
  deals!: Deal[];

  @Field({ description: 'True when the path goes through a parent company or a subsidiary rather than only deals.' })
  throughOwnership!: boolean;
}
