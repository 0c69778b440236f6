import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/pool';
import { type Actor, audit } from '../graphql/write';
import type { Role } from './roles';

/**
 * API keys: `mgk_<keyId>_<secret>`. The key id (public, 12 hex digits) finds the row; the secret
 * (32 random bytes) is kept only as a SHA-256 hash and compared in constant time. The full key is
 * shown once, when it is created, and never logged.
 */

export interface ApiKeyInfo {
  name: string;
  role: Role;
  keyId: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const KEY = /^mgk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

const hash = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * Creates a key, and records it in the audit history in the same transaction (name, role, key id,
 * dates: never the secret).
 */
export async function createApiKey(db: Queryable, name: string, role: Role, actor: Actor = SYSTEM): Promise<{ key: string; info: ApiKeyInfo }> {
  const keyId = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return db.transaction(async (tx) => {
    const [row] = await tx.query<ApiKeyRow & { id: number }>(
      `INSERT INTO api_key (key_id, name, role, secret_hash) VALUES ($1, $2, $3, $4)
       RETURNING id, name, role, key_id, created_at, last_used_at, revoked_at`,
      [keyId, name, role, hash(secret)],
    );
    await audit(tx, actor, 'createApiKey', 'ApiKey', row.id, null, auditState(row));
    return { key: `mgk_${keyId}_${secret}`, info: toInfo(row) };
  });
}

export async function listApiKeys(db: Queryable): Promise<ApiKeyInfo[]> {
  const rows = await db.query<ApiKeyRow>('SELECT name, role, key_id, created_at, last_used_at, revoked_at FROM api_key ORDER BY created_at, id');
  return rows.map(toInfo);
}

/**
 * Revokes the key named `name`; null when there is none. Revoking twice keeps the first date, and
 * only the first revocation is a change (recorded in the audit history).
 */
export async function revokeApiKey(db: Queryable, name: string, actor: Actor = SYSTEM): Promise<ApiKeyInfo | null> {
  return db.transaction(async (tx) => {
    const [before] = await tx.query<ApiKeyRow & { id: number }>(
      'SELECT id, name, role, key_id, created_at, last_used_at, revoked_at FROM api_key WHERE name = $1 FOR UPDATE',
      [name],
    );
    if (!before) return null;
    if (before.revoked_at) return toInfo(before);
    const [after] = await tx.query<ApiKeyRow & { id: number }>(
      `UPDATE api_key SET revoked_at = now() WHERE id = $1 RETURNING id, name, role, key_id, created_at, last_used_at, revoked_at`,
      [before.id],
    );
    await audit(tx, actor, 'revokeApiKey', 'ApiKey', after.id, auditState(before), auditState(after));
    return toInfo(after);
  });
}

/** Who writes when no key does: a command run on the server. */
const SYSTEM: Actor = { name: 'system' };

/** What the audit history keeps of a key: everything but its secret (and its last use, which is not a change). */
function auditState(row: ApiKeyRow): Record<string, unknown> {
  return { name: row.name, role: row.role, keyId: row.key_id, createdAt: row.created_at, revokedAt: row.revoked_at };
}

// A hash to compare against when the key id is unknown, so that the time taken does not tell
// whether a key id exists.
const DECOY = hash('decoy');
const lastTouched = new Map<string, number>();

/** The key's name and role when `presented` is a valid, unrevoked key; otherwise null. */
export async function verifyApiKey(db: Queryable, presented: string): Promise<{ name: string; role: Role; keyId: string } | null> {
  const match = KEY.exec(presented);
  if (!match) return null;
  const [, keyId, secret] = match;
  const [row] = await db.query<{ name: string; role: Role; secret_hash: Buffer; revoked_at: Date | null }>(
    'SELECT name, role, secret_hash, revoked_at FROM api_key WHERE key_id = $1',
    [keyId],
  );
  const equal = timingSafeEqual(hash(secret), row ? row.secret_hash : DECOY);
  if (!row || !equal || row.revoked_at) return null;
  // last_used_at is informative: written at most once a minute per key and process.
  if (Date.now() - (lastTouched.get(keyId) ?? 0) > 60_000) {
    lastTouched.set(keyId, Date.now());
    db.query('UPDATE api_key SET last_used_at = now() WHERE key_id = $1', [keyId]).catch(() => undefined);
  }
  return { name: row.name, role: row.role, keyId };
}

interface ApiKeyRow {
  name: string;
  role: Role;
  key_id: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

function toInfo(row: ApiKeyRow): ApiKeyInfo {
  return { name: row.name, role: row.role, keyId: row.key_id, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}
