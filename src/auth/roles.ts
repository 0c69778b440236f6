import { registerEnumType } from 'type-graphql';

/** What an API key may do; each role includes the ones before it. */
export enum Role {
  VIEWER = 'VIEWER',
  EDITOR = 'EDITOR',
  ADMIN = 'ADMIN',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'What an API key may do. Each role includes the ones before it.',
  valuesConfig: {
    VIEWER: { description: 'Reads (needed only when the service requires a key for reads).' },
    EDITOR: { description: 'Reads, and every mutation of the catalogue.' },
    ADMIN: { description: 'Everything, including API keys and the audit history.' },
  },
});

const RANK: Record<Role, number> = { [Role.VIEWER]: 1, [Role.EDITOR]: 2, [Role.ADMIN]: 3 };

/** True when `role` includes `required`. */
export function allows(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}
