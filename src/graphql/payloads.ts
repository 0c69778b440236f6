import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('DeletePayload', { description: 'What a delete removed.', simpleResolvers: true })
export class DeletePayload {
  @Field(() => ID, { description: 'The ID of the deleted object.' })
  deletedId!: string;

  @Field(() => [String], { description: 'What was removed or changed with it (with cascade: true), such as "2 film credits".' })
  cascaded!: string[];
}
