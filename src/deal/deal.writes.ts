import type { Queryable } from '../db/pool';
import { slugify, Validator } from '../graphql/validation';
import { type Actor, deleteEntity, insertEntity, lockVersion, reload, resolveReferences, updateEntity, write } from '../graphql/write';
import { DatePrecision, DealKind, DealPartyRole } from './deal.enums';
import type { CreateDealInput, DealPartyInput, SourceInput, UpdateDealInput } from './deal.inputs';
import { Deal, DEAL_TABLE } from './deal.type';

/**
 * Writes to deals with their parties, films and sources: each validated before anything is written
 * (field by field, then the rules that span fields, on the deal as it will be), then one transaction
 * that also records the change in the audit history. The mutations (deal.mutations.ts) only call these.
 */

const JOINT = new Set([DealKind.PARTNERSHIP, DealKind.CO_PRODUCTION, DealKind.CO_FINANCING]);
const STAKES = new Set([DealKind.EQUITY_STAKE, DealKind.ACQUISITION]);

/** The deal as it will be after the write, for the rules that span several fields. */
interface DealShape {
  kind: DealKind;
  parties: DealPartyInput[];
  announcedOn: string | null;
  announcedOnPrecision: DatePrecision | null;
  stakePercent: string | null;
}

/** Field rules: each field alone. */
function validateFields(v: Validator, input: CreateDealInput | UpdateDealInput, create: boolean): void {
  if (create || input.title !== undefined) v.required('input.title', input.title, 'a headline for the deal');
  v.maxLength('input.title', input.title, 300);
  if (input.slug !== undefined) {
    if (!create && input.slug === null) v.add('input.slug', 'cannot be cleared: a deal always has a slug');
    v.slug('input.slug', input.slug);
  } else if (create && input.title && !slugify(input.title)) {
    v.add('input.title', 'has no letters or digits to make a slug from: give input.slug');
  }
  for (const field of ['kind', 'status'] as const) if (!create && input[field] === null) v.add(`input.${field}`, 'cannot be cleared');
  v.maxLength('input.summary', input.summary, 5000);
  if (input.value) {
    v.nonNegative('input.value.amount', input.value.amount);
    v.currency('input.value.currency', input.value.currency);
  }
  v.nonNegative('input.valueUsd', input.valueUsd);
  v.percent('input.stakePercent', input.stakePercent);
  input.sources?.forEach((s, i) => {
    v.required(`input.sources[${i}].publisher`, s.publisher, 'the publisher');
    v.required(`input.sources[${i}].title`, s.title, 'the headline');
    v.url(`input.sources[${i}].url`, s.url);
  });
  if (input.films && input.films.length > 100) v.add('input.films', `takes at most 100 films, got ${input.films.length}`);
}

/** Rules that span fields: parties for the kind of deal, stake for stakes, a date with its precision. */
function validateShape(v: Validator, deal: DealShape, partiesField: string): void {
  if (deal.parties.length === 0) v.add(partiesField, 'needs at least one party');
  if (JOINT.has(deal.kind) && deal.parties.length < 2) {
    v.add(partiesField, `needs at least two parties for a ${deal.kind}; got ${deal.parties.length}`);
  }
  if (STAKES.has(deal.kind)) {
    const acquirers = deal.parties.filter((p) => p.role === DealPartyRole.ACQUIRER).length;
    const targets = deal.parties.filter((p) => p.role === DealPartyRole.TARGET).length;
    if (acquirers < 1 || targets !== 1) {
      v.add(partiesField, `needs one ACQUIRER (or more) and exactly one TARGET for an ${deal.kind}; got ${acquirers} ACQUIRER and ${targets} TARGET`);
    }
  } else if (deal.stakePercent != null) {
    v.add('input.stakePercent', `is only for EQUITY_STAKE and ACQUISITION deals, not ${deal.kind}`);
  }
  if ((deal.announcedOn == null) !== (deal.announcedOnPrecision == null)) {
    v.add(deal.announcedOn == null ? 'input.announcedOn' : 'input.announcedOnPrecision', 'announcedOn and announcedOnPrecision go together: give both or neither');
  } else if (deal.announcedOn) {
    const [, month, day] = deal.announcedOn.split('-');
    if (deal.announcedOnPrecision === DatePrecision.MONTH && day !== '01') {
      v.add('input.announcedOn', `with MONTH precision must be the first day of the month, such as ${deal.announcedOn.slice(0, 8)}01`);
    }
    if (deal.announcedOnPrecision === DatePrecision.YEAR && (month !== '01' || day !== '01')) {
      v.add('input.announcedOn', `with YEAR precision must be January 1st, such as ${deal.announcedOn.slice(0, 5)}01-01`);
    }
  }
}

