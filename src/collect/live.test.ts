import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UserInputError } from '../errors.js';
import { describeWithMoto, type Moto } from '../../test/harness/moto.js';
import { exportWithScript } from '../../test/harness/export-with-cli.js';
import type { Snapshot, User } from '../model/snapshot.js';
import { collectFromFiles } from './files.js';
import { collectLive } from './live.js';

const ACCOUNT = '123456789012';
const NOW = new Date('2026-11-23T10:00:00Z');
const scratch = mkdtempSync(join(tmpdir(), 'roleshift-live-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const s3Read = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::acme-artifacts/*' }],
};
const s3Write = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: 'arn:aws:s3:::acme-artifacts/*' }],
};
const githubTrust = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/web:ref:refs/heads/main' } },
    },
  ],
};
const ssoTrust = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_0123abcd4567ef89_DO_NOT_DELETE` },
      Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
    },
  ],
};
const SAML_METADATA = `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://portal.sso.eu-west-1.amazonaws.com/saml/assertion/example">${'<md:Extensions/>'.repeat(80)}</md:EntityDescriptor>`;

function iamOf(moto: Moto): IAMClient {
  return new IAMClient({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });
}

/** A small estate touching every field the collectors read. */
async function seedEstate(moto: Moto): Promise<void> {
  const iam = iamOf(moto);
  const policy = await iam.send(
    new CreatePolicyCommand({ PolicyName: 'deploy-artifacts', Path: '/team/', PolicyDocument: JSON.stringify(s3Read) }),
  );
  const policyArn = policy.Policy?.Arn as string;
  await iam.send(
    new CreatePolicyVersionCommand({
      PolicyArn: policyArn,
      PolicyDocument: JSON.stringify(s3Write),
      SetAsDefault: true,
    }),
  );

  await iam.send(new CreateGroupCommand({ GroupName: 'developers', Path: '/people/' }));
  await iam.send(
    new PutGroupPolicyCommand({
      GroupName: 'developers',
      PolicyName: 'read-artifacts',
      PolicyDocument: JSON.stringify(s3Read),
    }),
  );
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'developers', PolicyArn: policyArn }));

  await iam.send(
    new CreateUserCommand({
      UserName: 'alice',
      Path: '/people/',
      Tags: [
        { Key: 'owner', Value: 'alice@acme.example' },
        { Key: 'team', Value: 'web' },
      ],
    }),
  );
  await iam.send(new AddUserToGroupCommand({ GroupName: 'developers', UserName: 'alice' }));
  await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Correct-Horse-9!' }));
  await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
  const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice-phone' }));
  await iam.send(
    new EnableMFADeviceCommand({
      UserName: 'alice',
      SerialNumber: device.VirtualMFADevice?.SerialNumber,
      AuthenticationCode1: '123456',
      AuthenticationCode2: '654321',
    }),
  );

  await iam.send(
    new CreateUserCommand({
      UserName: 'deploy-bot',
      Path: '/ci/',
      PermissionsBoundary: policyArn,
      Tags: [{ Key: 'purpose', Value: 'github deploy' }],
    }),
  );
  await iam.send(
    new PutUserPolicyCommand({ UserName: 'deploy-bot', PolicyName: 'push', PolicyDocument: JSON.stringify(s3Write) }),
  );
  await iam.send(new CreateAccessKeyCommand({ UserName: 'deploy-bot' }));
  const second = await iam.send(new CreateAccessKeyCommand({ UserName: 'deploy-bot' }));
  await iam.send(
    new UpdateAccessKeyCommand({
      UserName: 'deploy-bot',
      AccessKeyId: second.AccessKey?.AccessKeyId,
      Status: 'Inactive',
    }),
  );

  await iam.send(new CreateUserCommand({ UserName: 'ops-token' }));
  await iam.send(
    new EnableMFADeviceCommand({
      UserName: 'ops-token',
      SerialNumber: 'GAHT12345678',
      AuthenticationCode1: '123456',
      AuthenticationCode2: '654321',
    }),
  );

  await iam.send(
    new CreateOpenIDConnectProviderCommand({
      Url: 'https://token.actions.githubusercontent.com',
      ClientIDList: ['sts.amazonaws.com'],
      ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
    }),
  );
  await iam.send(
    new CreateSAMLProviderCommand({
      Name: 'AWSSSO_0123abcd4567ef89_DO_NOT_DELETE',
      SAMLMetadataDocument: SAML_METADATA,
    }),
  );
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'github-deploy',
      Path: '/ci/',
      AssumeRolePolicyDocument: JSON.stringify(githubTrust),
      Description: 'GitHub Actions deploys',
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'github-deploy', PolicyArn: policyArn }));
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'AWSReservedSSO_AdministratorAccess_0123456789abcdef',
      Path: '/aws-reserved/sso.amazonaws.com/',
      AssumeRolePolicyDocument: JSON.stringify(ssoTrust),
    }),
  );
  await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'acme-prod' }));
  iam.destroy();
}

