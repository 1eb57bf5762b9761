import { markdownText, NAME_CELL_MAX, tableCell } from '../safe-text.js';
import type { Artifact, DerivedGrant, MigrationPlan, ProofCheck, ReplacementProof, UserPlan } from './types.js';

function describeArtifact(artifact: Artifact): string {
  switch (artifact.kind) {
    case 'role':
      return `IAM role ${artifact.path}${artifact.name} in ${artifact.accountId}${artifact.instanceProfile ? ' (with instance profile)' : ''}`;
    case 'oidc-provider':
      return `OIDC provider ${artifact.host} in ${artifact.accountId}${artifact.exists ? ' (exists)' : ''}`;
    case 'permission-set':
      return `permission set ${artifact.name}`;
    case 'identity-store-user':
      return `Identity Center user ${artifact.userName}`;
    case 'identity-store-group':
      return `Identity Center group ${artifact.displayName}`;
    case 'account-assignment':
      return `assignment of ${artifact.permissionSetName} to ${artifact.principalType.toLowerCase()} ${artifact.principalName} in ${artifact.accountId}`;
    case 'cli-profiles':
      return `~/.aws/config with ${artifact.profiles.length} SSO profile(s)`;
    case 'trust-anchor':
      return `Roles Anywhere trust anchor ${artifact.name} in ${artifact.accountId}`;
    case 'roles-anywhere-profile':
      return `Roles Anywhere profile ${artifact.name} in ${artifact.accountId}`;
    case 'exception-draft':
      return `drafted exception for ${artifact.userName} (review by ${artifact.reviewBy})`;
    case 'config-change':
      return `change: ${artifact.title}`;
  }
}

function strategyCounts(plan: MigrationPlan): string {
  return Object.entries(plan.summary)
    .filter(([, count]) => count > 0)
    .map(([strategy, count]) => `${strategy} ${count}`)
    .join(', ');
}

/** The proof's verdict in one word; `-` when the strategy replaces nothing. */
function proofWord(user: UserPlan): string {
  return user.proof?.verdict ?? '-';
}

const PROOF_CHECKS: ReadonlyArray<[keyof Omit<ReplacementProof, 'verdict'>, string]> = [
  ['observedAllowed', '(a) observed calls and what they imply are allowed'],
  ['withinCurrent', '(b) nothing allowed that the user is denied today'],
  ['trust', "(c) the trust policy passes roleshift's trust analysis"],
];

function proofLine(title: string, check: ProofCheck): string {
  return `${title}: ${check.status} (${check.checked} checked)`;
}

/** The terminal view: one line per user, least risky first, then what blocks whom. */
export function renderPlanTable(plan: MigrationPlan): string {
  const header = ['risk', 'user', 'class', 'strategy', 'proof', 'target', 'blockers'];
  // Names, targets and blockers hold AWS data: escaped and cut like every terminal table's cells.
  const rows = plan.users.map((user) => [
    `${user.risk} (${user.riskScore})`,
    tableCell(`${user.accountId}/${user.userName}`, NAME_CELL_MAX),
    user.class,
    user.strategy,
    proofWord(user),
    tableCell(user.target),
    String(user.blockers.length),
  ]);
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  const lines = [
    line(header),
    ...rows.map(line),
    '',
    `${plan.users.length} user(s): ${strategyCounts(plan) || 'nothing to plan'}`,
  ];
  const blocked = plan.users.filter((user) => user.blockers.length > 0);
  if (blocked.length > 0) {
    lines.push('', 'Blockers:');
    for (const user of blocked)
      for (const blocker of user.blockers)
        lines.push(`  ${tableCell(`${user.accountId}/${user.userName}`, NAME_CELL_MAX)}: ${tableCell(blocker)}`);
  }
  const mirrored = plan.users.filter((user) => user.permissionsNote?.startsWith('no usage facts')).length;
  if (mirrored > 0)
    lines.push(
      '',
      `${mirrored} replacement(s) mirror current policies (no usage facts): narrow them after a CloudTrail window.`,
    );
  const advised = plan.users.filter((user) => user.permissionsNote?.startsWith('IAM access advisor')).length;
  if (advised > 0)
    lines.push(
      '',
      `${advised} replacement(s) narrowed to the services IAM access advisor saw used (no CloudTrail): resources stay as today (--format md shows why).`,
    );
  return lines.join('\n');
}

