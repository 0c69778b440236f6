/**
 * The shapes of the HTTP layer's own answers: GraphQL-shaped errors (`{ errors: [{ message,
 * extensions: { code } }] }`, as Apollo answers), so a client reads every refusal the same way.
 */
export function errorBody(message: string, code: string, extensions: Record<string, unknown> = {}): { errors: Array<{ message: string; extensions: Record<string, unknown> }> } {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}

/** An error the HTTP layer answers with a status and a GraphQL-shaped body (see the error handler). */
export class HttpRefusal extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly code: string,
    readonly extensions: Record<string, unknown> = {},
    /** Close the connection after the answer: its body was not read. */
    readonly closeConnection = false,
  ) {
    super(message);
    this.name = 'HttpRefusal';
  }
}
