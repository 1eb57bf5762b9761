import { describe, expect, it } from 'vitest';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import type { Role } from '../model/snapshot.js';
import { loadIamCatalog } from '../policy/action-catalog.js';
import { createEvaluator } from '../policy/evaluator/evaluator.js';
import { administratorsByAccount } from './administrators.js';

const ACCOUNT = '111111111111';
const NOW = new Date('2026-11-23T00:00:00Z');
const ADMIN_POLICY = {
  name: 'all',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

describe('administratorsByAccount', () => {
  it('Given admin users with and without a credential, a non-admin and an admin role only a service can assume, When assessed, Then only usable administrators are listed', async () => {
    const serviceRole: Role = {
      arn: `arn:aws:iam::${ACCOUNT}:role/LambdaAdmin`,
      name: 'LambdaAdmin',
      roleId: 'AROAEXAMPLE',
      path: '/',
      createDate: { state: 'at', at: '2025-01-01T00:00:00Z' },
      description: null,
      maxSessionDuration: 3600,
      tags: {},
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      attachedPolicies: [],
      inlinePolicies: [ADMIN_POLICY],
      permissionsBoundary: null,
      lastUsed: { state: 'never' },
      lastUsedRegion: null,
      instanceProfiles: [],
    };
    const snapshot = buildSnapshot([
      buildAccount(ACCOUNT, {
        users: [
          buildUser('alice', { inlinePolicies: [ADMIN_POLICY], accessKeys: [buildKey()] }),
          buildUser('dormant', { inlinePolicies: [ADMIN_POLICY] }),
          buildUser('reader', { accessKeys: [buildKey()] }),
        ],
        roles: [serviceRole],
      }),
    ]);
    const admins = administratorsByAccount(snapshot, createEvaluator(snapshot, { now: NOW }), await loadIamCatalog());
    expect(admins.get(ACCOUNT)).toEqual([{ kind: 'user', name: 'alice', certain: true }]);
  });
});
