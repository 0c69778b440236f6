import { registerEnumType } from 'type-graphql';

/** Where a film stands, from announcement to release. */
export enum FilmStatus {
  ANNOUNCED = 'ANNOUNCED',
  IN_DEVELOPMENT = 'IN_DEVELOPMENT',
  PRE_PRODUCTION = 'PRE_PRODUCTION',
  IN_PRODUCTION = 'IN_PRODUCTION',
  POST_PRODUCTION = 'POST_PRODUCTION',
  RELEASED = 'RELEASED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(FilmStatus, {
  name: 'FilmStatus',
  description: 'Where a film stands, from announcement to release.',
  valuesConfig: {
    ANNOUNCED: { description: 'Announced, with no production news yet.' },
    IN_DEVELOPMENT: { description: 'Script and financing are being developed.' },
    PRE_PRODUCTION: { description: 'Casting, crew and locations are being prepared.' },
    IN_PRODUCTION: { description: 'Being shot.' },
    POST_PRODUCTION: { description: 'Shot; in editing, effects and sound.' },
    RELEASED: { description: 'Released to the public.' },
    CANCELLED: { description: 'Abandoned before release.' },
  },
});

/** The part a studio played in making or releasing a film. */
export enum StudioCreditRole {
  PRODUCTION = 'PRODUCTION',
  CO_PRODUCTION = 'CO_PRODUCTION',
  FINANCING = 'FINANCING',
  DISTRIBUTION = 'DISTRIBUTION',
}

registerEnumType(StudioCreditRole, {
  name: 'StudioCreditRole',
  description: 'The part a studio played in making or releasing a film.',
  valuesConfig: {
    PRODUCTION: { description: 'Produced the film.' },
    CO_PRODUCTION: { description: 'Produced the film together with other studios.' },
    FINANCING: { description: 'Invested in or financed the film.' },
    DISTRIBUTION: { description: 'Distributed the film.' },
  },
});

/** The part a producer played on a film. */
export enum ProducerCreditRole {
  PRODUCER = 'PRODUCER',
  EXECUTIVE_PRODUCER = 'EXECUTIVE_PRODUCER',
  DIRECTOR = 'DIRECTOR',
}

registerEnumType(ProducerCreditRole, {
  name: 'ProducerCreditRole',
  description: 'The part a producer played on a film.',
  valuesConfig: {
    PRODUCER: { description: 'Credited as producer.' },
    EXECUTIVE_PRODUCER: { description: 'Credited as executive producer.' },
    DIRECTOR: { description: 'Directed the film.' },
  },
});
