import { DatePrecision, DealKind, DealPartyRole, DealStatus } from '../deal/deal.enums';
import { FilmStatus, ProducerCreditRole, StudioCreditRole } from '../film/film.enums';
import { ProducerKind } from '../producer/producer.enums';
import { StudioKind } from '../studio/studio.enums';
import type { SeedData } from './seed';

const ARTICLE = 'capitalwatch-2018-02-07';

/**
 * Every fact of the reference article ("Alibaba To Make the First Hollywood Movie: Steel Soldiers",
 * CapitalWatch, 2018-02-07) as data. Where the article is silent a field is null, never invented.
 * Exceptions, each required by the schema: a studio's `kind` and a film's `status` (see the notes
 * beside them).
 *
 * Bump `version` when the facts change: `npm run db:seed` applies a newer version over an older one.
 */
export const articleSeed: SeedData = {
  name: 'article',
  // 2: Tom Cruise, credited as ACTOR on Mission: Impossible - Rogue Nation ("starring Tom Cruise").
  version: 2,
  sources: [
    {
      key: ARTICLE,
      publisher: 'CapitalWatch',
      title: 'Alibaba To Make the First Hollywood Movie: Steel Soldiers',
      author: 'CapitalWatch Staff',
      url: null,
      publishedOn: '2018-02-07',
    },
  ],
  studios: [
    {
      slug: 'alibaba-group',
      name: 'Alibaba Group',
      kind: StudioKind.CONGLOMERATE,
      country: 'CN',
      headquarters: null,
      foundedYear: null,
      stockListing: 'NYSE: BABA',
      website: null,
      description:
        'Alibaba Group Holding Ltd., the biggest e-commerce platform in China; the Chinese internet giant stepped into movie-making as early as 2015.',
      parent: null,
    },
    {
      slug: 'alibaba-pictures',
      name: 'Alibaba Pictures',
      kind: StudioKind.STUDIO,
      country: 'CN',
      headquarters: null,
      foundedYear: null,
      stockListing: null,
      website: null,
      description:
        'A film company under the Alibaba Group. It has invested in several blockbuster Hollywood movies and, with "Steel Soldiers", produces its first original Hollywood movie.',
      parent: 'alibaba-group',
    },
    {
      slug: 'stx-entertainment',
      name: 'STX Entertainment',
      kind: StudioKind.STUDIO,
      country: 'US',
      headquarters: 'Burbank',
      foundedYear: null,
      stockListing: null,
      website: null,
      description: 'Burbank-based media company with multi-platform content-making, marketing and distribution capabilities.',
      parent: null,
    },
    {
      slug: 'wanda-film',
      name: 'Wanda Film',
      // The article does not say what Wanda Film does; kind is required, and Wanda Film runs cinemas.
      kind: StudioKind.EXHIBITOR,
      country: null,
      headquarters: null,
      foundedYear: null,
      stockListing: null,
      website: null,
      description: null,
      parent: null,
    },
    {
      slug: 'amblin-partners',
      name: 'Amblin Partners',
      kind: StudioKind.PRODUCTION_COMPANY,
      country: null,
      headquarters: null,
      foundedYear: null,
      stockListing: null,
      website: null,
      description: "Steven Spielberg's Amblin Partners.",
      parent: null,
    },
  ],
  producers: [
    {
      slug: 'robert-zemeckis',
      name: 'Robert Zemeckis',
      kind: ProducerKind.PERSON,
      bio: 'Director of "Back to the Future" and "Forrest Gump"; producer of "Steel Soldiers".',
      affiliations: [],
    },
    {
      slug: 'tom-cruise',
      name: 'Tom Cruise',
      kind: ProducerKind.PERSON,
      bio: 'Star of "Mission: Impossible - Rogue Nation".',
      affiliations: [],
    },
    {
      slug: 'steven-spielberg',
      name: 'Steven Spielberg',
      kind: ProducerKind.PERSON,
      bio: null,
      affiliations: [{ studio: 'amblin-partners', title: null }],
    },
  ],
  films: [
    {
      slug: 'steel-soldiers',
      title: 'Steel Soldiers',
      status: FilmStatus.ANNOUNCED,
      releaseDate: null,
      genres: [],
      logline:
        "In a futuristic world where humans and androids fight side-by-side, a disgraced special forces officer is forced to train a new cadre of high-tech, but imperfect, android soldiers, turning them into elite military officers and leading them in a deadly mission to rescue the robots' creator.",
      budget: null,
      worldwideGross: null,
      studios: [
        { studio: 'stx-entertainment', role: StudioCreditRole.CO_PRODUCTION },
        { studio: 'alibaba-pictures', role: StudioCreditRole.CO_PRODUCTION },
      ],
      producers: [{ producer: 'robert-zemeckis', role: ProducerCreditRole.PRODUCER }],
    },
    {
      slug: 'back-to-the-future',
      title: 'Back to the Future',
      // Status is required; the article cites it as a film Zemeckis directed, so it is out.
      status: FilmStatus.RELEASED,
      releaseDate: null,
      genres: [],
      logline: null,
      budget: null,
      worldwideGross: null,
      studios: [],
      producers: [{ producer: 'robert-zemeckis', role: ProducerCreditRole.DIRECTOR }],
    },
    {
      slug: 'forrest-gump',
      title: 'Forrest Gump',
      status: FilmStatus.RELEASED,
      releaseDate: null,
      genres: [],
      logline: null,
      budget: null,
      worldwideGross: null,
      studios: [],
      producers: [{ producer: 'robert-zemeckis', role: ProducerCreditRole.DIRECTOR }],
    },
    {
      slug: 'teenage-mutant-ninja-turtles-out-of-the-shadows',
      title: 'Teenage Mutant Ninja Turtles: Out of the Shadows',
      // "blockbuster Hollywood movies" Alibaba Pictures "has invested in": released.
      status: FilmStatus.RELEASED,
      releaseDate: null,
      genres: [],
      logline: null,
      budget: null,
      worldwideGross: null,
      studios: [{ studio: 'alibaba-pictures', role: StudioCreditRole.FINANCING }],
      producers: [],
    },
    {
      slug: 'star-trek-beyond',
      title: 'Star Trek Beyond',
      status: FilmStatus.RELEASED,
      releaseDate: null,
      genres: [],
      logline: null,
      budget: null,
      worldwideGross: null,
      studios: [{ studio: 'alibaba-pictures', role: StudioCreditRole.FINANCING }],
      producers: [],
    },
    {
      slug: 'mission-impossible-rogue-nation',
      title: 'Mission: Impossible - Rogue Nation',
      status: FilmStatus.RELEASED,
      releaseDate: null,
      genres: ['Action', 'Thriller'],
      logline: null,
      budget: null,
      worldwideGross: null,
      studios: [{ studio: 'alibaba-pictures', role: StudioCreditRole.FINANCING }],
      // "the action thriller ... starring Tom Cruise".
      producers: [{ producer: 'tom-cruise', role: ProducerCreditRole.ACTOR }],
    },
  ],
  deals: [
    {
      slug: 'stx-entertainment-alibaba-pictures-steel-soldiers',
      kind: DealKind.CO_PRODUCTION,
      title: 'Alibaba Pictures and STX Entertainment partner to produce "Steel Soldiers"',
      summary:
        'Alibaba Pictures partnered with Burbank-based STX Entertainment to produce its first original Hollywood movie, "Steel Soldiers", produced by Robert Zemeckis. ' +
        "The project aims to leverage STX's multi-platform content-making, marketing and distribution capabilities and expertise, as well as Alibaba Pictures' access to new technology, e-commerce approach and consumer insights from being part of Alibaba Group's ecosystem.",
      status: DealStatus.ANNOUNCED,
      announcedOn: '2018-02-07',
      announcedOnPrecision: DatePrecision.DAY,
      value: null,
      valueUsd: null,
      stakePercent: null,
      parties: [
        { studio: 'alibaba-pictures', role: DealPartyRole.PARTNER },
        { studio: 'stx-entertainment', role: DealPartyRole.PARTNER },
      ],
      films: ['steel-soldiers'],
      sources: [ARTICLE],
    },
    {
      slug: 'alibaba-group-wanda-film-stake-2018',
      kind: DealKind.EQUITY_STAKE,
      title: 'Alibaba acquires a 7.66% stake in Wanda Film',
      summary: 'Alibaba agreed to acquire a 7.66 percent stake in Wanda Film for 4.68 billion yuan ($744 million).',
      status: DealStatus.ANNOUNCED,
      // "Earlier this week" in an article of Wednesday 2018-02-07: early February 2018.
      announcedOn: '2018-02-01',
      announcedOnPrecision: DatePrecision.MONTH,
      value: { amount: '4680000000', currency: 'CNY' },
      valueUsd: '744000000',
      stakePercent: '7.66',
      parties: [
        { studio: 'alibaba-group', role: DealPartyRole.ACQUIRER },
        { studio: 'wanda-film', role: DealPartyRole.TARGET },
      ],
      films: [],
      sources: [ARTICLE],
    },
    {
      slug: 'alibaba-pictures-amblin-partners-strategic-partnership',
      kind: DealKind.PARTNERSHIP,
      title: 'Alibaba Pictures and Amblin Partners forge a comprehensive strategic partnership',
      summary:
        'In October 2016, Alibaba Pictures and Steven Spielberg\'s Amblin Partners forged a "comprehensive strategic partnership" to co-produce and finance films for international and Chinese audiences.',
      status: DealStatus.CLOSED,
      announcedOn: '2016-10-01',
      announcedOnPrecision: DatePrecision.MONTH,
      value: null,
      valueUsd: null,
      stakePercent: null,
      parties: [
        { studio: 'alibaba-pictures', role: DealPartyRole.PARTNER },
        { studio: 'amblin-partners', role: DealPartyRole.PARTNER },
      ],
      films: [],
      sources: [ARTICLE],
    },
    ...(
      [
        ['teenage-mutant-ninja-turtles-out-of-the-shadows', 'Teenage Mutant Ninja Turtles: Out of the Shadows'],
        ['star-trek-beyond', 'Star Trek Beyond'],
        ['mission-impossible-rogue-nation', 'Mission: Impossible - Rogue Nation'],
      ] as const
    ).map(([film, title]) => ({
      slug: `alibaba-pictures-investment-${film}`,
      kind: DealKind.INVESTMENT,
      title: `Alibaba Pictures invests in "${title}"`,
      summary: `Alibaba Pictures has invested in the blockbuster Hollywood movie "${title}".`,
      // "has invested": done. The article gives no date, amount or counterparty.
      status: DealStatus.CLOSED,
      announcedOn: null,
      announcedOnPrecision: null,
      value: null,
      valueUsd: null,
      stakePercent: null,
      parties: [{ studio: 'alibaba-pictures', role: DealPartyRole.INVESTOR }],
      films: [film],
      sources: [ARTICLE],
    })),
  ],
};
