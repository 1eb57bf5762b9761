import { readFileSync } from 'node:fs';

/** Read once from package.json so the snapshot's toolVersion cannot drift from the release. */
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
