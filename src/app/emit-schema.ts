import fs from 'node:fs/promises';
import path from 'node:path';
import { printAppSchema } from './schema';

/** `npm run schema` writes schema/schema.graphql; a test fails when the committed file differs. */
async function main() {
  const file = path.join(process.cwd(), 'schema', 'schema.graphql');
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, await printAppSchema());
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
