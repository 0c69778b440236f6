import { badUserInput } from '../errors';
import { isCalendarDate } from '../scalars';
import { textProblem } from '../text';
import type { KeyType, Page, SortKey } from './keyset';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageArgs } from './types';

/**
 * Cursors and page arguments. A cursor holds the values of the list's sort keys for one row, with
 * the ordering's signature, so a cursor of another list or ordering is recognised and refused; every
 * value is checked against its key's type before it reaches SQL.
 */

type Row = Record<string, unknown>;

function signature(order: SortKey[]): string {
  return order.map((k) => `${k.name}${k.desc ? '-' : '+'}`).join(',');
}

export function encodeCursor(order: SortKey[], row: Row): string {
  const values = order.map((_, i) => row[`_k${i}`]);
  return Buffer.from(JSON.stringify([signature(order), ...values])).toString('base64url');
}

function decodeCursor(argumentName: string, cursor: string, order: SortKey[]): unknown[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const refuse = (why: string) =>
    badUserInput(
      argumentName,
      `Argument "${argumentName}" is not a valid cursor for this list (${why}). Pass a cursor returned by this same field with the same arguments, such as pageInfo.endCursor.`,
    );
  if (!Array.isArray(decoded) || decoded.length !== order.length + 1) throw refuse('it is not a cursor');
  if (decoded[0] !== signature(order)) throw refuse('it comes from another list or another orderBy');
  const values = decoded.slice(1);
  values.forEach((value, i) => {
    const key = order[i];
    if (value === null ? !key.nullable : !validKeyValue(key.type, value)) throw refuse('it has been altered');
  });
  return values;
}

const INT4 = 2_147_483_647;
const INT8 = 9_223_372_036_854_775_807n;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;

/**
 * Whether a cursor's key value is one PostgreSQL takes for its type: a forged cursor must be refused
 * here, as the argument it is, and never reach SQL (February 30th, an int past 2^31, a NUL in text
 * would each come back from PostgreSQL as an internal error).
 */
function validKeyValue(type: KeyType, value: unknown): boolean {
  switch (type) {
    case 'int':
      return Number.isSafeInteger(value) && Math.abs(value as number) <= INT4;
    case 'bool':
      return typeof value === 'boolean';
    case 'bigint':
      return typeof value === 'string' && /^-?\d{1,19}$/.test(value) && BigInt(value) <= INT8 && BigInt(value) >= -INT8;
    case 'date':
      return typeof value === 'string' && isCalendarDate(value);
    case 'numeric':
      return typeof value === 'string' && value.length <= 100 && /^-?\d+(\.\d+)?$/.test(value);
    case 'timestamptz': {
      const match = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
      return match !== null && isCalendarDate(match[1]);
    }
    default:
      return typeof value === 'string' && value.length <= 10_000 && textProblem(value) === undefined;
  }
}

/**
 * Validates first/after/last/before against the Relay rules and our limits. Errors name the argument;
 * for a nested connection, the error's path says which field it was.
 */
export function parsePage(args: PageArgs, order: SortKey[]): Page {
  const { first, last, after, before } = args;
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value !== null && value !== undefined && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw badUserInput(name, `Argument "${name}" must be between 0 and ${MAX_PAGE_SIZE}, but got ${value}. Page through longer lists with cursors.`);
    }
  }
  if (first != null && last != null) {
    throw badUserInput('last', 'Pass either "first" (page forward) or "last" (page backward), not both.');
  }
  const backward = last != null;
  return {
    limit: (backward ? last : first) ?? DEFAULT_PAGE_SIZE,
    backward,
    after: after != null ? decodeCursor('after', after, order) : undefined,
    before: before != null ? decodeCursor('before', before, order) : undefined,
  };
}
