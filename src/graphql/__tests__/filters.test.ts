import { Params } from '../connection';
import { conditionsOf, whereIn, whereRange, whereText, whereYears } from '../filters';

// Filter compilation, without a database: conditions and their bound values, combinators, and the
// errors that name the offending input field.

interface F {
  slug?: { eq?: string | null; in?: string[] | null } | null;
  and?: F[] | null;
  or?: F[] | null;
  not?: F | null;
}

const compile = (filter: F) => {
  const params = new Params();
  const where = conditionsOf(filter, 'filter', (f, path) => {
    const own: string[] = [];
    whereIn(own, params, 's.slug', f.slug, `${path}.slug`);
    return own;
  });
  return { where, values: params.values };
};

test('and, or and not nest; every value is a bound parameter', () => {
  expect(compile({ slug: { eq: 'a' }, or: [{ slug: { eq: 'b' } }, { not: { slug: { in: ['c', 'd'] } } }] })).toEqual({
    where: ['s.slug = $1::text', '((s.slug = $2::text) OR (NOT COALESCE((s.slug = ANY($3::text[])), false)))'],
    values: ['a', 'b', ['c', 'd']],
  });
  // An empty `or` matches nothing; an empty inner filter matches everything.
  expect(compile({ or: [] }).where).toEqual(['false']);
  expect(compile({ and: [{}] }).where).toEqual(['true']);
});

test('limits are errors naming the path of the field', () => {
  expect(() => compile({ or: [{ slug: { in: Array.from({ length: 101 }, (_, i) => `s${i}`) } }] })).toThrow(
    'Argument "filter.or[0].slug.in" takes at most 100 values, but got 101.',
  );
  let deep: F = { slug: { eq: 'x' } };
  for (let i = 0; i < 7; i++) deep = { not: deep };
  expect(() => compile(deep)).toThrow('nests and/or/not more than 5 levels deep');
});

test('"contains" matches wildcards literally; ranges must not be empty; years stay within 1 and 9999', () => {
  const params = new Params();
  const where: string[] = [];
  whereText(where, params, 's.name', { contains: '50%_off\\' }, 'filter.name');
  expect(where).toEqual(["mg_norm(s.name) LIKE '%' || mg_norm($1::text) || '%'"]);
  expect(params.values).toEqual(['50\\%\\_off\\\\']);
  expect(() => whereRange([], new Params(), 'd.value_usd', { gte: '10.5', lte: '10.25' }, 'filter.valueUsd', 'numeric')).toThrow(
    'Argument "filter.valueUsd" is an empty range: gte (10.5) is greater than lte (10.25).',
  );
  const years = new Params();
  const dated: string[] = [];
  whereYears(dated, years, 'f.release_date', { gte: 2000, lte: 2010 }, 'filter.releaseYear');
  expect({ dated, values: years.values }).toEqual({ dated: ['f.release_date >= $1::date', 'f.release_date <= $2::date'], values: ['2000-01-01', '2010-12-31'] });
  expect(() => whereYears([], new Params(), 'f.release_date', { gte: 0 }, 'filter.releaseYear')).toThrow('must be a year between 1 and 9999');
});
