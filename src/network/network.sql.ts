import type { Params } from '../graphql/connection';

/**
 * The deal network, walked in PostgreSQL.
 *
 * Studios are linked when they are parties to the same deal (optionally only deals of some kinds),
 * and, unless ownership is left out, a subsidiary is linked to its parent company both ways.
 *
 * `reach` is a breadth-first recursive query over (studio, depth) pairs; its UNION drops pairs
 * already found, so it holds at most (studios reached) x (depth + 1) rows, and it reads links through
 * the deal_party indexes from the studios of the previous level only. It is read through a LIMIT: a
 * network larger than `cap` pairs stops there and is reported as too large, never computed in full.
 * `prev` keeps, for every studio reached, one link from a studio one hop closer; `walk` follows those
 * links back to the origin to build one shortest path per studio.
 */

export const MAX_DEPTH = 4;

export enum LinkKind {
  DEAL = 'DEAL',
  PARENT_COMPANY = 'PARENT_COMPANY',
  SUBSIDIARY = 'SUBSIDIARY',
}

export interface WalkOptions {
  /** SQL expression of the origin studio id. */
  origin: string;
  depth: number;
  kinds: string[] | null;
  ownership: boolean;
  /** (studio, depth) pairs the walk may produce before it stops and reports itself truncated. */
  cap: number;
}

/**
 * Rows `studio_id, distance, from_ids, to_ids, deal_ids, links, truncated` for every studio within
 * `depth` links of the origin (the origin itself excluded).
 */
export function networkSql(params: Params, { origin, depth, kinds, ownership, cap }: WalkOptions): string {
  const kindCondition = kinds && kinds.length ? ` JOIN deal kd ON kd.id = a.deal_id AND kd.kind = ANY(${params.add(kinds, 'deal_kind[]')})` : '';
  const ownershipLinks = ownership
    ? `UNION ALL SELECT c.id, c.parent_id, NULL::int, '${LinkKind.PARENT_COMPANY}' FROM studio c WHERE c.parent_id IS NOT NULL
       UNION ALL SELECT c.parent_id, c.id, NULL::int, '${LinkKind.SUBSIDIARY}' FROM studio c WHERE c.parent_id IS NOT NULL`
    : '';
  return `WITH RECURSIVE
    link(src, dst, deal_id, kind) AS NOT MATERIALIZED (
      SELECT a.studio_id, b.studio_id, a.deal_id, '${LinkKind.DEAL}'
        FROM deal_party a JOIN deal_party b ON b.deal_id = a.deal_id AND b.studio_id <> a.studio_id${kindCondition}
      ${ownershipLinks}
    ),
    reach(studio_id, depth) AS (
      SELECT ${origin}, 0
      UNION
      SELECT l.dst, r.depth + 1 FROM reach r JOIN link l ON l.src = r.studio_id WHERE r.depth < ${Number(depth)}
    ),
    capped AS (SELECT * FROM reach LIMIT ${Number(cap) + 1}),
    dist AS (SELECT studio_id, min(depth) AS distance FROM capped GROUP BY studio_id),
    prev AS (
      SELECT DISTINCT ON (d.studio_id) d.studio_id, l.src AS prev_id, l.deal_id, l.kind
        FROM dist d
        JOIN link l ON l.dst = d.studio_id
        JOIN dist p ON p.studio_id = l.src AND p.distance = d.distance - 1
       WHERE d.distance > 0
       ORDER BY d.studio_id, l.kind, l.src, l.deal_id DESC
    ),
    walk(target, at_id, from_ids, to_ids, deal_ids, links) AS (
      SELECT p.studio_id, p.prev_id, ARRAY[p.prev_id], ARRAY[p.studio_id], ARRAY[p.deal_id], ARRAY[p.kind] FROM prev p
      UNION ALL
      SELECT w.target, p.prev_id, p.prev_id || w.from_ids, p.studio_id || w.to_ids, p.deal_id || w.deal_ids, p.kind || w.links
        FROM walk w JOIN prev p ON p.studio_id = w.at_id
    )
    SELECT d.studio_id, d.distance, w.from_ids, w.to_ids, w.deal_ids, w.links,
           (SELECT count(*) FROM capped) > ${Number(cap)} AS truncated
      FROM dist d JOIN walk w ON w.target = d.studio_id AND w.at_id = ${origin}`;
}
