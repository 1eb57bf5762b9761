import { IAMClient } from '@aws-sdk/client-iam';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { awsError, standIn } from '../../test/harness/sdk-stand-in.js';
import { UserInputError } from '../errors.js';
import { isTrendable } from '../model/completeness.js';
import type { AccountCollection } from './account.js';
import { ApiCallCounter, createAwsClient, type AwsClientSettings } from '../aws/clients.js';
import { scanOrganization, type OpenedAccount, type OrgScanClients, type OrgScanOptions } from './org-scan.js';
import { AdaptiveLimit } from '../pool.js';

const MANAGEMENT = '111111111111';
const MEMBERS = ['222222222222', '333333333333', '444444444444'];
const KEYS = { accessKeyId: 'AKIASTANDIN000000000', secretAccessKey: 'stand-in' };

type Answer = (command: string, input: Record<string, unknown>) => unknown;

/** The Organizations answers of a flat organization: every account under the root. */
function organizationAnswers(accounts: string[]): Answer {
  return (command) => {
    if (command === 'DescribeOrganization') return { Organization: { Id: 'o-standin', MasterAccountId: MANAGEMENT } };
    if (command === 'ListRoots') return { Roots: [{ Id: 'r-root', Name: 'Root' }] };
    if (command === 'ListAccountsForParent') return { Accounts: accounts.map((Id) => ({ Id })) };
    if (command === 'ListOrganizationalUnitsForParent') return { OrganizationalUnits: [] };
    if (command === 'ListAccounts') return { Accounts: accounts.map((Id) => ({ Id, Name: Id, Status: 'ACTIVE' })) };
    if (command === 'ListPolicies') return { Policies: [] };
    return undefined;
  };
}

function stsAnswers(assumeRole: () => unknown = () => ({})): Answer {
  return (command, input) => {
    if (command === 'GetCallerIdentity') return { Account: MANAGEMENT, Arn: `arn:aws:iam::${MANAGEMENT}:user/scanner` };
    if (command !== 'AssumeRole') return undefined;
    const problem = assumeRole();
    if (problem instanceof Error) return problem;
    const account = /::(\d{12}):/.exec(String(input.RoleArn))?.[1] ?? '';
    return { Credentials: { AccessKeyId: `ASIA${account}`, SecretAccessKey: 'assumed', SessionToken: 'token' } };
  };
}

/** IAM in the management account: the organization's centralised root access features. */
function rootAccessAnswers(features: string[]): Answer {
  return (command) =>
    command === 'ListOrganizationsFeatures' ? { OrganizationId: 'o-standin', EnabledFeatures: features } : undefined;
}

/** The caller's clients, real SDK clients with stand-ins where the requests would be sent. */
function callerClients(
  settings: AwsClientSettings,
  answers: { sts: Answer; organizations: Answer; iam?: Answer },
): OrgScanClients {
  return {
    sts: standIn(createAwsClient(STSClient, 'sts', settings), answers.sts).client,
    organizations: standIn(createAwsClient(OrganizationsClient, 'organizations', settings), answers.organizations)
      .client,
    ssoAdmin: standIn(createAwsClient(SSOAdminClient, 'sso', settings), (command) =>
      command === 'ListInstances' ? { Instances: [] } : undefined,
    ).client,
    identityStore: createAwsClient(IdentitystoreClient, 'identitystore', settings),
    iam: standIn(createAwsClient(IAMClient, 'iam', settings), answers.iam ?? rootAccessAnswers(['RootSessions']))
      .client,
  };
}

function collected(_accountId: string): AccountCollection {
  return { account: null, gaps: [], apiCalls: { 'iam:GetAccountAuthorizationDetails': 1 }, warnings: [] };
}

function scanOptions(clients: OrgScanClients, overrides: Partial<OrgScanOptions> = {}): OrgScanOptions {
  return {
    clients,
    credentials: KEYS,
    region: 'us-east-1',
    roleName: 'RoleshiftAudit',
    filters: { accounts: [], excludeAccounts: [], ous: [] },
    limit: { current: 2 },
    rolesAnywhereRegions: [],
    counter: new ApiCallCounter(),
    openAccount: async (_credentials, accountId) => ({
      collect: async () => collected(accountId),
      close: () => undefined,
    }),
    readRolesAnywhere: async () => {
      throw new Error('not asked for');
    },
    ...overrides,
  };
}

const settings = (extra: Partial<AwsClientSettings> = {}): AwsClientSettings => ({
  region: 'us-east-1',
  credentials: KEYS,
  maxAttempts: 3,
  ...extra,
});

