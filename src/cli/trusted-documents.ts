import fs from 'node:fs';
import path from 'node:path';
import { buildManifest, MANIFEST } from '../limits/trusted-documents';

/** `npm run trusted-documents`: rewrites schema/trusted-documents.json from the committed operations. */
const manifest = buildManifest();
fs.writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`Wrote ${path.relative(process.cwd(), MANIFEST)}: ${Object.keys(manifest).length} operations.`);
