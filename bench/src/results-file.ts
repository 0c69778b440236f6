import fs from 'node:fs/promises';

/** The line after which a results file is written by hand: a run replaces only what is above it. */
export const HAND_WRITTEN = '<!-- Written by hand below this line: npm run bench keeps it. -->';

/** What an existing results file holds from the HAND_WRITTEN line on, to append to a new report ('' when none). */
export async function handWritten(file: string): Promise<string> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const at = text.indexOf(HAND_WRITTEN);
  return at < 0 ? '' : `\n${text.slice(at)}`;
}