describe('scanOrganization with stand-in clients', () => {
  it('Given one account at a time, When scanned, Then each account is opened (its credential report asked for) before the one before it has finished', async () => {
    const events: string[] = [];
    const clients = callerClients(settings(), {
      sts: stsAnswers(),
      organizations: organizationAnswers([MANAGEMENT, ...MEMBERS]),
    });
    const openAccount = async (_credentials: unknown, accountId: string): Promise<OpenedAccount> => {
      events.push(`open ${accountId}`);
      return {
        collect: async () => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          events.push(`collected ${accountId}`);
          return collected(accountId);
        },
        close: () => events.push(`closed ${accountId}`),
      };
    };

    await scanOrganization(scanOptions(clients, { limit: { current: 1 }, openAccount }));

    const order = [MANAGEMENT, ...MEMBERS];
    for (const [index, accountId] of order.entries()) {
      expect(events.indexOf(`closed ${accountId}`)).toBeGreaterThan(events.indexOf(`collected ${accountId}`));
      if (index === 0) continue;
      expect(events.indexOf(`open ${accountId}`)).toBeLessThan(events.indexOf(`collected ${order[index - 1]}`));
    }
    expect(events.filter((event) => event.startsWith('open'))).toHaveLength(order.length);
  });

  it('Given STS throttling AssumeRole twice, When scanned, Then the caller-wide limit halves, the retries succeed and each AssumeRole counts once', async () => {
    let throttles = 2;
    const limit = new AdaptiveLimit({ initial: 8, max: 8 });
    const cuts: number[] = [];
    const counter = new ApiCallCounter();
    const clients = callerClients(
      settings({
        counter,
        onThrottle: () => {
          limit.throttled();
          cuts.push(limit.current);
        },
      }),
      {
        sts: stsAnswers(() => (throttles-- > 0 ? awsError('Throttling', 'Rate exceeded', 400) : undefined)),
        organizations: organizationAnswers([MANAGEMENT, ...MEMBERS]),
      },
    );

    const result = await scanOrganization(scanOptions(clients, { limit, counter }));

    expect(cuts[0]).toBe(4);
    expect(result.gaps).toEqual([]);
    expect(result.apiCalls['sts:AssumeRole']).toBe(MEMBERS.length);
    expect(result.apiCalls['iam:GetAccountAuthorizationDetails']).toBe(MEMBERS.length + 1);
  });

  it('Given ListAccounts throttled past every retry, When scanned, Then the scan has one organization-level gap naming the call and is never a trend point', async () => {
    const listing = organizationAnswers([MANAGEMENT, ...MEMBERS]);
    const clients = callerClients(settings({ maxAttempts: 2 }), {
      sts: stsAnswers(),
      organizations: (command, input) =>
        command === 'ListAccounts'
          ? awsError('TooManyRequestsException', 'Rate exceeded', 400)
          : listing(command, input),
    });

    const result = await scanOrganization(scanOptions(clients));

    expect(result.accounts).toEqual([]);
    expect(result.gaps).toEqual([
      expect.objectContaining({
        accountId: MANAGEMENT,
        api: 'organizations:ListAccounts',
        errorCode: 'TooManyRequestsException',
        scope: 'organization',
      }),
    ]);
    expect(result.gaps[0]?.message).toContain('HTTP 400: Rate exceeded; AWS still throttled after every retry');
    expect(isTrendable(result)).toBe(false);
  });

  it('Given the caller cannot be identified, When scanned, Then it is a user error naming sts:GetCallerIdentity and what to do', async () => {
    const clients = callerClients(settings(), {
      sts: () => awsError('ExpiredToken', 'The security token included in the request is expired', 403),
      organizations: organizationAnswers([MANAGEMENT]),
    });

    const failure = await scanOrganization(scanOptions(clients)).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(UserInputError);
    expect((failure as Error).message).toBe(
      'cannot tell who is scanning: sts:GetCallerIdentity in us-east-1 failed (ExpiredToken): HTTP 403: The security token included in the request is expired; the credentials are invalid or expired: refresh them (for example `aws sso login`) and run again',
    );
  });

  it('Given the caller is not the management account for IAM, When scanned, Then the root access features are a gap naming iam:ListOrganizationsFeatures and the organization keeps none', async () => {
    const clients = callerClients(settings(), {
      sts: stsAnswers(),
      organizations: organizationAnswers([MANAGEMENT, ...MEMBERS]),
      iam: () =>
        awsError(
          'AccountNotManagementOrDelegatedAdministratorException',
          'The request was rejected because the account is not the management account or delegated administrator.',
          400,
        ),
    });

    const result = await scanOrganization(scanOptions(clients));

    expect(result.gaps).toEqual([
      expect.objectContaining({
        accountId: MANAGEMENT,
        api: 'iam:ListOrganizationsFeatures',
        errorCode: 'AccountNotManagementOrDelegatedAdministratorException',
      }),
    ]);
    expect(result.rootAccess).toBeUndefined();
  });

  it('Given the management account, When scanned, Then the organization keeps its root access features from one call', async () => {
    const counter = new ApiCallCounter();
    const clients = callerClients(settings({ counter }), {
      sts: stsAnswers(),
      organizations: organizationAnswers([MANAGEMENT]),
      iam: rootAccessAnswers(['RootSessions', 'RootCredentialsManagement']),
    });

    const result = await scanOrganization(scanOptions(clients, { counter }));

    expect(result.gaps).toEqual([]);
    expect(result.rootAccess?.enabledFeatures).toEqual(['RootCredentialsManagement', 'RootSessions']);
    expect(result.apiCalls['iam:ListOrganizationsFeatures']).toBe(1);
  });
});
