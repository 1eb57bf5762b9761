import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Account, Group, PolicyDocument, Role, User } from '../../model/snapshot.js';
import { UNKNOWN, whenAt } from '../../model/when.js';
import { buildAccount, buildSnapshot, buildUser } from '../../../test/fixtures/build-snapshot.js';
import { loadIamCatalog, type IamCatalog } from '../action-catalog.js';
import { createEvaluator } from '../evaluator/evaluator.js';
import { analyzePrivileges } from '../privilege/privilege.js';
import { analyzeEscalation } from './graph.js';
import { ESCALATION_METHODS } from './registry.js';

const A = '111122223333';
const B = '444455556666';
const NOW = new Date('2026-11-20T00:00:00Z');
let catalog: IamCatalog;

beforeAll(async () => {
  catalog = await loadIamCatalog();
});

function doc(...statements: Array<Record<string, unknown>>): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

function allow(actions: string | string[], resource: string | string[] = '*', condition?: Record<string, unknown>) {
  return doc({ Effect: 'Allow', Action: actions, Resource: resource, ...(condition ? { Condition: condition } : {}) });
}

function user(name: string, policies: PolicyDocument[], account = A, overrides: Partial<User> = {}): User {
  return buildUser(
    name,
    { inlinePolicies: policies.map((document, i) => ({ name: `p${i}`, document })), ...overrides },
    account,
  );
}

function role(
  name: string,
  trust: PolicyDocument,
  policies: PolicyDocument[],
  account = A,
  overrides: Partial<Role> = {},
): Role {
  return {
    arn: `arn:aws:iam::${account}:role/${name}`,
    name,
    roleId: `AROA${name
      .toUpperCase()
      .replace(/[^A-Z]/g, '')
      .padEnd(16, 'X')
      .slice(0, 16)}`,
    path: '/',
    createDate: whenAt('2025-01-01T00:00:00Z'),
    description: null,
    maxSessionDuration: 3600,
    tags: {},
    trustPolicy: trust,
    attachedPolicies: [],
    inlinePolicies: policies.map((document, i) => ({ name: `p${i}`, document })),
    permissionsBoundary: null,
    lastUsed: UNKNOWN,
    lastUsedRegion: null,
    instanceProfiles: [],
    ...overrides,
  };
}

function trusts(principal: Record<string, unknown>, condition?: Record<string, unknown>): PolicyDocument {
  return doc({
    Effect: 'Allow',
    Principal: principal,
    Action: 'sts:AssumeRole',
    ...(condition ? { Condition: condition } : {}),
  });
}

const ADMIN_POLICY = allow('*');

function analyze(accounts: Account[]) {
  const evaluator = createEvaluator(buildSnapshot(accounts), { now: NOW });
  return { evaluator, analysis: analyzeEscalation(evaluator, catalog) };
}