function user(snapshot: Snapshot, name: string): User {
  const found = snapshot.accounts[0]?.users.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no user ${name}`);
  return found;
}

/** Points the SDK's default chain at moto through the environment only, as a user would. */
function useMotoEnvironment(moto: Moto, extra: Record<string, string> = {}): void {
  const env = moto.env(extra);
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) vi.stubEnv(key, undefined);
  for (const [key, value] of Object.entries(env))
    if (key.startsWith('AWS_') && value !== undefined) vi.stubEnv(key, value);
}

describeWithMoto('collectLive against moto, and the same estate through AWS CLI files', (moto) => {
  beforeEach(async () => {
    await seedEstate(moto());
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('Given a seeded account and only AWS_ENDPOINT_URL in the environment, When scanned live, Then every field is read with account-level calls only', async () => {
    useMotoEnvironment(moto());
    const snapshot = await collectLive({ now: () => NOW });

    expect(snapshot.gaps).toEqual([]);
    expect(snapshot.collection).toMatchObject({ source: 'live' });
    expect(snapshot.collection.origin).toContain(`endpoint ${moto().endpoint}`);
    expect(snapshot.collection.apiCalls).toEqual({
      'iam:GenerateCredentialReport': expect.any(Number),
      'iam:GetAccountAuthorizationDetails': 1,
      'iam:GetAccountPasswordPolicy': 1,
      'iam:GetAccountSummary': 1,
      'iam:GetCredentialReport': 1,
      'iam:GetOpenIDConnectProvider': 1,
      'iam:ListAccountAliases': 1,
      'iam:ListOpenIDConnectProviders': 1,
      'iam:ListSAMLProviders': 1,
      'iam:ListServerCertificates': 1,
      'iam:ListVirtualMFADevices': 1,
      'sts:GetCallerIdentity': 1,
    });
    // moto's report is dated 2015 whatever happens: the age warning must show.
    expect(snapshot.collection.warnings.some((line) => line.includes('the credential report was generated'))).toBe(
      true,
    );

    const account = snapshot.accounts[0];
    expect(account).toMatchObject({ accountId: ACCOUNT, alias: 'acme-prod' });
    expect(account?.users.map((u) => u.arn)).toEqual([
      `arn:aws:iam::${ACCOUNT}:user/ci/deploy-bot`,
      `arn:aws:iam::${ACCOUNT}:user/ops-token`,
      `arn:aws:iam::${ACCOUNT}:user/people/alice`,
    ]);

    const alice = user(snapshot, 'alice');
    expect(alice).toMatchObject({
      path: '/people/',
      tags: { owner: 'alice@acme.example', team: 'web' },
      groups: ['developers'],
      password: { enabled: true, lastUsed: { state: 'never' } },
      mfaActive: true,
      inCredentialReport: true,
    });
    expect(alice.mfaDevices).toEqual([
      {
        serial: `arn:aws:iam::${ACCOUNT}:mfa/alice-phone`,
        kind: 'virtual',
        enabledAt: expect.objectContaining({ state: 'at' }),
      },
    ]);
    expect(alice.accessKeys).toEqual([
      expect.objectContaining({
        slot: 1,
        status: 'Active',
        lastUsed: { state: 'never' },
        lastUsedService: null,
        lastUsedRegion: null,
      }),
    ]);

    const bot = user(snapshot, 'deploy-bot');
    expect(bot.accessKeys.map((key) => key.status)).toEqual(['Active', 'Inactive']);
    expect(bot.inlinePolicies).toEqual([{ name: 'push', document: s3Write }]);
    expect(bot.password.enabled).toBe(false);
    expect(user(snapshot, 'ops-token').mfaDevices).toEqual([
      { serial: null, kind: 'hardware', enabledAt: { state: 'unknown' } },
    ]);

    expect(account?.groups).toEqual([
      expect.objectContaining({
        name: 'developers',
        path: '/people/',
        attachedPolicies: [{ arn: `arn:aws:iam::${ACCOUNT}:policy/team/deploy-artifacts`, name: 'deploy-artifacts' }],
        inlinePolicies: [{ name: 'read-artifacts', document: s3Read }],
      }),
    ]);
    expect(account?.policies).toEqual([
      expect.objectContaining({
        name: 'deploy-artifacts',
        path: '/team/',
        defaultVersionId: 'v2',
        document: s3Write,
        awsManaged: false,
      }),
    ]);
    const githubRole = account?.roles.find((role) => role.name === 'github-deploy');
    // moto's GAAD leaves out role descriptions, so `description` is not asserted here.
    expect(githubRole).toMatchObject({ trustPolicy: githubTrust, path: '/ci/' });
    expect(account?.oidcProviders).toEqual([
      expect.objectContaining({
        arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
        url: 'token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com'],
        thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
      }),
    ]);
    expect(account?.samlProviders.map((provider) => provider.name)).toEqual(['AWSSSO_0123abcd4567ef89_DO_NOT_DELETE']);
    expect(account?.identityCenter).toEqual({
      inUse: true,
      evidence: [
        'SAML provider AWSSSO_0123abcd4567ef89_DO_NOT_DELETE',
        'role AWSReservedSSO_AdministratorAccess_0123456789abcdef (path /aws-reserved/sso.amazonaws.com/)',
      ],
    });
    // moto never writes the root row: root comes from GetAccountSummary.
    expect(account?.root).toMatchObject({
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      accessKeysPresent: false,
      mfaActive: false,
    });
  });

  it("Given the README's single-account policy, When a live scan runs, Then every IAM call it makes is allowed there", async () => {
    useMotoEnvironment(moto());
    const snapshot = await collectLive({ now: () => NOW });
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /```json\n(\{[^`]*RoleshiftReadOnlySingleAccount[^`]*\})\n```/.exec(readme)?.[1];
    const policy = JSON.parse(block ?? '{}') as { Statement: Array<{ Action: string[] }> };
    const allowed = new Set(policy.Statement.flatMap((statement) => statement.Action));
    const called = Object.keys(snapshot.collection.apiCalls).filter((api) => api.startsWith('iam:'));
    expect(called.filter((api) => !allowed.has(api))).toEqual([]);
    expect(called).toContain('iam:GetAccountPasswordPolicy');
  });

  it('Given the same estate exported by the printed export script with the real AWS CLI, When the folder is scanned, Then the snapshot equals the live one apart from collection, with no gap', async () => {
    useMotoEnvironment(moto());
    const live = await collectLive({ now: () => NOW });
    const dir = join(scratch, 'cli-export');
    rmSync(dir, { recursive: true, force: true });
    const exported = await exportWithScript(moto().env(), dir);
    expect(exported).toMatchObject({ status: 0 });
    expect(exported.files).toEqual([
      `${ACCOUNT}/get-account-authorization-details.json`,
      `${ACCOUNT}/get-account-password-policy.json`,
      `${ACCOUNT}/get-account-summary.json`,
      `${ACCOUNT}/get-credential-report.json`,
      `${ACCOUNT}/get-open-id-connect-provider-token.actions.githubusercontent.com.json`,
      `${ACCOUNT}/list-account-aliases.json`,
      `${ACCOUNT}/list-open-id-connect-providers.json`,
      `${ACCOUNT}/list-saml-providers.json`,
      `${ACCOUNT}/list-server-certificates.json`,
      `${ACCOUNT}/list-virtual-mfa-devices.json`,
    ]);

    const files = await collectFromFiles(dir, { now: () => NOW });
    const { collection: liveCollection, ...liveRest } = live;
    const { collection: filesCollection, ...filesRest } = files;
    expect(filesRest).toEqual(liveRest);
    expect(files.gaps).toEqual([]);
    expect(filesCollection).toMatchObject({ source: 'files', origin: dir, apiCalls: {} });
    expect(liveCollection.source).toBe('live');
  });
});

describe('collectLive without credentials', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    [
      'the default chain',
      undefined,
      /^no AWS credentials \(.+\): set AWS_PROFILE, pass --profile, or run `aws sso login`$/,
    ],
    ['a profile that does not exist', 'nobody', /^no AWS credentials for profile nobody \(.+\): set AWS_PROFILE/],
  ])(
    'Given %s finds no credentials, When scanned, Then one UserInputError line says what to do',
    async (_label, profile, message) => {
      for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) vi.stubEnv(key, undefined);
      vi.stubEnv('AWS_CONFIG_FILE', '/dev/null');
      vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/dev/null');
      vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
      const error = await collectLive({
        now: () => NOW,
        region: 'us-east-1',
        ...(profile === undefined ? {} : { profile }),
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UserInputError);
      expect((error as Error).message).toMatch(message);
    },
  );
});
