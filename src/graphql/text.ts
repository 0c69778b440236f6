import { type ASTVisitor, type DocumentNode, GraphQLError, Kind, type ValidationContext, type ValueNode, visit } from 'graphql';

/**
 * Text that PostgreSQL cannot take, refused where it enters (arguments and variables) as
 * BAD_USER_INPUT naming the argument, before any SQL runs:
 * - U+0000: PostgreSQL's text types cannot hold it ("invalid byte sequence for encoding UTF8: 0x00");
 * - an unpaired UTF-16 surrogate (JSON allows "\ud800"): not a character at all; encoded to UTF-8 it
 *   would silently become U+FFFD, so a name would be stored other than it was sent.
 * And the rule for quoting what is refused: at most QUOTE_LIMIT characters of it, so a 10k-character
 * input is never echoed back whole (nor into the log).
 */

export const QUOTE_LIMIT = 100;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL cannot take `value` as text, or undefined when it can. */
export function textProblem(value: string): string | undefined {
  const nul = value.indexOf('\u0000');
  if (nul >= 0) return `contains a NUL character (U+0000) at position ${nul}, which text cannot hold`;
  const surrogate = LONE_SURROGATE.exec(value);
  if (surrogate) {
    const code = surrogate[0].charCodeAt(0).toString(16).toUpperCase();
    return `contains an unpaired UTF-16 surrogate (U+${code}) at position ${surrogate.index}, which is not a character: send valid Unicode`;
  }
  return undefined;
}

/** `value` quoted for a message: JSON, cut to QUOTE_LIMIT characters with the full length said. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  if (text.length <= QUOTE_LIMIT) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, QUOTE_LIMIT))}… (${text.length} characters)`;
}

/** `value` as it is (a number written as text), cut to QUOTE_LIMIT characters with the full length said. */
export function excerpt(value: string): string {
  return value.length <= QUOTE_LIMIT ? value : `${value.slice(0, QUOTE_LIMIT)}… (${value.length} characters)`;
}

/**
 * A message with every quoted string in it cut to QUOTE_LIMIT characters: for messages made by
 * graphql-js (which quotes a refused variable whole), applied to every error a client sees.
 */
export function shortenQuotes(message: string): string {
  if (message.length <= QUOTE_LIMIT * 2) return message;
  return message.replace(/"((?:[^"\\]|\\.)*)"/g, (whole, inner: string) =>
    inner.length <= QUOTE_LIMIT ? whole : `"${inner.slice(0, QUOTE_LIMIT).replace(/\\$/, '')}…" (${inner.length} characters)`,
  );
}

function refusal(argumentName: string, problem: string, variable?: string): GraphQLError {
  const where = variable ? `Variable "$${variable}" (used as argument "${argumentName}")` : `Argument "${argumentName}"`;
  return new GraphQLError(`${where} ${problem}.`, { extensions: { code: 'BAD_USER_INPUT', argumentName, ...(variable ? { variable } : {}) } });
}

/** Every string in `value` (objects and lists walked) with its path below `path`. */
function* stringsIn(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* stringsIn(value[i], `${path}[${i}]`);
  else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) yield* stringsIn(inner, `${path}.${key}`);
}

/** Strings written in the document (literals) that PostgreSQL cannot take, as errors naming their argument. */
export function literalTextErrors(document: DocumentNode): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const walk = (node: ValueNode, path: string) => {
    if (node.kind === Kind.STRING) {
      const problem = textProblem(node.value);
      if (problem) errors.push(refusal(path, problem));
    } else if (node.kind === Kind.LIST) node.values.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (node.kind === Kind.OBJECT) for (const field of node.fields) walk(field.value, `${path}.${field.name.value}`);
  };
  visit(document, { Argument: (argument) => walk(argument.value, argument.name.value) });
  return errors;
}

/** The validation rule for literals: what literalTextErrors finds, reported before anything runs. */
export function textLiteralRule(context: ValidationContext): ASTVisitor {
  return {
    Document(document) {
      for (const error of literalTextErrors(document)) context.reportError(error);
    },
  };
}

/** Where each variable is used: the argument path it fills (the first use, when there are several). */
function variableUses(document: DocumentNode): Map<string, string> {
  const uses = new Map<string, string>();
  const walk = (node: ValueNode, path: string) => {
    if (node.kind === Kind.VARIABLE) {
      if (!uses.has(node.name.value)) uses.set(node.name.value, path);
    } else if (node.kind === Kind.LIST) node.values.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (node.kind === Kind.OBJECT) for (const field of node.fields) walk(field.value, `${path}.${field.name.value}`);
  };
  visit(document, { Argument: (argument) => walk(argument.value, argument.name.value) });
  return uses;
}

/** Strings in the (coerced) variables that PostgreSQL cannot take, as errors naming the argument each fills. */
export function variableTextErrors(document: DocumentNode, variables: Record<string, unknown> | null | undefined): GraphQLError[] {
  if (!variables) return [];
  let uses: Map<string, string> | undefined;
  const errors: GraphQLError[] = [];
  for (const [name, value] of Object.entries(variables)) {
    for (const [path, text] of stringsIn(value, '')) {
      const problem = textProblem(text);
      if (!problem) continue;
      uses ??= variableUses(document);
      errors.push(refusal(`${uses.get(name) ?? name}${path}`, problem, name));
    }
  }
  return errors;
}
