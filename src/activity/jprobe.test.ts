import { DuckDBInstance } from '@duckdb/node-api';
import { it } from 'vitest';
import { ingestNatively } from './native.js';
import { ensureActivityTables } from './tables.js';
import { execSync } from 'node:child_process';
it('x', async () => {
  const files = execSync('find /tmp/jbench200 -name "*.json.gz" | sort | head -8').toString().trim().split('\n');
  const c = await (await DuckDBInstance.create(':memory:')).connect();
  await ensureActivityTables(c);
  const t = Date.now();
  try { const r = await ingestNatively(c, files); console.log('PROBE', JSON.stringify(r.slice(0,2)), Date.now() - t); } catch (e) { console.log('PROBE ERR', (e as Error).message.slice(0, 400)); }
}, 60000);
