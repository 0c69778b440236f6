import { registerEnumType } from 'type-graphql';

/** The nature of a deal between companies. */
export enum DealKind {
  PARTNERSHIP = 'PARTNERSHIP',
  CO_PRODUCTION = 'CO_PRODUCTION',
  CO_FINANCING = 'CO_FINANCING',
  INVESTMENT = 'INVESTMENT',
  EQUITY_STAKE = 'EQUITY_STAKE',
  ACQUISITION = 'ACQUISITION',
  DISTRIBUTION = 'DISTRIBUTION',
  LICENSING = 'LICENSING',
}

registerEnumType(DealKind, {
  name: 'DealKind',
  description: 'The nature of a deal between companies.',
  valuesConfig: {
    PARTNERSHIP: { description: 'A strategic partnership or alliance.' },
    CO_PRODUCTION: { description: 'Producing one or more films together.' },
    CO_FINANCING: { description: 'Financing one or more films together.' },
    INVESTMENT: { description: 'Money put into a film or a slate of films.' },
    EQUITY_STAKE: { description: 'Buying part of a company (a stake, in percent).' },
    ACQUISITION: { description: 'Buying a company or a business outright.' },
    DISTRIBUTION: { description: 'Rights to distribute films.' },
    LICENSING: { description: 'Licensing rights, such as characters, formats or libraries.' },
  },
});

/** How far a deal has gone. */
export enum DealStatus {
  ANNOUNCED = 'ANNOUNCED',
  CLOSED = 'CLOSED',
  TERMINATED = 'TERMINATED',
}

registerEnumType(DealStatus, {
  name: 'DealStatus',
  description: 'How far a deal has gone.',
  valuesConfig: {
    ANNOUNCED: { description: 'Announced or agreed, not yet completed.' },
    CLOSED: { description: 'Completed: signed, paid or in force.' },
    TERMINATED: { description: 'Called off or ended.' },
  },
});

/** How precisely a date is known. */
export enum DatePrecision {
  DAY = 'DAY',
  MONTH = 'MONTH',
  YEAR = 'YEAR',
}

registerEnumType(DatePrecision, {
  name: 'DatePrecision',
  description:
    'How precisely a date is known. Sources often say "October 2016" or "earlier this week"; such a date is stored as the first day of its month or year, with this precision.',
  valuesConfig: {
    DAY: { description: 'The exact day is known.' },
    MONTH: { description: 'Only the month is known; the date is the first day of that month.' },
    YEAR: { description: 'Only the year is known; the date is January 1 of that year.' },
  },
});

/** The part a studio plays in a deal. */
export enum DealPartyRole {
  ACQUIRER = 'ACQUIRER',
  TARGET = 'TARGET',
  INVESTOR = 'INVESTOR',
  INVESTEE = 'INVESTEE',
  PARTNER = 'PARTNER',
  DISTRIBUTOR = 'DISTRIBUTOR',
  LICENSOR = 'LICENSOR',
  LICENSEE = 'LICENSEE',
}

registerEnumType(DealPartyRole, {
  name: 'DealPartyRole',
  description: 'The part a studio plays in a deal.',
  valuesConfig: {
    ACQUIRER: { description: 'Buys the company or the stake.' },
    TARGET: { description: 'The company (or part of it) being bought.' },
    INVESTOR: { description: 'Puts money in.' },
    INVESTEE: { description: 'Receives the investment.' },
    PARTNER: { description: 'An equal party to a partnership, co-production or co-financing.' },
    DISTRIBUTOR: { description: 'Distributes the films covered by the deal.' },
    LICENSOR: { description: 'Grants the rights.' },
    LICENSEE: { description: 'Receives the rights.' },
  },
});
