import { GraphQLError } from 'graphql';

/**
 * How database failures reach clients: a database that is down or a pool that is full is
 * SERVICE_UNAVAILABLE (retry soon), a statement cancelled for taking too long is TIMEOUT. Both are
 * answered quickly and say what happened, without SQL.
 */

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);

/** True for an error that means the connection or the server failed, not the statement. */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string; severity?: string } | undefined;
  if (!e) return false;
  if (e.code && CONNECTION_CODES.has(e.code)) return true;
  // A FATAL error of class 08 ends the connection: PgBouncer's own ("server conn crashed?" when the
  // primary behind it went away, query_wait_timeout, ...) come as 08P01.
  if (e.severity === 'FATAL' && e.code?.startsWith('08')) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(e.message ?? '');
}

export function serviceUnavailable(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'SERVICE_UNAVAILABLE' } });
}

export function timeout(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'TIMEOUT' } });
}

/** The client error for a database failure, or undefined when it is not one of those. */
export function databaseFailure(error: unknown): GraphQLError | undefined {
  const e = error as { code?: string; message?: string } | undefined;
  if (e?.code === '57014') {
    return /statement timeout/.test(e.message ?? '')
      ? timeout('A database statement took longer than the statement timeout and was cancelled. Ask for less (smaller pages, fewer nested lists) or retry later.')
      : timeout('The request took longer than its deadline; its database work was cancelled. Ask for less, or retry later.');
  }
  if (isConnectionError(error)) return serviceUnavailable('The database is unavailable at the moment; retry in a few seconds.');
  return undefined;
}
