import fc from 'fast-check';
import { textProblem } from '../../text';
import { encodeCursor, parsePage } from '../cursor';
import type { SortKey } from '../keyset';

// The cursor codec, without a database: a cursor decodes to the values it was made of, and anything
// forged, altered or from another ordering is refused as a bad argument naming it.

const ORDER: SortKey[] = [
  { name: 'RELEASE_DATE', sql: 'f.release_date', type: 'date', desc: true, nullable: true },
  { name: 'TITLE', sql: 'f.title', type: 'text' },
  { name: 'ID', sql: 'f.id', type: 'int' },
];

const cursorOf = (values: unknown[]) => encodeCursor(ORDER, Object.fromEntries(values.map((v, i) => [`_k${i}`, v])));
const forged = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
const refusal = (after: string) => {
  try {
    parsePage({ first: 2, after }, ORDER);
  } catch (error) {
    return { message: (error as Error).message, extensions: (error as { extensions?: unknown }).extensions };
  }
  return undefined;
};

test('a cursor decodes to the sort-key values of its row, whatever they are', () => {
  fc.assert(
    fc.property(
      fc.option(fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))),
      fc.string({ maxLength: 50 }).filter((s) => textProblem(s) === undefined),
      fc.integer({ min: 1, max: 2_147_483_647 }),
      (date, title, id) => {
        const page = parsePage({ first: 2, after: cursorOf([date, title, id]) }, ORDER);
        expect(page).toEqual({ limit: 2, backward: false, after: [date, title, id], before: undefined });
      },
    ),
    { seed: 20261207, numRuns: 200 },
  );
});

test.each([
  ['not a cursor at all', 'not-a-cursor', 'it is not a cursor'],
  ['a cursor of another ordering', forged(['TITLE+,RELEASE_DATE-,ID+', 'A', null, 1]), 'it comes from another list or another orderBy'],
  ['the wrong number of values', forged(['RELEASE_DATE-,TITLE+,ID+', null, 'A']), 'it is not a cursor'],
  ['a date that does not exist', forged(['RELEASE_DATE-,TITLE+,ID+', '2018-02-30', 'A', 1]), 'it has been altered'],
  ['a NUL in text', forged(['RELEASE_DATE-,TITLE+,ID+', null, 'A\u0000', 1]), 'it has been altered'],
  ['an id past 2^31', forged(['RELEASE_DATE-,TITLE+,ID+', null, 'A', 2_147_483_648]), 'it has been altered'],
  ['null for a key that is never null', forged(['RELEASE_DATE-,TITLE+,ID+', null, null, 1]), 'it has been altered'],
])('refused: %s', (_case, after, why) => {
  expect(refusal(after)).toEqual({
    message: `Argument "after" is not a valid cursor for this list (${why}). Pass a cursor returned by this same field with the same arguments, such as pageInfo.endCursor.`,
    extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' },
  });
});

test('page sizes: 20 by default, 0 to 100, first or last but not both', () => {
  expect(parsePage({}, ORDER)).toEqual({ limit: 20, backward: false, after: undefined, before: undefined });
  expect(parsePage({ last: 5 }, ORDER)).toMatchObject({ limit: 5, backward: true });
  expect(() => parsePage({ first: 101 }, ORDER)).toThrow('Argument "first" must be between 0 and 100, but got 101.');
  expect(() => parsePage({ first: 1, last: 1 }, ORDER)).toThrow('Pass either "first" (page forward) or "last" (page backward), not both.');
});
