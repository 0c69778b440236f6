import { Field, ID, InterfaceType } from 'type-graphql';

/** Anything with a global ID, fetchable with `node(id:)`. */
@InterfaceType('Node', {
  description:
    'An object with a global, opaque ID. Any such ID can be fetched again with `node(id:)`, whatever its type; clients must not build or parse IDs.',
})
export abstract class Node {
  @Field(() => ID, { description: 'Global, opaque identifier of this object.' })
  id!: string;
}
