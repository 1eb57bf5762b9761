/**
 * Builds examples/demo-estate/: the fictional company Acme in the exact files the AWS CLI writes,
 * plus a CloudTrail sample in the S3 delivery layout.
 *
 * Why moto and the real CLI instead of hand-written JSON: the files then have the shapes the
 * CLI really produces (and the collector is tested against those shapes), and moto refuses what
 * AWS would refuse (a third access key, a policy on a missing user). What moto cannot produce
 * (old dates, last-used service and region, the root row, AWS-style ids) is overlaid afterwards
 * from the same spec, deterministically; README.md beside the output lists those fields.
 *
 * The parts, by concern, are in scripts/demo-estate/: spec, ids, seed, export (with the overlay), trail.
 *
 * Run: npx tsx scripts/build-demo-estate.ts   (needs moto_server and aws on PATH)
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IAMClient } from '@aws-sdk/client-iam';
import { startMotoProcess } from '../test/harness/moto-process.js';
import { ACCOUNTS, REGION } from './demo-estate/spec.js';
import { assumeInto, seedAccount } from './demo-estate/seed.js';
import { OUT, exportAccount, writeAccount } from './demo-estate/export.js';
import { buildTrail, writeTrail } from './demo-estate/trail.js';

async function main(): Promise<void> {
  const moto = await startMotoProcess({ managedPolicies: true });
  try {
    await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
    await fetch(`${moto.endpoint}/moto-api/seed?a=42`, { method: 'POST' });
    for (const name of ACCOUNTS.map((a) => `${a.id}-${a.name}`))
      await rm(join(OUT, name), { recursive: true, force: true });
    await rm(join(OUT, 'cloudtrail'), { recursive: true, force: true });
    for (const spec of ACCOUNTS) {
      const credentials = await assumeInto(moto.endpoint, spec.id);
      const iam = new IAMClient({ endpoint: moto.endpoint, region: REGION, credentials });
      await seedAccount(iam, spec);
      const exported = await exportAccount(moto.endpoint, credentials);
      await writeAccount(spec, exported);
      process.stdout.write(`${spec.id}-${spec.name}: ${spec.users.length} users, ${spec.roles.length} roles\n`);
    }
    const events = buildTrail();
    const files = await writeTrail(events);
    process.stdout.write(`cloudtrail: ${events.length} events in ${files} files\n`);
  } finally {
    await moto.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