describe('privilege escalation graph', () => {
  it('Given a chain of roles across two accounts ending at an admin role, When analysed, Then the start names every hop and reaches administrator', () => {
    const { analysis } = analyze([
      buildAccount(A, {
        users: [user('dev', [allow('sts:AssumeRole', `arn:aws:iam::${B}:role/hop`)])],
      }),
      buildAccount(B, {
        roles: [
          role(
            'hop',
            trusts({ AWS: `arn:aws:iam::${A}:root` }),
            [allow('sts:AssumeRole', `arn:aws:iam::${B}:role/top`)],
            B,
          ),
          role('top', trusts({ AWS: `arn:aws:iam::${B}:role/hop` }), [ADMIN_POLICY], B),
        ],
      }),
    ]);
    const finding = analysis.finding(`arn:aws:iam::${A}:user/dev`);
    expect(finding).toMatchObject({ gains: 'admin', severity: 'critical', certain: true });
    expect(finding?.steps.map((s) => [s.method, s.becomes.split(':').pop()])).toEqual([
      ['sts-assume-role', 'role/hop'],
      ['sts-assume-role', 'role/top'],
    ]);
  });

  it('Given a role trusting the account root, When a user lacks sts:AssumeRole, Then there is no edge (the identity side is needed)', () => {
    const { analysis } = analyze([
      buildAccount(A, {
        users: [user('reader', [allow('s3:GetObject')])],
        roles: [role('admin', trusts({ AWS: `arn:aws:iam::${A}:root` }), [ADMIN_POLICY])],
      }),
    ]);
    expect(analysis.finding(`arn:aws:iam::${A}:user/reader`)).toBeUndefined();
  });

  it('Given an admin role whose trust names the user itself, When the user has no policy at all, Then it can still assume it (same-account resource policy)', () => {
    const { analysis } = analyze([
      buildAccount(A, {
        users: [user('named', [])],
        roles: [role('admin', trusts({ AWS: `arn:aws:iam::${A}:user/named` }), [ADMIN_POLICY])],
      }),
    ]);
    expect(analysis.finding(`arn:aws:iam::${A}:user/named`)?.steps[0]?.method).toBe('sts-assume-role');
  });

  it('Given an explicit Deny of sts:AssumeRole, When the trust names the user, Then the Deny still stops it', () => {
    const { analysis } = analyze([
      buildAccount(A, {
        users: [user('blocked', [doc({ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' })])],
        roles: [role('admin', trusts({ AWS: `arn:aws:iam::${A}:user/blocked` }), [ADMIN_POLICY])],
      }),
    ]);
    expect(analysis.finding(`arn:aws:iam::${A}:user/blocked`)).toBeUndefined();
  });

  it('Given iam:PassRole only towards Lambda, When the admin role is passable only to EC2, Then RunInstances gains nothing (iam:PassedToService)', () => {
    const ec2Admin = role('ec2-admin', trusts({ Service: 'ec2.amazonaws.com' }), [ADMIN_POLICY], A, {
      instanceProfiles: [`arn:aws:iam::${A}:instance-profile/ec2-admin`],
    });
    const passToLambdaOnly = allow('iam:PassRole', '*', {
      StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    });
    const { analysis } = analyze([
      buildAccount(A, { users: [user('ci', [passToLambdaOnly, allow('ec2:RunInstances')])], roles: [ec2Admin] }),
    ]);
    expect(analysis.finding(`arn:aws:iam::${A}:user/ci`)).toBeUndefined();
  });

  it('Given Data Pipeline rights, When iam:PassRole is granted through a wildcard or not at all, Then only the wildcard reaches the admin role the service can assume', () => {
    const pipelineAdmin = role('pipeline-admin', trusts({ Service: 'datapipeline.amazonaws.com' }), [ADMIN_POLICY]);
    const { analysis } = analyze([
      buildAccount(A, {
        users: [
          user('builder', [allow(['datapipeline:*', 'iam:Pass*'])]),
          user('poweruser', [doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' })]),
        ],
        roles: [pipelineAdmin],
      }),
    ]);
    expect(analysis.finding(`arn:aws:iam::${A}:user/builder`)?.steps[0]).toMatchObject({
      method: 'datapipeline-create-pipeline',
      actions: expect.arrayContaining(['iam:PassRole']),
      becomes: pipelineAdmin.arn,
    });
    expect(analysis.finding(`arn:aws:iam::${A}:user/poweruser`)).toBeUndefined();
  });

  it('Given iam:PassRole and ec2:RunInstances, When the admin role has no instance profile, Then EC2 cannot run as it', () => {
    const noProfile = role('ec2-admin', trusts({ Service: 'ec2.amazonaws.com' }), [ADMIN_POLICY]);
    const { analysis } = analyze([
      buildAccount(A, { users: [user('ci', [allow(['iam:PassRole', 'ec2:RunInstances'])])], roles: [noProfile] }),
    ]);
    expect(analysis.finding(`arn:aws:iam::${A}:user/ci`)).toBeUndefined();
  });

  it('Given PutUserPolicy on itself but a boundary without IAM, When analysed, Then it reaches only "all but IAM" (high), not administrator', () => {
    const boundaryArn = `arn:aws:iam::${A}:policy/boundary`;
    const { analysis } = analyze([
      buildAccount(A, {
        users: [
          user('bounded', [allow('iam:PutUserPolicy', `arn:aws:iam::${A}:user/bounded`)], A, {
            permissionsBoundary: { arn: boundaryArn, type: 'Policy' },
          }),
        ],
        policies: [
          {
            arn: boundaryArn,
            name: 'boundary',
            path: '/',
            awsManaged: false,
            attachmentCount: 1,
            defaultVersionId: 'v1',
            document: doc(
              { Effect: 'Allow', NotAction: ['organizations:*'], Resource: '*' },
              { Effect: 'Deny', Action: 'iam:*', Resource: `arn:aws:iam::${A}:role/*` },
            ),
          },
        ],
      }),
    ]);
    expect(analysis.finding(`arn:aws:iam::${A}:user/bounded`)).toMatchObject({
      gains: 'high-privilege',
      severity: 'high',
    });
  });

  it('Given AttachUserPolicy and CreateAccessKey on other users, When no user is powerful, Then making one admin and taking its key is found', () => {
    const { analysis } = analyze([
      buildAccount(A, {
        users: [
          user('helpdesk', [allow(['iam:AttachUserPolicy', 'iam:CreateAccessKey'], `arn:aws:iam::${A}:user/intern`)]),
          user('intern', []),
        ],
      }),
    ]);
    const finding = analysis.finding(`arn:aws:iam::${A}:user/helpdesk`);
    expect(finding).toMatchObject({ gains: 'admin', severity: 'critical' });
    expect(finding?.steps[0]?.actions).toEqual(['iam:AttachUserPolicy', 'iam:CreateAccessKey']);
  });

  it('Given AttachUserPolicy on other users only, When the principal cannot act as them, Then it is reported as able to make others administrators (high)', () => {
    const { analysis } = analyze([
      buildAccount(A, {
        roles: [
          role('provisioner', trusts({ Service: 'lambda.amazonaws.com' }), [
            allow('iam:AttachUserPolicy', `arn:aws:iam::${A}:user/*`),
          ]),
        ],
        users: [user('alice', []), user('bob', [])],
      }),
    ]);
    const finding = analysis.finding(`arn:aws:iam::${A}:role/provisioner`);
    expect(finding).toMatchObject({ gains: 'grant-admin', severity: 'high' });
    expect(finding?.grantees.map((g) => g.split('/').pop())).toEqual(['alice', 'bob']);
  });

  it('Given a self-service policy scoped to ${aws:username}, When analysed, Then creating its own access key is no escalation', () => {
    const { analysis } = analyze([
      buildAccount(A, {
        users: [
          user('self', [
            allow(['iam:CreateAccessKey', 'iam:UpdateLoginProfile'], 'arn:aws:iam::*:user/${aws:username}'),
          ]),
          user('boss', [ADMIN_POLICY]),
        ],
      }),
    ]);
    expect(analysis.finding(`arn:aws:iam::${A}:user/self`)).toBeUndefined();
  });

  describe('self-service statements, which let a user act only on its own user', () => {
    const selfService = allow(
      ['iam:CreateAccessKey', 'iam:UpdateLoginProfile', 'iam:CreateLoginProfile'],
      ['arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::*:mfa/${aws:username}'],
    );

    it('Given its own user and MFA device only, When an administrator shares the account, Then no key or password of another user is within reach', () => {
      const { analysis } = analyze([
        buildAccount(A, {
          users: [
            user('self', [selfService]),
            user('pathed', [selfService], A, { arn: `arn:aws:iam::${A}:user/team/pathed`, path: '/team/' }),
            user('boss', [ADMIN_POLICY]),
          ],
        }),
      ]);
      expect(analysis.finding(`arn:aws:iam::${A}:user/self`)).toBeUndefined();
      expect(analysis.finding(`arn:aws:iam::${A}:user/team/pathed`)).toBeUndefined();
    });

    it('Given a second statement on other users beside it, When one of them is an administrator, Then its key is found', () => {
      const { analysis } = analyze([
        buildAccount(A, {
          users: [
            user('self', [selfService, allow('iam:CreateAccessKey', `arn:aws:iam::${A}:user/ops-*`)]),
            user('ops-lead', [ADMIN_POLICY]),
          ],
        }),
      ]);
      expect(analysis.finding(`arn:aws:iam::${A}:user/self`)?.steps.map((s) => [s.method, s.becomes])).toEqual([
        ['create-access-key', `arn:aws:iam::${A}:user/ops-lead`],
      ]);
    });

    it('Given its user name followed by a wildcard, When another user is named so, Then that user is within reach', () => {
      const { analysis } = analyze([
        buildAccount(A, {
          users: [
            user('dev', [allow('iam:CreateAccessKey', 'arn:aws:iam::*:user/${aws:username}*')]),
            user('dev-admin', [ADMIN_POLICY]),
          ],
        }),
      ]);
      expect(analysis.finding(`arn:aws:iam::${A}:user/dev`)).toMatchObject({ gains: 'admin', severity: 'critical' });
    });
  });

  describe('group members that share every policy but one input the verdict reads', () => {
    const team = (name: string, document: PolicyDocument): Group => ({
      arn: `arn:aws:iam::${A}:group/${name}`,
      name,
      groupId: 'AGPATEAMXXXXXXXXXXXX',
      path: '/',
      createDate: whenAt('2025-01-01T00:00:00Z'),
      attachedPolicies: [],
      inlinePolicies: [{ name: 'p0', document }],
    });
    const member = (name: string, tags: Record<string, string> = {}) =>
      buildUser(name, { groups: ['helpdesk'], tags }, A);
    const escalating = (analysis: ReturnType<typeof analyze>['analysis'], names: string[]) =>
      names.filter((name) => analysis.finding(`arn:aws:iam::${A}:user/${name}`)?.gains === 'admin');

    it('Given CreateAccessKey allowed only to members tagged team=ops, When an ops and a dev member are analysed, Then only the ops member takes the admin user over', () => {
      const { analysis } = analyze([
        buildAccount(A, {
          users: [
            member('ops-member', { team: 'ops' }),
            member('dev-member', { team: 'dev' }),
            user('boss', [ADMIN_POLICY]),
          ],
          groups: [
            team('helpdesk', allow('iam:CreateAccessKey', '*', { StringEquals: { 'aws:PrincipalTag/team': 'ops' } })),
          ],
        }),
      ]);
      expect(escalating(analysis, ['ops-member', 'dev-member'])).toEqual(['ops-member']);
      expect(analysis.finding(`arn:aws:iam::${A}:user/ops-member`)?.steps[0]).toMatchObject({
        method: 'create-access-key',
        becomes: `arn:aws:iam::${A}:user/boss`,
      });
    });

    it('Given CreateAccessKey allowed only when aws:username is one member, When both members are analysed, Then only that member takes the admin user over', () => {
      const { analysis } = analyze([
        buildAccount(A, {
          users: [member('first'), member('second'), user('boss', [ADMIN_POLICY])],
          groups: [team('helpdesk', allow('iam:CreateAccessKey', '*', { StringEquals: { 'aws:username': 'second' } }))],
        }),
      ]);
      expect(escalating(analysis, ['first', 'second'])).toEqual(['second']);
    });

    it('Given an admin role trusting the account only when aws:username is one member, When both members may call sts:AssumeRole, Then only that member reaches it', () => {
      const { analysis } = analyze([
        buildAccount(A, {
          users: [member('first'), member('second')],
          groups: [team('helpdesk', allow('sts:AssumeRole'))],
          roles: [
            role('admin', trusts({ AWS: `arn:aws:iam::${A}:root` }, { StringEquals: { 'aws:username': 'second' } }), [
              ADMIN_POLICY,
            ]),
          ],
        }),
      ]);
      expect(escalating(analysis, ['first', 'second'])).toEqual(['second']);
    });
  });

  describe('a CloudFormation method held to named roles by cloudformation:RoleArn', () => {
    const CFN = { Service: 'cloudformation.amazonaws.com' };
    const analyzeWith = (operator: string, pinned: string) =>
      analyze([
        buildAccount(A, {
          users: [
            user('deployer', [
              allow('cloudformation:UpdateStack', `arn:aws:cloudformation:*:${A}:stack/webapp-*/*`, {
                [operator]: { 'cloudformation:RoleArn': `arn:aws:iam::${A}:role/${pinned}` },
              }),
            ]),
          ],
          roles: [
            role('cfn-admin', trusts(CFN), [ADMIN_POLICY]),
            role('cfn-webapp', trusts(CFN), [allow('s3:PutObject', 'arn:aws:s3:::webapp/*')]),
          ],
        }),
      ]).analysis.finding(`arn:aws:iam::${A}:user/deployer`);

    it('Given UpdateStack allowed only with the webapp role (ArnEquals), When analysed, Then the admin role the service could act as is not reached', () => {
      expect(analyzeWith('ArnEquals', 'cfn-webapp')?.gains).not.toBe('admin');
    });

    it('Given UpdateStack allowed only with the admin role, When analysed, Then that role is reached through the stack', () => {
      const finding = analyzeWith('ArnEquals', 'cfn-admin');
      expect(finding?.gains).toBe('admin');
      expect(finding?.steps[0]?.becomes).toBe(`arn:aws:iam::${A}:role/cfn-admin`);
    });

    it('Given the pin is ArnEqualsIfExists (a request without a role passes), When analysed, Then the admin role is still reached', () => {
      expect(analyzeWith('ArnEqualsIfExists', 'cfn-webapp')?.gains).toBe('admin');
    });
  });

  it('Given a service-linked role with IAM rights, When analysed, Then it is not reported (only the service can act as it)', () => {
    const { analysis } = analyze([
      buildAccount(A, {
        roles: [
          role('AWSServiceRoleForX', trusts({ Service: 'x.amazonaws.com' }), [allow('iam:AttachRolePolicy')], A, {
            path: '/aws-service-role/x.amazonaws.com/',
            arn: `arn:aws:iam::${A}:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX`,
          }),
          role('other', trusts({ Service: 'lambda.amazonaws.com' }), []),
        ],
      }),
    ]);
    expect(analysis.findings).toEqual([]);
  });

  it('Given an admin role, When privileges are analysed, Then it is reported with who can assume it, inside and outside the snapshot', () => {
    const evaluator = createEvaluator(
      buildSnapshot([
        buildAccount(A, {
          users: [user('ops', [allow('sts:AssumeRole', `arn:aws:iam::${A}:role/admin`)]), user('dev', [])],
          roles: [
            role(
              'admin',
              doc(
                {
                  Effect: 'Allow',
                  Principal: { AWS: [`arn:aws:iam::${A}:root`, 'arn:aws:iam::999988887777:root'] },
                  Action: 'sts:AssumeRole',
                },
                { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
              ),
              [ADMIN_POLICY],
            ),
          ],
        }),
      ]),
      { now: NOW },
    );
    const admin = analyzePrivileges(evaluator, catalog).of(`arn:aws:iam::${A}:role/admin`);
    expect(admin?.admin.admin).toBe('yes');
    const who = admin?.assumableBy.map((a) =>
      a.kind === 'principal'
        ? a.principal.name
        : a.trusted.kind === 'account'
          ? `account ${a.trusted.accountId}`
          : a.trusted.kind,
    );
    expect(who).toEqual(['ops', 'account 999988887777', 'service']);
  });
});

describe('escalation method registry', () => {
  it('Given the methods folder, When compared with the registry, Then every file is registered once under its own name', () => {
    const dir = fileURLToPath(new URL('./methods/', import.meta.url));
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(ESCALATION_METHODS.map((m) => m.id).sort()).toEqual(files);
  });

  it('Given every method, When its actions are looked up in the IAM catalogue, Then each one exists', () => {
    const unknown = ESCALATION_METHODS.flatMap((m) => m.requires.flatMap((r) => r.anyOf)).filter(
      (a) => catalog.action(a) === undefined,
    );
    expect(unknown).toEqual([]);
  });
});
