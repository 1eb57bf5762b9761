import { stringify } from 'yaml';
import type { Guardrails } from '../plan/guardrails.js';
import { ARTIFACT_REF } from '../plan/artifact-ref.js';
import type { MigrationPlan } from '../plan/types.js';
import { markdownCodeBlock, markdownText } from '../safe-text.js';
import { awsConfigFileName, renderAwsConfig } from './aws-config.js';
import { bundlePlan, type Bundle } from './bundle.js';
import { renderCloudFormation } from './cloudformation.js';
import { renderTerraform } from './terraform.js';
import type { GeneratedFile, GenerateFormat } from './types.js';

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function safeSegment(name: string): string {
  return name.replace(/[^A-Za-z0-9@._+=,-]+/g, '_').replace(/^\.+/, '_');
}

/** Raw policy documents, for teams that deploy with their own tooling. */
export function renderJson(bundle: Bundle): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const account of bundle.accounts) {
    for (const role of account.roles) {
      const base = `json/account-${account.accountId}/roles/${safeSegment(role.name)}`;
      files.push({ path: `${base}.trust.json`, content: json(role.trustPolicy) });
      if (role.permissions.inlinePolicy)
        files.push({ path: `${base}.permissions.json`, content: json(role.permissions.inlinePolicy) });
      files.push({
        path: `${base}.role.json`,
        content: json({
          RoleName: role.name,
          Path: role.path,
          Description: role.description,
          MaxSessionDuration: role.maxSessionDuration,
          ManagedPolicyArns: [
            ...role.permissions.awsManagedPolicyArns,
            ...role.permissions.customerManagedPolicies.map((policy) => policy.arn),
          ],
          InstanceProfile: role.instanceProfile,
          Tags: role.tags,
          PermissionsSource: role.permissions.note,
        }),
      });
    }
  }
  for (const set of bundle.identityCenter.permissionSets) {
    const base = `json/identity-center/permission-sets/${safeSegment(set.name)}`;
    files.push({
      path: `${base}.json`,
      content: json({
        Name: set.name,
        Description: set.description,
        SessionDuration: set.sessionDuration,
        ManagedPolicies: set.permissions.awsManagedPolicyArns,
        CustomerManagedPolicyReferences: set.permissions.customerManagedPolicies.map((policy) => ({
          Name: policy.name,
          Path: policy.path,
        })),
        Tags: set.tags,
      }),
    });
    if (set.permissions.inlinePolicy)
      files.push({ path: `${base}.inline.json`, content: json(set.permissions.inlinePolicy) });
  }
  if (bundle.identityCenter.assignments.length > 0) {
    files.push({
      path: 'json/identity-center/assignments.json',
      content: json(bundle.identityCenter.assignments.map(({ kind: _kind, ...rest }) => rest)),
    });
  }
  const guardrails = bundle.guardrails;
  files.push(
    { path: `json/guardrails/${guardrails.scpName}.scp.json`, content: json(guardrails.scp) },
    { path: `json/guardrails/${guardrails.boundaryName}.json`, content: json(guardrails.permissionsBoundary) },
    ...guardrails.rules.map((rule) => ({
      path: `json/guardrails/event-rules/${rule.name}.json`,
      content: json(rule.eventPattern),
    })),
  );
  return files;
}

/** Readable text for a snippet that mentions an ARN only known after deploy. */
function readableRefs(text: string): string {
  return text.replace(/\$\{roleshift:[^}]+\}/g, (token) => {
    const ref = ARTIFACT_REF.exec(token);
    return ref ? `<ARN of ${ref[1]} ${ref[3]} in ${ref[2]}>` : token;
  });
}

/** What every format ships: CLI profiles, exception drafts and the changes outside AWS. */
function sharedFiles(bundle: Bundle, plan: MigrationPlan): GeneratedFile[] {
  const files: GeneratedFile[] = bundle.cliProfiles.map((profiles) => ({
    path: `aws-config/${awsConfigFileName(profiles.personKey)}`,
    content: renderAwsConfig(profiles),
  }));
  if (bundle.exceptionDrafts.length > 0) {
    // In the register's own format (src/assess/exceptions.ts), so an approved draft is pasted as is.
    const drafts = bundle.exceptionDrafts.map((draft) => ({
      account: draft.accountId,
      user: draft.userName,
      reason: draft.reason,
      owner: draft.owner,
      expires: draft.reviewBy,
      reviewEveryDays: draft.reviewEveryDays,
      controls: {
        ...(draft.sourceIps.length > 0 ? { sourceIp: draft.sourceIps } : {}),
        scopedPolicy: true,
        rotationDays: draft.rotationDays,
      },
    }));
    files.push({
      path: 'exceptions/drafts.yaml',
      content: `# Drafted exceptions: review, approve, then copy into the exceptions register.\n# The scoped policy each one claims is beside this file.\n${stringify({ version: 1, exceptions: drafts }, { lineWidth: 0 })}`,
    });
    for (const draft of bundle.exceptionDrafts) {
      if (draft.scopedPolicy)
        files.push({
          path: `exceptions/${draft.accountId}-${safeSegment(draft.userName)}.policy.json`,
          content: json(draft.scopedPolicy),
        });
    }
  }
  const lines = [
    '# Changes outside AWS',
    '',
    `Plan of ${plan.planDate}. Apply each change only after the replacement exists.`,
    '',
  ];
  // Names, titles, notes and blockers carry AWS data: Markdown through the one sanitizer, and
  // each snippet in a fence it cannot close.
  const md = (text: string): string => markdownText(text);
  for (const change of bundle.configChanges) {
    lines.push(
      `## ${md(`${change.accountId}/${change.userName}: ${change.title}`)}`,
      '',
      markdownCodeBlock(readableRefs(change.snippet)),
      '',
    );
  }
  lines.push('## Guardrails', '', ...bundle.guardrails.notes.map((note) => `- ${md(note)}`), '');
  const blocked = plan.users.filter((user) => user.blockers.length > 0);
  if (blocked.length > 0) {
    lines.push('## Blockers (fill these in before applying)', '');
    for (const user of blocked)
      for (const blocker of user.blockers) lines.push(`- ${md(`${user.accountId}/${user.userName}: ${blocker}`)}`);
    lines.push('');
  }
  files.push({ path: 'CHANGES.md', content: lines.join('\n') });
  return files;
}

/**
 * Renders the plan in one format. Pure and deterministic: the same plan gives byte-identical
 * files, sorted by path, so regenerated code diffs cleanly.
 */
export function generateFiles(plan: MigrationPlan, guardrails: Guardrails, format: GenerateFormat): GeneratedFile[] {
  const bundle = bundlePlan(plan, guardrails);
  const rendered =
    format === 'terraform'
      ? renderTerraform(bundle)
      : format === 'cloudformation'
        ? renderCloudFormation(bundle)
        : renderJson(bundle);
  return [...rendered, ...sharedFiles(bundle, plan)].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