/** What the replacement grants beyond the observed calls, from its role or permission set. */
function derivedGrants(user: UserPlan): DerivedGrant[] {
  for (const artifact of user.artifacts)
    if (artifact.kind === 'role' || artifact.kind === 'permission-set') return artifact.permissions.derived ?? [];
  return [];
}

function proofSection(proof: ReplacementProof): string[] {
  const e = markdownText;
  const lines = ['', `**Proof: ${proof.verdict}**`, ''];
  for (const [key, title] of PROOF_CHECKS) {
    const check = proof[key];
    lines.push(`- ${e(proofLine(title, check))}`);
    for (const failure of check.failures) lines.push(`  - failed: ${e(failure)}`);
    for (const note of check.notes) lines.push(`  - ${e(note)}`);
  }
  return lines;
}

function userSection(user: UserPlan): string[] {
  // Text from AWS goes into Markdown through the one sanitizer, so it renders as text.
  const e = markdownText;
  const lines = [
    `### ${e(`${user.accountId}/${user.userName}`)}`,
    '',
    `- **Class:** ${user.class} (confidence ${user.confidence.toFixed(2)})${user.ciProvider ? `, ${user.ciProvider}` : ''}${user.runsOn ? `, runs on ${user.runsOn}` : ''}`,
    `- **Target:** ${e(user.target)}`,
    `- **Risk:** ${user.risk} (${user.riskScore}: ${e(user.riskReasons.join('; '))})`,
  ];
  if (user.permissionsNote) lines.push(`- **Permissions:** ${e(user.permissionsNote)}`);
  for (const grant of derivedGrants(user))
    lines.push(`  - ${e(grant.action)} on ${e(grant.resources.join(', '))}: ${e(grant.why)}`);
  if (user.exception)
    lines.push(
      `- **Exception:** ${e(user.exception.reason)}${user.exception.expires ? ` (expires ${e(user.exception.expires)})` : ''}`,
    );
  if (user.prerequisites.length > 0) {
    lines.push('', '**Prerequisites**', '');
    for (const prerequisite of user.prerequisites) {
      const box = prerequisite.met === true ? '[x]' : '[ ]';
      lines.push(`- ${box} ${e(prerequisite.description)}${prerequisite.met === null ? ' (unknown: confirm)' : ''}`);
    }
  }
  if (user.proof) lines.push(...proofSection(user.proof));
  if (user.blockers.length > 0) {
    lines.push('', '**Blockers**', '');
    for (const blocker of user.blockers) lines.push(`- ${e(blocker)}`);
  }
  lines.push('', '**Steps**', '');
  user.steps.forEach((step, index) => {
    lines.push(`${index + 1}. ${e(step)}`);
  });
  if (user.artifacts.length > 0) {
    lines.push('', '**Artifacts** (roleshift generate writes them)', '');
    for (const artifact of user.artifacts) lines.push(`- ${e(describeArtifact(artifact))}`);
  }
  lines.push('');
  return lines;
}

/** A Markdown plan a team can paste into a change ticket. */
export function renderPlanMarkdown(plan: MigrationPlan): string {
  const lines = [
    '# IAM user migration plan',
    '',
    `Plan date ${plan.planDate}. ${plan.users.length} user(s), least risky first: ${strategyCounts(plan) || 'nothing to plan'}.`,
    '',
    '| # | risk | user | class | strategy | proof | blockers |',
    '|---|---|---|---|---|---|---|',
    ...plan.users.map(
      (user, index) =>
        `| ${index + 1} | ${user.risk} | ${markdownText(`${user.accountId}/${user.userName}`, NAME_CELL_MAX)} | ${user.class} | ${user.strategy} | ${proofWord(user)} | ${user.blockers.length} |`,
    ),
    '',
    '## Users',
    '',
    ...plan.users.flatMap(userSection),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
