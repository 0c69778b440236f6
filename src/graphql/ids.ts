import { badUserInput } from './errors';
import { quote } from './text';

/** The types that have global IDs (and can be fetched with `node`). */
export type NodeTypeName = 'Studio' | 'Producer' | 'Film' | 'Deal';
const NODE_TYPES = new Set<string>(['Studio', 'Producer', 'Film', 'Deal']);

/** What the audit history records writes to: the node types, and API keys (which are not nodes). */
export type AuditedTypeName = NodeTypeName | 'ApiKey';
const AUDITED_TYPES = new Set<string>([...NODE_TYPES, 'ApiKey']);

/**
 * Global IDs are opaque to clients: base64url of "Type:rowId". Clients must not build or parse them;
 * the format may change.
 */
export function toGlobalId(type: AuditedTypeName, rowId: number): string {
  return Buffer.from(`${type}:${rowId}`).toString('base64url');
}

/** Decodes a node's global ID, or undefined when the string is not one. */
export function fromGlobalId(id: string): { type: NodeTypeName; rowId: number } | undefined {
  const decoded = fromAuditedId(id);
  return decoded && NODE_TYPES.has(decoded.type) ? (decoded as { type: NodeTypeName; rowId: number }) : undefined;
}

/** Decodes the global ID of anything the audit history records (an API key's included). */
export function fromAuditedId(id: string): { type: AuditedTypeName; rowId: number } | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return undefined;
  const match = /^([A-Za-z]+):([1-9]\d{0,9})$/.exec(Buffer.from(id, 'base64url').toString('utf8'));
  if (!match || !AUDITED_TYPES.has(match[1])) return undefined;
  const rowId = Number(match[2]);
  if (rowId > 2_147_483_647) return undefined;
  return { type: match[1] as AuditedTypeName, rowId };
}

/**
 * The row id behind a global ID that must be of `type`. A string that is no ID at all, or the ID of
 * another type, is a client mistake worth telling (BAD_USER_INPUT naming the argument); a well-formed
 * ID whose row does not exist is not an error (the field returns null).
 */
export function expectGlobalId(id: string, type: NodeTypeName, argumentName: string): number {
  const decoded = fromGlobalId(id);
  if (!decoded) {
    throw badUserInput(argumentName, `Argument "${argumentName}" is not a valid ID: ${quote(id)}. Use the "id" field of a ${type}.`);
  }
  if (decoded.type !== type) {
    throw badUserInput(argumentName, `Argument "${argumentName}" must be the ID of a ${type}, but it is the ID of a ${decoded.type}.`);
  }
  return decoded.rowId;
}
