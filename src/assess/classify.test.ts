import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildAccount,
  buildKey,
  buildSnapshot,
  buildUser,
  daysAgo,
  PASSWORD_USED,
} from '../../test/assess/builders.js';
import { DEFAULT_CONFIG, RoleshiftConfigSchema } from '../config.js';
import type { User } from '../model/snapshot.js';
import { NEVER } from '../model/when.js';
import type { ActivityEvidence } from './activity-evidence.js';
import {
  accessKeyRule,
  activityRule,
  classifyUsers,
  dormantLoginRule,
  groupRule,
  keyServiceRule,
  mfaRule,
  nameRule,
  passwordRule,
  pathRule,
  scoreSignals,
  tagRule,
  type ClassificationRule,
  type RuleInput,
} from './classify.js';

const REFERENCE = new Date('2026-11-23T09:00:01Z');

function input(user: User, activity: RuleInput['activity'] = null): RuleInput {
  return {
    user,
    account: buildAccount('111111111111', { users: [user] }),
    config: DEFAULT_CONFIG,
    activity,
    referenceTime: REFERENCE,
  };
}

/** What a rule says, as "class:weight" pairs, for compact tables. */
function says(rule: ClassificationRule, user: User, activity: RuleInput['activity'] = null): string[] {
  return rule(input(user, activity)).map(
    (s) =>
      `${s.evidence.supports}:${s.evidence.weight}${s.ciProvider ? `/${s.ciProvider}` : ''}${s.runsOn ? `@${s.runsOn}` : ''}`,
  );
}

