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
  ACTOR = 'ACTOR',
}

registerEnumType(ProducerCreditRole, {
  name: 'ProducerCreditRole',
  description: 'The part a producer played on a film.',
  valuesConfig: {
    PRODUCER: { description: 'Credited as producer.' },
    EXECUTIVE_PRODUCER: { description: 'Credited as executive producer.' },
    DIRECTOR: { description: 'Directed the film.' },
    ACTOR: { description: 'Acted in the film (a cast credit).' },
  },
});

/** The film's rating by the MPAA (the US film rating board), as the source gives it. */
export enum MpaaRating {
  G = 'G',
  PG = 'PG',
  PG_13 = 'PG_13',
  R = 'R',
  NC_17 = 'NC_17',
  NOT_RATED = 'NOT_RATED',
  OPEN = 'OPEN',
}

registerEnumType(MpaaRating, {
  name: 'MpaaRating',
  description: 'The film\'s rating by the MPAA, the US rating board ("PG-13" is PG_13).',
  valuesConfig: {
    G: { description: 'General audiences.' },
    PG: { description: 'Parental guidance suggested.' },
    PG_13: { description: 'Parents strongly cautioned: some material may be inappropriate under 13.' },
    R: { description: 'Restricted: under 17 only with a parent or guardian.' },
    NC_17: { description: 'No one 17 and under admitted.' },
    NOT_RATED: { description: 'Released without a rating ("Not Rated").' },
    OPEN: { description: 'The source\'s "Open": no rating given yet when it was recorded.' },
  },
});

/** The source's MPAA labels, as the movies catalogue writes them. */
export const MPAA_LABELS: Record<string, MpaaRating> = {
  G: MpaaRating.G,
  PG: MpaaRating.PG,
  'PG-13': MpaaRating.PG_13,
  R: MpaaRating.R,
  'NC-17': MpaaRating.NC_17,
  'Not Rated': MpaaRating.NOT_RATED,
  Open: MpaaRating.OPEN,
};
