import { describe, expect, it } from 'vitest';
import { loadIamCatalog } from '../policy/action-catalog.js';
import type { Proposal } from '../remediate/engine.js';
import {
  planStart,
  QUARANTINE_POLICY_DOCUMENT,
  QUARANTINE_POLICY_NAME,
  type UserState,
} from '../remediate/plan-steps.js';
import { proveQuarantine } from './remediate.js';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const CATALOG = await loadIamCatalog();

function userWithPassword(inlinePolicies: UserState['inlinePolicies'] = []): UserState {
  return {
    accountId: '111111111111',
    userName: 'jane',
    arn: 'arn:aws:iam::111111111111:user/jane',
    userId: 'AIDAEXAMPLE',
    path: '/',
    permissionsBoundaryArn: null,
    tags: [],
    accessKeys: [],
    loginProfile: { passwordResetRequired: false },
    inlinePolicies,
    attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess' }],
    groups: [],
    mfaDevices: [],
    signingCertificates: [],
    sshPublicKeys: [],
    serviceSpecificCredentials: [],
  };
}

function startOf(state: UserState): Proposal {
  return {
    kind: 'start',
    target: { accountId: state.accountId, userName: state.userName },
    steps: planStart(state, NOW),
    priorState: state,
    relatedOpId: null,
    refusals: [],
    skip: null,
    overridden: [],
    notes: [],
    at: NOW.toISOString(),
  };
}

/** The same start with the quarantine document replaced, as a bug or a tampered build would write it. */
function withQuarantine(proposal: Proposal, document: unknown): Proposal {
  return {
    ...proposal,
    steps: proposal.steps.map((step) =>
      step.call.api === 'PutUserPolicy'
        ? {
            ...step,
            call: { api: 'PutUserPolicy', params: { ...step.call.params, PolicyDocument: JSON.stringify(document) } },
          }
        : step,
    ),
  };
}

describe('proveQuarantine', () => {
  const allowEverything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

  it('Given an administrator with a console password, When the start is proven, Then the deny-all policy blocks every action and the start is kept', () => {
    const proposal = startOf(userWithPassword([{ name: 'own', document: JSON.stringify(allowEverything) }]));
    expect(proposal.steps.map((s) => s.call.api)).toContain('PutUserPolicy');
    expect(proveQuarantine(proposal, CATALOG)).toBe(proposal);
    expect(QUARANTINE_POLICY_NAME).toBe('roleshift-quarantine');
  });

  it.each([
    ['a Deny of one service only', { Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] }],
    [
      'a Deny that a condition can lift',
      {
        Statement: [
          {
            Effect: 'Deny',
            Action: '*',
            Resource: '*',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
          },
        ],
      },
    ],
    ['a Deny of one resource', { Statement: [{ Effect: 'Deny', Action: '*', Resource: 'arn:aws:s3:::bucket' }] }],
    ['a NotAction Deny that spares IAM', { Statement: [{ Effect: 'Deny', NotAction: 'iam:*', Resource: '*' }] }],
  ])(
    'Given a quarantine policy with %s, When proven, Then the start is refused and names what stays allowed',
    (_name, document) => {
      const proposal = withQuarantine(startOf(userWithPassword()), document);
      const proven = proveQuarantine(proposal, CATALOG);
      expect(proven.steps).toEqual([]);
      expect(proven.refusals[0]).toMatch(/roleshift-quarantine policy would not deny everything \(still allowed: .+\)/);
    },
  );

  it('Given the real quarantine document, When read, Then it is the deny-all the proof holds for', () => {
    expect(JSON.parse(QUARANTINE_POLICY_DOCUMENT)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'RoleshiftQuarantine', Effect: 'Deny', Action: '*', Resource: '*' }],
    });
  });
});
