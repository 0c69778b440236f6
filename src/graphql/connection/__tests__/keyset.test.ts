import { type ListSource, pageSql, Params, type SortKey } from '../keyset';

// Keyset SQL, as text: the seek predicate for each direction and NULL placement, without a database
// (test/connections.test.ts pages through real rows).

const source: ListSource = { select: 'f.id, f.title', from: 'film f', where: ["f.status = 'RELEASED'"] };
const LATEST: SortKey[] = [
  { name: 'RELEASE_DATE', sql: 'f.release_date', type: 'date', desc: true, nullable: true },
  { name: 'ID', sql: 'f.id', type: 'int' },
];
const BY_TITLE: SortKey[] = [
  { name: 'TITLE', sql: 'f.title', type: 'text' },
  { name: 'ID', sql: 'f.id', type: 'int' },
];
const flat = (sql: string) => sql.replace(/\s+/g, ' ').trim();

test('the first page: the filter, the order with NULLs last, one row more than the page to know if more follow', () => {
  const params = new Params();
  expect(flat(pageSql(source, LATEST, { limit: 10, backward: false }, params, { names: new Set(['title']), key: 'title', cursors: false }))).toBe(
    "SELECT f.id, f.title FROM film f WHERE f.status = 'RELEASED' ORDER BY f.release_date DESC NULLS LAST, f.id ASC NULLS LAST LIMIT 11",
  );
  expect(params.values).toEqual([]);
});

test('after a cursor on a non-nullable leading key: a redundant bound lets an index seek', () => {
  const params = new Params();
  expect(flat(pageSql(source, BY_TITLE, { limit: 2, backward: false, after: ['Gump', 7] }, params))).toBe(
    "SELECT f.id, f.title, f.title AS \"_k0\", f.id AS \"_k1\" FROM film f WHERE f.status = 'RELEASED' AND (f.title >= $1::text AND ((f.title > $1::text) OR (f.title = $1::text AND f.id > $2::int))) ORDER BY f.title ASC NULLS LAST, f.id ASC NULLS LAST LIMIT 3",
  );
  expect(params.values).toEqual(['Gump', 7]);
});

test('after a cursor on a nullable descending key: later values and the NULLs, which sort last', () => {
  const params = new Params();
  const sql = flat(pageSql(source, LATEST, { limit: 2, backward: false, after: ['2015-07-31', 3] }, params));
  expect(sql).toContain('((f.release_date < $1::date OR f.release_date IS NULL)) OR (f.release_date = $1::date AND f.id > $2::int)');
  expect(params.values).toEqual(['2015-07-31', 3]);
});

test('after a row whose key is NULL: only the NULLs further on; before it, every non-NULL value', () => {
  const after = new Params();
  expect(flat(pageSql(source, LATEST, { limit: 2, backward: false, after: [null, 3] }, after))).toContain('((f.release_date IS NULL AND f.id > $1::int))');
  const before = new Params();
  expect(flat(pageSql(source, LATEST, { limit: 2, backward: true, before: [null, 3] }, before))).toContain(
    '((f.release_date IS NOT NULL) OR (f.release_date IS NULL AND f.id < $1::int))',
  );
  // Paging backward reads in the reverse order, NULLs first, and the page is turned around afterwards.
  expect(flat(pageSql(source, LATEST, { limit: 2, backward: true, before: [null, 3] }, new Params()))).toContain('ORDER BY f.release_date ASC NULLS FIRST, f.id DESC NULLS FIRST');
});
