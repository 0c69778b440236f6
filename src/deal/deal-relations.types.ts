import { Field, ObjectType } from 'type-graphql';
import { ConnectionType, EdgeType } from '../graphql/connection';
import { Studio } from '../studio/studio.type';
import { DealPartyRole } from './deal.enums';
import { Deal } from './deal.type';

@ObjectType('StudioDealEdge', { description: 'A deal a studio is party to, with its role in it.', simpleResolvers: true })
export class StudioDealEdge extends EdgeType(Deal) {
  @Field(() => DealPartyRole, { description: 'The part the studio plays in this deal.' })
  role!: DealPartyRole;
}

@ObjectType('StudioDealConnection', { description: "A page of a studio's deals.", simpleResolvers: true })
export class StudioDealConnection extends ConnectionType(StudioDealEdge, Deal) {}

@ObjectType('StudioPartnerEdge', {
  description: 'Another studio that shares at least one deal with this one, with the deals they share.',
  simpleResolvers: true,
})
export class StudioPartnerEdge extends EdgeType(Studio) {
  @Field(() => [Deal], { description: 'The deals both studios are party to, latest first.', simple: false })
  deals!: Deal[];
}

@ObjectType('StudioPartnerConnection', { description: "A page of a studio's partners.", simpleResolvers: true })
export class StudioPartnerConnection extends ConnectionType(StudioPartnerEdge, Studio) {}
