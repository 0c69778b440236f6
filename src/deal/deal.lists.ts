import type { Selection } from '../graphql/columns';
import type { ListSource, Params, SortKey } from '../graphql/connection';
import { buildOrder, conditionsOf, OrderDirection, RELEVANCE_KEY, searchable, whereIn, whereRange, whereRelated, whereText, whereYears } from '../graphql/filters';
import type { Searched } from '../graphql/fuzzy';
import { DealOrderField, type DealFilter, type DealOrder } from './deal.inputs';
import { DEALS_LATEST_FIRST, dealColumns } from './deal.type';

// The root `deals` list and every nested list of deals: filter conditions, orderings, search.

const ORDERABLE = {
  [DealOrderField.RELEVANCE]: RELEVANCE_KEY,
  [DealOrderField.ANNOUNCED_ON]: { sql: 'd.announced_on', type: 'date', nullable: true },
  [DealOrderField.TITLE]: { sql: 'd.title', type: 'text' },
  [DealOrderField.VALUE_USD]: { sql: 'd.value_usd', type: 'numeric', nullable: true },
  [DealOrderField.STAKE_PERCENT]: { sql: 'd.stake_percent', type: 'numeric', nullable: true },
  [DealOrderField.CREATED_AT]: { sql: 'd.created_at', type: 'timestamptz' },
} as const;

/** SQL conditions on `deal d` for a DealFilter, combinators included. */
export function dealConditions(filter: DealFilter | null | undefined, params: Params, path = 'filter'): string[] {
  return conditionsOf(filter, path, (f, p) => {
    const where: string[] = [];
    whereIn(where, params, 'd.slug', f.slug, `${p}.slug`);
    whereText(where, params, 'd.title', f.title, `${p}.title`);
    whereIn(where, params, 'd.kind', f.kind, `${p}.kind`, 'deal_kind');
    whereIn(where, params, 'd.status', f.status, `${p}.status`, 'deal_status');
    whereRange(where, params, 'd.announced_on', f.announcedOn, `${p}.announcedOn`, 'date');
    whereYears(where, params, 'd.announced_on', f.announcedYear, `${p}.announcedYear`);
    whereRange(where, params, 'd.value_usd', f.valueUsd, `${p}.valueUsd`, 'numeric');
    whereRange(where, params, 'd.stake_percent', f.stakePercent, `${p}.stakePercent`, 'numeric');
    whereRelated(where, params, f.studio, `${p}.studio`, 'ps.slug', (c) => `EXISTS (SELECT 1 FROM deal_party pdp JOIN studio ps ON ps.id = pdp.studio_id WHERE pdp.deal_id = d.id AND ${c})`, 'studio');
    if (f.party) {
      const party: string[] = [];
      params.reference('studio', f.party.studio, `${p}.party.studio`);
      whereIn(party, params, 'qs.slug', f.party.studio, `${p}.party.studio`);
      whereIn(party, params, 'qs.kind', f.party.kind, `${p}.party.kind`, 'studio_kind');
      whereIn(party, params, 'qdp.role', f.party.role, `${p}.party.role`, 'deal_party_role');
      whereIn(party, params, 'qs.country', f.party.country, `${p}.party.country`);
      where.push(`EXISTS (SELECT 1 FROM deal_party qdp JOIN studio qs ON qs.id = qdp.studio_id WHERE qdp.deal_id = d.id${party.map((c) => ` AND ${c}`).join('')})`);
    }
    whereRelated(where, params, f.film, `${p}.film`, 'cf.slug', (c) => `EXISTS (SELECT 1 FROM deal_film cdf JOIN film cf ON cf.id = cdf.film_id WHERE cdf.deal_id = d.id AND ${c})`, 'film');
    return where;
  });
}

/** How deals are searched (fuzzy.ts): by title; popularity for deals: none (a deal's title mentions its parties and films). */
export function dealSearched(a: string): Searched {
  return { text: `${a}.title`, popularity: `0`, mentions: true };
}

/** The root `deals` list: rows of `deal d` matching search and filter. */
export function dealListSource(params: Params, search?: string | null, filter?: DealFilter | null, fields?: Selection): ListSource {
  return searchable({ select: dealColumns('d', fields), from: 'deal d', where: dealConditions(filter, params) }, params, dealSearched('d'), search);
}

export function dealListOrder(orderBy?: DealOrder[] | null, search?: string | null): SortKey[] {
  if ((!orderBy || orderBy.length === 0) && !search?.trim()) return DEALS_LATEST_FIRST;
  return buildOrder(orderBy, [{ field: DealOrderField.ANNOUNCED_ON, direction: OrderDirection.DESC }], ORDERABLE, 'd.id', search);
}