describe('classification rules, one at a time', () => {
  const cases: Array<{
    rule: string;
    fn: ClassificationRule;
    user: User;
    activity?: RuleInput['activity'];
    expected: string[];
  }> = [
    {
      rule: 'password used',
      fn: passwordRule,
      user: buildUser('a', { password: PASSWORD_USED }),
      expected: ['human:3'],
    },
    {
      rule: 'password never used',
      fn: passwordRule,
      user: buildUser('a', { password: { ...PASSWORD_USED, lastUsed: NEVER } }),
      expected: ['human:1.5'],
    },
    { rule: 'no password', fn: passwordRule, user: buildUser('a'), expected: [] },
    { rule: 'virtual MFA', fn: mfaRule, user: buildUser('a', { mfaActive: true }), expected: ['human:1.5'] },
    {
      rule: 'hardware MFA',
      fn: mfaRule,
      user: buildUser('a', { mfaActive: true, mfaDevices: [{ serial: null, kind: 'hardware', enabledAt: NEVER }] }),
      expected: ['human:1.5', 'break-glass:0.5'],
    },
    {
      rule: 'key without password',
      fn: accessKeyRule,
      user: buildUser('a', { accessKeys: [buildKey()] }),
      expected: ['workload:1', 'ci-cd:1', 'third-party:0.5'],
    },
    {
      rule: 'key beside a password',
      fn: accessKeyRule,
      user: buildUser('a', { password: PASSWORD_USED, accessKeys: [buildKey()] }),
      expected: ['human:0.5'],
    },
    {
      rule: 'inactive key only',
      fn: accessKeyRule,
      user: buildUser('a', { accessKeys: [buildKey({ status: 'Inactive' })] }),
      expected: [],
    },
    {
      rule: 'dormant MFA login without keys',
      fn: dormantLoginRule,
      user: buildUser('a', { password: { ...PASSWORD_USED, lastUsed: daysAgo(200, REFERENCE) }, mfaActive: true }),
      expected: ['break-glass:1.5'],
    },
    {
      rule: 'login used last week',
      fn: dormantLoginRule,
      user: buildUser('a', { password: PASSWORD_USED, mfaActive: true }),
      expected: [],
    },
    {
      rule: 'key used for ECR',
      fn: keyServiceRule,
      user: buildUser('a', { accessKeys: [buildKey({ lastUsedService: 'ecr' })] }),
      expected: ['ci-cd:0.75'],
    },
    {
      rule: 'key used for SQS',
      fn: keyServiceRule,
      user: buildUser('a', { accessKeys: [buildKey({ lastUsedService: 'sqs' })] }),
      expected: ['workload:0.75'],
    },
    {
      rule: 'key used for S3 (says nothing)',
      fn: keyServiceRule,
      user: buildUser('a', { accessKeys: [buildKey({ lastUsedService: 's3' })] }),
      expected: [],
    },
    {
      rule: 'GitHub in the name',
      fn: nameRule,
      user: buildUser('github-actions-deployer'),
      expected: ['ci-cd:3.5/github-actions', 'ci-cd:2'],
    },
    { rule: 'GitLab in the name', fn: nameRule, user: buildUser('GitLabRunner'), expected: ['ci-cd:3.5/gitlab'] },
    { rule: 'ci as a word', fn: nameRule, user: buildUser('ci-user'), expected: ['ci-cd:2'] },
    { rule: 'ci inside a word is not CI', fn: nameRule, user: buildUser('pacific'), expected: [] },
    { rule: 'vendor name', fn: nameRule, user: buildUser('datadog-integration'), expected: ['third-party:3'] },
    { rule: 'break-glass name', fn: nameRule, user: buildUser('breakglass-admin'), expected: ['break-glass:5'] },
    {
      rule: 'service on EC2',
      fn: nameRule,
      user: buildUser('ec2-backup-svc'),
      expected: ['workload:2@ec2', 'workload:2'],
    },
    { rule: 'e-mail as name', fn: nameRule, user: buildUser('jane@example.com'), expected: ['human:2'] },
    { rule: 'first.last', fn: nameRule, user: buildUser('jane.doe'), expected: ['human:1'] },
    { rule: 'plain word', fn: nameRule, user: buildUser('bob'), expected: [] },
    {
      rule: 'service path',
      fn: pathRule,
      user: buildUser('x', { path: '/service-accounts/' }),
      expected: ['workload:1.5'],
    },
    { rule: 'people path', fn: pathRule, user: buildUser('x', { path: '/employees/' }), expected: ['human:1.5'] },
    {
      rule: 'people group',
      fn: groupRule,
      user: buildUser('x', { groups: ['Developers', 'unrelated'] }),
      expected: ['human:1'],
    },
    { rule: 'deploy group', fn: groupRule, user: buildUser('x', { groups: ['deployers'] }), expected: ['ci-cd:1'] },
    {
      rule: 'purpose tag',
      fn: tagRule,
      user: buildUser('x', { tags: { purpose: 'CircleCI deploys' } }),
      expected: ['ci-cd:4.5/circleci', 'ci-cd:3'],
    },
    {
      rule: 'owner e-mail naming the user',
      fn: tagRule,
      user: buildUser('jdoe', { tags: { owner: 'jdoe@example.com' } }),
      expected: ['human:2'],
    },
    {
      rule: 'owner e-mail of a team',
      fn: tagRule,
      user: buildUser('etl', { tags: { owner: 'data-team@example.com' } }),
      expected: [],
    },
    {
      rule: 'GitHub Actions activity',
      fn: activityRule,
      user: buildUser('x'),
      activity: { userAgents: ['github-actions', 'something-else'], addresses: ['github-hosted'] },
      expected: ['ci-cd:4/github-actions', 'ci-cd:3/github-actions'],
    },
    {
      rule: 'SDK from AWS addresses on ECS',
      fn: activityRule,
      user: buildUser('x'),
      activity: { userAgents: ['boto3'], addresses: ['aws'], computeHints: ['ecs'] },
      expected: ['workload:1.5', 'workload:2@aws-other', 'workload:2.5@ecs'],
    },
    {
      rule: 'console activity',
      fn: activityRule,
      user: buildUser('x'),
      activity: { userAgents: ['console'], addresses: ['public'] },
      expected: ['human:3'],
    },
  ];
  it.each(cases)(
    'Given $rule, When the rule runs, Then it gives the expected evidence',
    ({ fn, user, activity, expected }) => {
      expect(says(fn, user, activity ?? null)).toEqual(expected);
    },
  );
});

