import { databaseFailure, isConnectionError } from '../failures';

// Errors as node-postgres gives them: a DatabaseError carries the server's SQLSTATE and severity.
const serverError = (code: string, severity: string, message: string) => Object.assign(new Error(message), { code, severity });

test("PgBouncer's FATAL errors of class 08 (a server connection lost behind it) are connection failures: SERVICE_UNAVAILABLE", () => {
  const crashed = serverError('08P01', 'FATAL', 'server conn crashed?');
  expect(isConnectionError(crashed)).toBe(true);
  expect(databaseFailure(crashed)?.extensions.code).toBe('SERVICE_UNAVAILABLE');
});

test('a statement error of class 08 that does not end the connection, or another FATAL, is not', () => {
  expect(isConnectionError(serverError('08P01', 'ERROR', 'invalid message format'))).toBe(false);
  expect(isConnectionError(serverError('28P01', 'FATAL', 'password authentication failed'))).toBe(false);
  expect(databaseFailure(serverError('23505', 'ERROR', 'duplicate key'))).toBeUndefined();
});
