/**
 * A workload outside AWS (on premises, another cloud, Jenkins agents): an IAM Roles Anywhere
 * role for the workload's X.509 certificate, its profile, and the credential_process line.
 */
import { artifactRef } from '../artifact-ref.js';
import { iamName } from '../names.js';
import { shellWord } from '../../shell-quote.js';
import { plannedPermissions } from '../permissions/sources.js';
import { placeholder, rolesAnywhereTrust } from '../trust-policies.js';
import type { Artifact } from '../types.js';
import {
  role,
  roleArn,
  switchOffStep,
  tag,
  type StrategyContext,
  type StrategyDefinition,
  type StrategyResult,
} from './context.js';

export function planOnPrem(ctx: StrategyContext): StrategyResult {
  const { user, account, snapshot } = ctx;
  const permissions = plannedPermissions(ctx);
  const existing = (snapshot.rolesAnywhere ?? [])
    .filter((entry) => entry.accountId === account.accountId)
    .flatMap((entry) => entry.trustAnchors)
    .filter((anchor) => anchor.enabled)
    .sort((a, b) => (a.arn < b.arn ? -1 : 1))[0];
  const pca = tag(user.tags, ['acm_pca_arn', 'private_ca_arn']);
  const anchorName = 'roleshift-onprem';
  const anchorArn = existing?.arn ?? artifactRef('trust-anchor', account.accountId, anchorName);
  const commonName = tag(user.tags, ['certificate_cn', 'cert_cn', 'hostname', 'host']) ?? user.name;
  const replacement = role(
    ctx,
    'roles-anywhere',
    `IAM Roles Anywhere role replacing IAM user ${user.name}`,
    rolesAnywhereTrust(anchorArn, commonName),
    permissions,
  );
  const profileName = iamName(`${user.name}-profile`);
  const profileArn = artifactRef('roles-anywhere-profile', account.accountId, profileName);
  const artifacts: Artifact[] = [];
  if (!existing) {
    artifacts.push({
      kind: 'trust-anchor',
      accountId: account.accountId,
      name: anchorName,
      source: pca
        ? { type: 'AWS_ACM_PCA', acmPcaArn: pca }
        : { type: 'CERTIFICATE_BUNDLE', placeholder: placeholder('ca certificate pem') },
      tags: { 'managed-by': 'roleshift' },
    });
  }
  // The SDKs run credential_process through a shell: the common name (a tag) and ARNs are single words.
  const credentialProcess = [
    'credential_process = aws_signing_helper credential-process',
    `--certificate ${shellWord(`/etc/pki/${commonName}.pem`)} --private-key ${shellWord(`/etc/pki/${commonName}.key`)}`,
    `--trust-anchor-arn ${shellWord(anchorArn)} --profile-arn ${shellWord(profileArn)} --role-arn ${shellWord(roleArn(replacement))}`,
  ].join(' ');
  artifacts.push(
    {
      kind: 'roles-anywhere-profile',
      accountId: account.accountId,
      name: profileName,
      roleNames: [replacement.name],
      tags: ctx.ownership,
    },
    replacement,
    {
      kind: 'config-change',
      accountId: account.accountId,
      userName: user.name,
      title: 'credential_process for aws_signing_helper',
      snippet: credentialProcess,
    },
  );
  const blockers =
    !existing && !pca
      ? [
          'No CA for Roles Anywhere: put your CA certificate bundle into the trust anchor (or tag the user acm_pca_arn).',
        ]
      : [];
  return {
    strategy: 'roles-anywhere',
    target: `IAM Roles Anywhere role ${replacement.name} for certificate CN=${commonName}`,
    prerequisites: [
      {
        id: 'roles-anywhere-trust-anchor',
        description: `an enabled Roles Anywhere trust anchor in ${account.accountId}`,
        met: Boolean(existing),
      },
    ],
    blockers,
    steps: [
      ...(existing ? [] : [`Create trust anchor ${anchorName} from your CA.`]),
      `Issue the workload a certificate with subject CN=${commonName} from that CA.`,
      `Create role ${replacement.name} and profile ${profileName} (${permissions.note}).`,
      'Install aws_signing_helper on the host and put the credential_process line into the profile the workload uses; delete aws_access_key_id / aws_secret_access_key there.',
      switchOffStep(ctx),
    ],
    artifacts,
    permissions,
  };
}

export const strategy: StrategyDefinition = {
  id: 'roles-anywhere',
  title: 'IAM Roles Anywhere role for the workload certificate',
  baseRisk: 3,
  classes: [],
  plan: planOnPrem,
};