describe('classifyUsers', () => {
  const cases: Array<{
    name: string;
    user: User;
    activity?: ActivityEvidence['users'][string];
    cls: string;
    provider?: string | null;
    runsOn?: string | null;
  }> = [
    {
      name: 'a person with console and MFA',
      user: buildUser('jane.doe', { password: PASSWORD_USED, mfaActive: true, accessKeys: [buildKey()] }),
      cls: 'human',
    },
    {
      name: 'a GitHub deployer key',
      user: buildUser('github-deploy', { accessKeys: [buildKey()] }),
      cls: 'ci-cd',
      provider: 'github-actions',
    },
    {
      name: 'a generic deploy key',
      user: buildUser('deploy', { accessKeys: [buildKey()] }),
      cls: 'ci-cd',
      provider: null,
    },
    {
      name: 'a vendor integration',
      user: buildUser('snowflake-reader', { accessKeys: [buildKey()] }),
      cls: 'third-party',
    },
    {
      name: 'an app on Lambda',
      user: buildUser('orders-lambda-svc', { accessKeys: [buildKey()] }),
      cls: 'workload',
      runsOn: 'lambda',
    },
    {
      name: 'an app with no hint where it runs',
      user: buildUser('orders-api', { accessKeys: [buildKey()] }),
      cls: 'workload',
      runsOn: 'unknown',
    },
    {
      name: 'a break-glass login',
      user: buildUser('break-glass', {
        password: { ...PASSWORD_USED, lastUsed: NEVER },
        mfaActive: true,
        mfaDevices: [{ serial: null, kind: 'hardware', enabledAt: NEVER }],
      }),
      cls: 'break-glass',
    },
    { name: 'a bare key and nothing else', user: buildUser('k1', { accessKeys: [buildKey()] }), cls: 'unknown' },
    { name: 'a user with no credentials and no hints', user: buildUser('x1'), cls: 'unknown' },
    {
      name: 'an ambiguous key whose activity says GitHub Actions',
      user: buildUser('k2', { accessKeys: [buildKey()] }),
      activity: { userAgents: ['github-actions'], addresses: ['github-hosted'] },
      cls: 'ci-cd',
      provider: 'github-actions',
    },
    {
      name: 'an override tag against every other fact',
      user: buildUser('github-deploy', { accessKeys: [buildKey()], tags: { 'roleshift:class': 'third-party' } }),
      cls: 'third-party',
    },
  ];
  it.each(cases)('Given $name, When classified, Then it is $cls', ({ user, activity, cls, provider, runsOn }) => {
    const snapshot = buildSnapshot([buildAccount('111111111111', { users: [user] })]);
    const [c] = classifyUsers(snapshot, {
      config: DEFAULT_CONFIG,
      activity: activity ? { users: { [user.arn]: activity } } : undefined,
    });
    expect(c?.class).toBe(cls);
    if (provider !== undefined) expect(c?.ciProvider).toBe(provider);
    if (runsOn !== undefined) expect(c?.runsOn).toBe(runsOn);
    expect(c?.confidence).toBeGreaterThanOrEqual(0);
    expect(c?.confidence).toBeLessThanOrEqual(1);
  });

  it('Given an override tag, When classified, Then confidence is 1 and the override is the first evidence', () => {
    const user = buildUser('svc', { accessKeys: [buildKey()], tags: { 'roleshift:class': 'Workload' } });
    const [c] = classifyUsers(buildSnapshot([buildAccount('111111111111', { users: [user] })]), {
      config: DEFAULT_CONFIG,
    });
    expect(c).toMatchObject({ class: 'workload', confidence: 1 });
    expect(c?.evidence[0]).toMatchObject({ source: 'override', supports: 'workload' });
  });

  it('Given a configured override tag key, When classified, Then that key decides and the default key does not', () => {
    const config = RoleshiftConfigSchema.parse({ classification: { overrideTagKey: 'iam:kind' } });
    const user = buildUser('x', { tags: { 'iam:kind': 'break-glass', 'roleshift:class': 'human' } });
    const [c] = classifyUsers(buildSnapshot([buildAccount('111111111111', { users: [user] })]), { config });
    expect(c?.class).toBe('break-glass');
  });

  it('Given more evidence for the same class, When classified, Then the confidence rises', () => {
    const weak = buildUser('jane.doe', { password: { ...PASSWORD_USED, lastUsed: NEVER } });
    const strong = buildUser('jane.roe', { password: PASSWORD_USED, mfaActive: true, groups: ['developers'] });
    const [a, b] = classifyUsers(buildSnapshot([buildAccount('111111111111', { users: [weak, strong] })]), {
      config: DEFAULT_CONFIG,
    });
    expect(a?.class).toBe('human');
    expect(b?.class).toBe('human');
    expect(b?.confidence ?? 0).toBeGreaterThan(a?.confidence ?? 1);
  });

  it('Given a tie between the two strongest classes, When scored, Then the verdict is unknown', () => {
    const tie = scoreSignals([
      { evidence: { source: 'name', supports: 'ci-cd', weight: 2, detail: '' } },
      { evidence: { source: 'name', supports: 'workload', weight: 2, detail: '' } },
    ]);
    expect(tie.class).toBe('unknown');
  });

  it('Given people across accounts, When classified, Then users of one person share a personKey and machines get none', () => {
    const human = { password: PASSWORD_USED, mfaActive: true };
    const snapshot = buildSnapshot([
      buildAccount('111111111111', {
        users: [
          buildUser('Jane.Doe', human, '111111111111'),
          buildUser('github-ci', { accessKeys: [buildKey()] }, '111111111111'),
        ],
      }),
      buildAccount('222222222222', {
        users: [buildUser('jane.doe', human, '222222222222'), buildUser('bob.smith', human, '222222222222')],
      }),
    ]);
    const byName = Object.fromEntries(
      classifyUsers(snapshot, { config: DEFAULT_CONFIG }).map((c) => [`${c.accountId}/${c.userName}`, c.personKey]),
    );
    expect(byName['111111111111/Jane.Doe']).toBe('name:jane.doe');
    expect(byName['222222222222/jane.doe']).toBe('name:jane.doe');
    expect(byName['222222222222/bob.smith']).toBe('name:bob.smith');
    expect(byName['111111111111/github-ci']).toBeNull();
  });

  it('Given two users with the same purpose tag and path, When classified together, Then they share one evidence object per equal item and each equals its own classification alone', () => {
    const tags = { purpose: 'nightly etl batch' };
    const users = [buildUser('loader-a', { path: '/etl/', tags }), buildUser('loader-b', { path: '/etl/', tags })];
    const together = classifyUsers(buildSnapshot([buildAccount('111111111111', { users })]), {
      config: DEFAULT_CONFIG,
    });
    const alone = users.map(
      (user) =>
        classifyUsers(buildSnapshot([buildAccount('111111111111', { users: [user] })]), { config: DEFAULT_CONFIG })[0],
    );
    expect(together).toEqual(alone);
    const [a, b] = together;
    expect(a?.evidence.length).toBeGreaterThan(0);
    for (const [i, item] of (a?.evidence ?? []).entries()) expect(b?.evidence[i]).toBe(item);
  });
});

