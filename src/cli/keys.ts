import 'reflect-metadata';
import os from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { CommandError } from '../db/command';
import { runCommand } from './command';
import { createApiKey, listApiKeys, revokeApiKey } from '../auth/keys';
import { Role } from '../auth/roles';

/**
 * `npm run keys -- create --role editor --name "Newsroom"` prints a new key once;
 * `keys list` shows every key (without secrets); `keys revoke <name>` revokes one.
 */
/** The audit history's author of a change made here: the command and the system user who ran it. */
const commandActor = () => ({ name: `keys command (user ${os.userInfo().username})` });

const program = new Command('keys').description('Manage the API keys of the media graph (the first ADMIN key can only be made here).');

const parseRole = (value: string): Role => {
  const role = value.toUpperCase() as Role;
  if (!Object.values(Role).includes(role)) throw new InvalidArgumentError(`expected one of ${Object.values(Role).join(', ').toLowerCase()}`);
  return role;
};

program
  .command('create')
  .description('create a key and print it (it is shown only once)')
  .requiredOption('--name <name>', 'a unique name: who or what will use the key')
  .requiredOption('--role <role>', 'viewer, editor or admin', parseRole)
  .action((options: { name: string; role: Role }) =>
    runCommand('keys', async ({ db }) => {
      if (!options.name.trim()) throw new CommandError('--name must not be blank.');
      const existing = (await listApiKeys(db)).find((k) => k.name === options.name.trim());
      if (existing) throw new CommandError(`A key named "${existing.name}" already exists (${existing.revokedAt ? 'revoked' : existing.role}); choose another name.`);
      const { key, info } = await createApiKey(db, options.name.trim(), options.role, commandActor());
      console.log(`Created ${info.role} key "${info.name}". Store it now: it will not be shown again.\n\n  ${key}\n\nUse it as:  Authorization: Bearer ${key}`);
    }),
  );

program
  .command('list')
  .description('list the keys (never their secrets)')
  .action(() =>
    runCommand('keys', async ({ db }) => {
      const keys = await listApiKeys(db);
      if (!keys.length) {
        console.log('No API keys yet. Create one with: npm run keys -- create --role admin --name "<name>"');
        return;
      }
      const rows = keys.map((k) => [k.name, k.role, `mgk_${k.keyId}_…`, k.createdAt.toISOString(), k.lastUsedAt?.toISOString() ?? 'never', k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active']);
      const header = ['NAME', 'ROLE', 'KEY', 'CREATED', 'LAST USED', 'STATUS'];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
      for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
    }),
  );

program
  .command('revoke')
  .description('revoke a key: requests with it are refused from now on')
  .argument('<name>', 'the name of the key')
  .action((name: string) =>
    runCommand('keys', async ({ db }) => {
      const revoked = await revokeApiKey(db, name, commandActor());
      if (!revoked) throw new CommandError(`No API key is named "${name}". See: npm run keys -- list`);
      console.log(`Revoked key "${revoked.name}" (${revoked.role}) at ${revoked.revokedAt!.toISOString()}.`);
    }),
  );

program.parse();
