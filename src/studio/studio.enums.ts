import { registerEnumType } from 'type-graphql';

/** What a company mainly does in the film business. */
export enum StudioKind {
  STUDIO = 'STUDIO',
  PRODUCTION_COMPANY = 'PRODUCTION_COMPANY',
  DISTRIBUTOR = 'DISTRIBUTOR',
  FINANCIER = 'FINANCIER',
  CONGLOMERATE = 'CONGLOMERATE',
  EXHIBITOR = 'EXHIBITOR',
}

registerEnumType(StudioKind, {
  name: 'StudioKind',
  description: 'What a company mainly does in the film business.',
  valuesConfig: {
    STUDIO: { description: 'A film studio that develops, produces and releases films (Alibaba Pictures, STX Entertainment).' },
    PRODUCTION_COMPANY: { description: 'A company that produces films, often with a studio (Amblin Partners).' },
    DISTRIBUTOR: { description: 'A company that distributes films to cinemas, television or streaming.' },
    FINANCIER: { description: 'A company that mainly finances films or other companies.' },
    CONGLOMERATE: { description: 'A group with businesses beyond film that owns film companies (Alibaba Group).' },
    EXHIBITOR: { description: 'A cinema operator (Wanda Film).' },
  },
});