describe('classifyUsers on arbitrary users', () => {
  it('Given random names, paths, tags, groups and activity, When classified, Then it never throws and confidence stays in 0..1', () => {
    const when = fc.constantFrom(NEVER, daysAgo(3, REFERENCE), daysAgo(400, REFERENCE));
    const arbitraryUser = fc.record({
      name: fc.string({ minLength: 1, maxLength: 30 }),
      path: fc.string({ maxLength: 20 }).map((p) => `/${p}/`),
      tags: fc.dictionary(
        fc.constantFrom('owner', 'purpose', 'roleshift:class', 'email', 'x'),
        fc.string({ maxLength: 30 }),
      ),
      groups: fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
      password: fc.boolean(),
      lastUsed: when,
      keys: fc.nat({ max: 2 }),
      agents: fc.array(fc.string({ maxLength: 15 }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryUser, { minLength: 1, maxLength: 6 }), (specs) => {
        const users = specs.map((s, i) =>
          buildUser(`${s.name}-${i}`, {
            path: s.path,
            tags: s.tags,
            groups: s.groups,
            password: { enabled: s.password, lastUsed: s.lastUsed, lastChanged: NEVER, nextRotation: NEVER },
            accessKeys: Array.from({ length: s.keys }, (_, k) => buildKey({ slot: k === 0 ? 1 : 2 })),
          }),
        );
        const activity = {
          users: Object.fromEntries(
            users.map((u, i) => [u.arn, { userAgents: specs[i]?.agents ?? [], addresses: [] }]),
          ),
        };
        for (const c of classifyUsers(buildSnapshot([buildAccount('111111111111', { users })]), {
          config: DEFAULT_CONFIG,
          activity,
        })) {
          expect(c.confidence).toBeGreaterThanOrEqual(0);
          expect(c.confidence).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 200 },
    );
  });
});
