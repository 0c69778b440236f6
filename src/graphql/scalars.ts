import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { quote } from './text';

const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

function invalid(scalar: string, expected: string, got: unknown): GraphQLError {
  return new GraphQLError(`${scalar} must be ${expected}; got ${quote(got)}.`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

/**
 * For literals, a plain Error: graphql-js then reports it with the location of the value (a
 * GraphQLError thrown here would be reported as is, without one), and the error formatter can name
 * the argument.
 */
function invalidLiteral(scalar: string, expected: string, got: unknown): Error {
  return new Error(invalid(scalar, expected, got).message);
}

/**
 * Exact decimal numbers as strings ("4680000000", "7.66"): money and percentages never pass through
 * floating point. Inputs may be strings or integer literals; a float variable is refused because it
 * may already have lost precision on the client.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description:
    'An exact decimal number, serialised as a string such as "4680000000" or "7.66" so that no precision is lost to floating point.',
  serialize(value) {
    if (typeof value === 'string' && DECIMAL.test(value)) return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    throw new GraphQLError(`Decimal cannot represent ${JSON.stringify(value)}`);
  },
  parseValue(value) {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    if (typeof value === 'string' && DECIMAL.test(value.trim())) return value.trim();
    throw invalid('Decimal', 'a decimal number written as a string, such as "744000000" or "7.66"', value);
  },
  parseLiteral(ast: ValueNode) {
    // Literal text is exact (the AST keeps the digits as written), so numbers are fine here.
    if ((ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) && DECIMAL.test(ast.value)) {
      return ast.value;
    }
    throw invalidLiteral('Decimal', 'a decimal number such as "744000000" or "7.66"', 'value' in ast ? ast.value : ast.kind);
  },
});

/** YYYY-MM-DD, the parts captured. */
const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (no February 30th). */
export function isCalendarDate(value: string): boolean {
  const match = DATE_SHAPE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().startsWith(value);
}

function parseDate(value: unknown): string {
  if (typeof value === 'string' && isCalendarDate(value)) return value;
  throw invalid('Date', 'a calendar date written YYYY-MM-DD, such as "2018-02-07"', value);
}

/** Calendar dates without time or zone, as PostgreSQL's `date`. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date without time or time zone, written YYYY-MM-DD (ISO 8601), such as "2018-02-07".',
  serialize(value) {
    // Out-going dates come from PostgreSQL `date` columns, calendar dates already: the shape is checked,
    // not the calendar (that took a Date and an ISO string per value, 4% of a 50-film page's CPU).
    if (typeof value === 'string' && DATE_SHAPE.test(value)) return value;
    throw new GraphQLError(`Date cannot represent ${JSON.stringify(value)}`);
  },
  parseValue: parseDate,
  parseLiteral(ast) {
    const value = ast.kind === Kind.STRING ? ast.value : ast.kind;
    if (typeof value === 'string' && isCalendarDate(value)) return value;
    throw invalidLiteral('Date', 'a calendar date written YYYY-MM-DD, such as "2018-02-07"', value);
  },
});

/** Instants, as PostgreSQL's `timestamptz`, always written in UTC. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant in time, written in ISO 8601 in UTC, such as "2018-02-07T22:48:00.000Z".',
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
    throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(value)}`);
  },
  parseValue(value) {
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value);
    throw invalid('DateTime', 'an ISO 8601 date and time such as "2018-02-07T22:48:00Z"', value);
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING && /^\d{4}-\d{2}-\d{2}T/.test(ast.value) && !Number.isNaN(Date.parse(ast.value))) {
      return new Date(ast.value);
    }
    throw invalidLiteral('DateTime', 'an ISO 8601 date and time such as "2018-02-07T22:48:00Z"', 'value' in ast ? ast.value : ast.kind);
  },
});