/** Resolves parties and films, checks them, and writes parties, films and sources (replacing those given). */
async function setLinks(
  tx: Queryable,
  v: Validator,
  dealId: number,
  parties: DealPartyInput[] | null | undefined,
  films: string[] | null | undefined,
  sources: SourceInput[] | null | undefined,
): Promise<void> {
  const studioIds = parties ? await resolveReferences(tx, 'Studio', parties.map((p, i) => ({ field: `input.parties[${i}].studio`, ref: p.studio })), v) : [];
  const seen = new Set<number>();
  studioIds.forEach((id, i) => {
    if (id === undefined) return;
    if (seen.has(id)) v.add(`input.parties[${i}].studio`, 'is already a party: a studio takes part in a deal once, in one role');
    seen.add(id);
  });
  const filmIds = films ? await resolveReferences(tx, 'Film', films.map((ref, i) => ({ field: `input.films[${i}]`, ref })), v) : [];
  v.throwIfInvalid();
  if (parties) {
    await tx.query('DELETE FROM deal_party WHERE deal_id = $1', [dealId]);
    await tx.query('INSERT INTO deal_party (deal_id, studio_id, role) SELECT $1, * FROM unnest($2::int[], $3::deal_party_role[])', [
      dealId,
      studioIds,
      parties.map((p) => p.role),
    ]);
  }
  if (films) {
    await tx.query('DELETE FROM deal_film WHERE deal_id = $1', [dealId]);
    await tx.query('INSERT INTO deal_film (deal_id, film_id) SELECT DISTINCT $1::int, unnest($2::int[])', [dealId, filmIds]);
  }
  if (sources) {
    await tx.query('DELETE FROM deal_source WHERE deal_id = $1', [dealId]);
    for (const s of sources) {
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO source (publisher, title, author, url, published_on) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (publisher, title) DO UPDATE SET author = COALESCE(EXCLUDED.author, source.author), url = COALESCE(EXCLUDED.url, source.url),
           published_on = COALESCE(EXCLUDED.published_on, source.published_on)
         RETURNING id`,
        [s.publisher.trim(), s.title.trim(), s.author ?? null, s.url ?? null, s.publishedOn ?? null],
      );
      await tx.query('INSERT INTO deal_source (deal_id, source_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [dealId, row.id]);
    }
  }
}

export function createDeal(db: Queryable, actor: Actor, input: CreateDealInput): Promise<Deal> {
  const v = new Validator();
  validateFields(v, input, true);
  validateShape(
    v,
    { kind: input.kind, parties: input.parties, announcedOn: input.announcedOn ?? null, announcedOnPrecision: input.announcedOnPrecision ?? null, stakePercent: input.stakePercent ?? null },
    'input.parties',
  );
  v.throwIfInvalid();
  return write(db, async (tx) => {
    const columns = DEAL_TABLE.assignments({
      slug: input.slug ?? slugify(input.title).slice(0, 80).replace(/-+$/, ''),
      kind: input.kind,
      title: input.title.trim(),
      summary: input.summary,
      status: input.status,
      announcedOn: input.announcedOn,
      announcedOnPrecision: input.announcedOnPrecision,
      valueAmount: input.value?.amount,
      valueCurrency: input.value?.currency,
      valueUsd: input.valueUsd,
      stakePercent: input.stakePercent,
    });
    const rowId = await insertEntity(tx, actor, 'createDeal', 'Deal', columns, (id) => setLinks(tx, v, id, input.parties, input.films ?? [], input.sources ?? []));
    return reload(tx, DEAL_TABLE, Deal.fromRow, rowId);
  });
}

export function updateDeal(db: Queryable, actor: Actor, rowId: number, expectedVersion: number, input: UpdateDealInput): Promise<Deal> {
  const v = new Validator();
  validateFields(v, input, false);
  v.throwIfInvalid();
  return write(db, async (tx) => {
    await lockVersion(tx, 'Deal', rowId, expectedVersion);
    // The rules that span fields apply to the deal as it will be: the stored one with the changes.
    const [current] = await tx.query<{ kind: DealKind; announced_on: string | null; announced_on_precision: DatePrecision | null; stake_percent: string | null; parties: DealPartyInput[] }>(
      `SELECT d.kind, d.announced_on, d.announced_on_precision, d.stake_percent,
              (SELECT COALESCE(json_agg(json_build_object('studio', dp.studio_id::text, 'role', dp.role)), '[]') FROM deal_party dp WHERE dp.deal_id = d.id) AS parties
         FROM deal d WHERE d.id = $1`,
      [rowId],
    );
    const clearsDate = input.announcedOn === null;
    validateShape(
      v,
      {
        kind: input.kind ?? current.kind,
        parties: input.parties ?? current.parties,
        announcedOn: input.announcedOn !== undefined ? input.announcedOn : current.announced_on,
        announcedOnPrecision: clearsDate ? null : input.announcedOnPrecision !== undefined ? input.announcedOnPrecision : current.announced_on_precision,
        stakePercent: input.stakePercent !== undefined ? input.stakePercent : current.stake_percent,
      },
      input.parties ? 'input.parties' : 'input.kind',
    );
    v.throwIfInvalid();
    const columns = DEAL_TABLE.assignments({
      kind: input.kind ?? undefined,
      title: input.title?.trim(),
      slug: input.slug ?? undefined,
      summary: input.summary,
      status: input.status ?? undefined,
      announcedOn: input.announcedOn,
      announcedOnPrecision: clearsDate ? null : input.announcedOnPrecision,
      valueAmount: input.value === undefined ? undefined : (input.value?.amount ?? null),
      valueCurrency: input.value === undefined ? undefined : (input.value?.currency ?? null),
      valueUsd: input.valueUsd,
      stakePercent: input.stakePercent,
    });
    await updateEntity(tx, actor, 'updateDeal', 'Deal', rowId, expectedVersion, columns, () => setLinks(tx, v, rowId, input.parties, input.films, input.sources));
    return reload(tx, DEAL_TABLE, Deal.fromRow, rowId);
  });
}

/** Deletes a deal with its parties, film links and source links (the studios, films and sources stay). */
export function deleteDeal(db: Queryable, actor: Actor, rowId: number, expectedVersion: number): Promise<void> {
  return write(db, async (tx) => {
    await lockVersion(tx, 'Deal', rowId, expectedVersion);
    await deleteEntity(tx, actor, 'deleteDeal', 'Deal', rowId);
  });
}
