/**
 * `npm run bench -- permissions-digest [--accounts 10] [--users 10000] [--roles 5000]`
 *
 * A digest of every verdict the permissions benchmark's analysis reaches on its generated estate:
 * every escalation finding with its steps, every admin assessment, and every admin role's
 * assumers. Run before and after a change to the engine: the digests must be equal, which says
 * more than the counts the benchmark prints (a path that names another of two equally good
 * targets changes the digest).
 */
import { createHash } from 'node:crypto';
import { loadIamCatalog } from '../src/policy/action-catalog.js';
import { assumableBy, type RolePrincipal } from '../src/policy/escalation/assume-role.js';
import { analyzeEscalation } from '../src/policy/escalation/graph.js';
import { createEvaluator } from '../src/policy/evaluator/evaluator.js';
import { permissionsEstate, type EstateSize } from './permissions-estate.js';

const NOW = new Date('2026-11-23T12:00:00Z');

/** Principals (which carry their whole snapshot entry) are named by ARN; everything else as is. */
function byArn(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'arn' in value && 'kind' in value && 'accountId' in value)
    return (value as { arn: string }).arn;
  return value;
}

function digest(lines: readonly string[]): string {
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  return hash.digest('hex').slice(0, 16);
}

export async function run(args: string[]): Promise<void> {
  const size: EstateSize = { accounts: 10, users: 10_000, roles: 5_000 };
  for (let i = 0; i < args.length; i += 2)
    size[(args[i] ?? '').replace(/^--/, '') as keyof EstateSize] = Number(args[i + 1]);
  const catalog = await loadIamCatalog();
  const snapshot = permissionsEstate(size, catalog);
  const evaluator = createEvaluator(snapshot, { now: NOW });
  const analysis = analyzeEscalation(evaluator, catalog);
  const findings = analysis.findings.map((f) => JSON.stringify(f, byArn));
  const admin = [...analysis.admin].map(([arn, a]) => `${arn} ${JSON.stringify(a, byArn)}`);
  const assumers: string[] = [];
  for (const [arn, assessment] of analysis.admin) {
    const principal = evaluator.principal(arn);
    if (principal?.kind !== 'role' || assessment.admin === 'no') continue;
    assumers.push(`${arn} ${JSON.stringify(assumableBy(evaluator, principal as RolePrincipal), byArn)}`);
  }
  process.stdout.write(
    `${size.users} users: findings ${findings.length} ${digest(findings)}, admin ${admin.length} ${digest(admin)}, assumers ${assumers.length} ${digest(assumers)}, all ${digest([...findings, ...admin, ...assumers])}\n`,
  );
}
