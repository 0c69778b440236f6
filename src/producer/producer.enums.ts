import { registerEnumType } from 'type-graphql';

/** Whether a producer is a person or a company. */
export enum ProducerKind {
  PERSON = 'PERSON',
  COMPANY = 'COMPANY',
}

registerEnumType(ProducerKind, {
  name: 'ProducerKind',
  description: 'Whether a producer is a person or a company.',
  valuesConfig: {
    PERSON: { description: 'A person, such as Robert Zemeckis.' },
    COMPANY: { description: 'A company credited as a producer.' },
  },
});
