import { describe, expect, it } from 'vitest';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../../../test/fixtures/build-snapshot.js';
import { CATALOG, NOW, SEED } from '../../../test/generate/estate.js';
import { DEFAULT_CONFIG } from '../../config.js';
import type { Classification } from '../../model/classification.js';
import type { Snapshot, User } from '../../model/snapshot.js';
import { whenAt } from '../../model/when.js';
import { planMigration } from '../plan.js';
import type { UserPlan } from '../types.js';
import { SIGN_IN_POLICY_ARN } from './aws-login.js';

const ACCOUNT = '444444444444';
const READ_ONLY = { arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', name: 'ReadOnlyAccess' };

function person(name: string, overrides: Partial<User> = {}): User {
  return buildUser(
    name,
    {
      password: {
        enabled: true,
        lastUsed: whenAt('2026-11-01T00:00:00Z'),
        lastChanged: NEVER_CHANGED,
        nextRotation: NEVER_CHANGED,
      },
      mfaActive: true,
      accessKeys: [buildKey()],
      attachedPolicies: [READ_ONLY],
      ...overrides,
    },
    ACCOUNT,
  );
}
const NEVER_CHANGED = whenAt('2026-01-01T00:00:00Z');

function planOf(snapshot: Snapshot, userName: string): UserPlan {
  const classifications: Classification[] = snapshot.accounts.flatMap((account) =>
    account.users.map((user) => ({
      accountId: account.accountId,
      userName: user.name,
      userArn: user.arn,
      class: 'human' as const,
      ciProvider: null,
      runsOn: null,
      confidence: 0.9,
      evidence: [],
      personKey: null,
    })),
  );
  const plan = planMigration(snapshot, {
    classifications,
    config: DEFAULT_CONFIG,
    now: NOW,
    externalIdSeed: SEED,
    catalog: CATALOG,
  });
  const found = plan.users.find((user) => user.userName === userName);
  if (!found) throw new Error(`no plan for ${userName}`);
  return found;
}

describe('aws login for people in a standalone account', () => {
  it('Given a person with a console password and MFA in one account with no Organization or Identity Center, When planned, Then aws login replaces the keys with its CLI profile, unblocked and proven', () => {
    const planned = planOf(buildSnapshot([buildAccount(ACCOUNT, { users: [person('dana')] })]), 'dana');
    expect(planned.strategy).toBe('aws-login');
    expect(planned.blockers).toEqual([]);
    const profile = planned.artifacts.find((artifact) => artifact.kind === 'config-change');
    expect(profile?.kind === 'config-change' ? profile.snippet : '').toBe(
      `[profile ${ACCOUNT}-dana]\nlogin_session = arn:aws:iam::${ACCOUNT}:user/dana\nregion = us-east-1`,
    );
    expect(planned.steps).toContain(
      `Let the user use aws login: aws iam attach-user-policy --user-name dana --policy-arn ${SIGN_IN_POLICY_ARN}`,
    );
    expect(planned.steps.join('\n')).toContain(`aws login --profile ${ACCOUNT}-dana`);
    expect(planned.proof?.verdict).toBe('proven');
    expect(planned.proof?.withinCurrent.status).toBe('passed');
  });

  it('Given a person without MFA or a console password, When planned, Then each missing piece is a blocker', () => {
    const bare = person('eve', { mfaActive: false, password: buildUser('x').password });
    const planned = planOf(buildSnapshot([buildAccount(ACCOUNT, { users: [bare] })]), 'eve');
    expect(planned.strategy).toBe('aws-login');
    expect(planned.blockers.join('\n')).toMatch(/No console password/);
    expect(planned.blockers.join('\n')).toMatch(/No MFA/);
    expect(planned.prerequisites.find((p) => p.id === 'console-mfa')?.met).toBe(false);
  });

  it('Given the same person where Identity Center is in use, When planned, Then Identity Center is planned instead', () => {
    const account = buildAccount(ACCOUNT, {
      users: [person('dana')],
      identityCenter: { inUse: true, evidence: ['AWSReservedSSO_Admin'] },
    });
    expect(planOf(buildSnapshot([account]), 'dana').strategy).toBe('identity-center');
  });

  it('Given a scan of several accounts (an Organization is likely), When planned, Then Identity Center is planned', () => {
    const other = buildAccount('555555555555', { users: [] });
    expect(planOf(buildSnapshot([buildAccount(ACCOUNT, { users: [person('dana')] }), other]), 'dana').strategy).toBe(
      'identity-center',
    );
  });
});
