import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  IAMClient,
  PutUserPolicyCommand,
  type GetAccountAuthorizationDetailsCommandInput,
} from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { startFaultProxy } from '../../test/harness/fault-proxy.js';
import { describeWithMoto } from '../../test/harness/moto.js';
import { collectAccount } from './account.js';
import { ApiCallCounter, createAccountClients, type AccountClients } from './clients.js';
import { CREDENTIAL_REPORT_COLUMNS } from './credential-report.js';

const ACCOUNT = '111122223333';
const NOW = new Date('2026-11-23T10:00:00Z');
const REPORT = `${CREDENTIAL_REPORT_COLUMNS.join(',')}\n${CREDENTIAL_REPORT_COLUMNS.map((column) =>
  column === 'user'
    ? 'u1'
    : column === 'arn'
      ? `arn:aws:iam::${ACCOUNT}:user/u1`
      : column === 'user_creation_time'
        ? '2025-01-01T00:00:00+00:00'
        : column.endsWith('_active') || column === 'password_enabled'
          ? 'false'
          : 'N/A',
).join(',')}`;

function denied(name = 'AccessDenied'): Error {
  return Object.assign(new Error(`User is not authorized to perform this action\nsecond line`), { name });
}

/**
 * A narrow stand-in for the IAM client, for what moto cannot do: it ignores MaxItems (so never
 * pages GAAD) and answers GenerateCredentialReport COMPLETE at once. Anything not handled fails
 * the way an unimplemented API would, which the collector must turn into a gap.
 */
function fakeClients(handle: (command: object) => unknown): AccountClients & { sent: object[] } {
  const sent: object[] = [];
  const send = async (command: object) => {
    sent.push(command);
    const answer = handle(command);
    if (answer instanceof Error) throw answer;
    if (answer === undefined) throw Object.assign(new Error('not implemented'), { name: 'NotImplemented' });
    return answer;
  };
  return {
    iam: { send } as unknown as IAMClient,
    sts: { send: async () => ({ Account: ACCOUNT }) } as unknown as STSClient,
    region: 'eu-west-1',
    counter: new ApiCallCounter(),
    sent,
  };
}

function user(name: string) {
  return {
    UserName: name,
    Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    Path: '/',
    CreateDate: new Date('2025-01-01T00:00:00Z'),
  };
}

describe('collectAccount with a narrow fake IAM client', () => {
  it('Given GAAD in three pages, When collected, Then every page is read by Marker and merged', async () => {
    const pages: Record<string, { UserDetailList: object[]; IsTruncated: boolean; Marker?: string }> = {
      start: { UserDetailList: [user('a'), user('b')], IsTruncated: true, Marker: 'm1' },
      m1: { UserDetailList: [user('c')], IsTruncated: true, Marker: 'm2' },
      m2: { UserDetailList: [user('d'), user('u1')], IsTruncated: false },
    };
    const clients = fakeClients((command) => {
      if (command instanceof GetAccountAuthorizationDetailsCommand) {
        return pages[(command.input as GetAccountAuthorizationDetailsCommandInput).Marker ?? 'start'];
      }
      if (command instanceof GenerateCredentialReportCommand) return { State: 'COMPLETE' };
      if (command instanceof GetCredentialReportCommand)
        return { Content: new TextEncoder().encode(REPORT), GeneratedTime: NOW };
      return {
        VirtualMFADevices: [],
        SummaryMap: {},
        AccountAliases: [],
        OpenIDConnectProviderList: [],
        SAMLProviderList: [],
      };
    });
    const result = await collectAccount(clients, { now: () => NOW, gaadPageSize: 2 });
    const markers = clients.sent
      .filter((command) => command instanceof GetAccountAuthorizationDetailsCommand)
      .map((command) => (command as GetAccountAuthorizationDetailsCommand).input);
    expect(markers).toEqual([
      { Marker: undefined, MaxItems: 2 },
      { Marker: 'm1', MaxItems: 2 },
      { Marker: 'm2', MaxItems: 2 },
    ]);
    expect(result.account?.users.map((u) => u.name)).toEqual(['a', 'b', 'c', 'd', 'u1']);
    expect(result.gaps).toEqual([]);
  });

  it('Given a Marker that repeats, When collected, Then GAAD becomes a gap instead of looping forever', async () => {
    const clients = fakeClients((command) => {
      if (command instanceof GetAccountAuthorizationDetailsCommand)
        return { UserDetailList: [], IsTruncated: true, Marker: 'same' };
      return denied();
    });
    const result = await collectAccount(clients, { now: () => NOW });
    expect(result.account).toBeNull();
    expect(result.gaps.find((gap) => gap.api === 'iam:GetAccountAuthorizationDetails')?.message).toBe(
      'the same Marker came back twice after 2 pages',
    );
  });

  it('Given the report is STARTED then INPROGRESS then COMPLETE, When collected, Then it polls with a doubling injected sleep and reads it', async () => {
    const states = ['STARTED', 'INPROGRESS', 'COMPLETE'];
    const sleeps: number[] = [];
    const clients = fakeClients((command) => {
      if (command instanceof GenerateCredentialReportCommand) return { State: states.shift() };
      if (command instanceof GetCredentialReportCommand)
        return { Content: new TextEncoder().encode(REPORT), GeneratedTime: NOW };
      if (command instanceof GetAccountAuthorizationDetailsCommand)
        return { UserDetailList: [user('u1')], IsTruncated: false };
      return denied();
    });
    const result = await collectAccount(clients, {
      now: () => NOW,
      reportPollMs: 5,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(sleeps).toEqual([5, 10]);
    expect(result.account?.credentialReport).toEqual({
      generatedAt: { state: 'at', at: '2026-11-23T10:00:00Z' },
      rows: 1,
    });
    expect(result.account?.users[0]?.inCredentialReport).toBe(true);
  });

  it('Given the report never completes, When collected, Then waiting is bounded and becomes a ReportNotReady gap', async () => {
    const clients = fakeClients((command) => {
      if (command instanceof GenerateCredentialReportCommand) return { State: 'INPROGRESS' };
      if (command instanceof GetCredentialReportCommand) return denied('ReportInProgress');
      if (command instanceof GetAccountAuthorizationDetailsCommand) return { UserDetailList: [], IsTruncated: false };
      return denied();
    });
    const result = await collectAccount(clients, {
      now: () => NOW,
      reportPollMs: 10,
      reportMaxWaitMs: 30,
      sleep: async () => undefined,
    });
    expect(result.gaps.filter((gap) => gap.api.includes('CredentialReport'))).toEqual([
      {
        accountId: ACCOUNT,
        region: null,
        api: 'iam:GenerateCredentialReport',
        errorCode: 'ReportNotReady',
        message: 'the credential report was still INPROGRESS after 0 s',
      },
      {
        accountId: ACCOUNT,
        region: null,
        api: 'iam:GetCredentialReport',
        errorCode: 'ReportInProgress',
        message: 'User is not authorized to perform this action',
      },
    ]);
    expect(result.account?.credentialReport).toBeNull();
  });

  it('Given every IAM call is denied, When collected, Then the account is null (unknown, not clean) and each API is one gap', async () => {
    const clients = fakeClients(() => denied());
    const result = await collectAccount(clients, { now: () => NOW });
    expect(result.account).toBeNull();
    expect(result.gaps.map((gap) => gap.api)).toEqual([
      'iam:GenerateCredentialReport',
      'iam:GetAccountAuthorizationDetails',
      'iam:GetAccountSummary',
      'iam:GetCredentialReport',
      'iam:ListAccountAliases',
      'iam:ListOpenIDConnectProviders',
      'iam:ListSAMLProviders',
      'iam:ListVirtualMFADevices',
    ]);
    expect(result.gaps.every((gap) => gap.accountId === ACCOUNT && gap.errorCode === 'AccessDenied')).toBe(true);
    expect(result.warnings).toEqual([
      `${ACCOUNT}: the authorization details could not be read, so its users are unknown: the account is left out (see the gaps)`,
    ]);
  });

  it('Given an OIDC provider that can be listed but not read, When collected, Then it is kept from its ARN and the Get is a gap', async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.example.com`;
    const clients = fakeClients((command) => {
      if (command instanceof GetAccountAuthorizationDetailsCommand) return { IsTruncated: false };
      if (command.constructor.name === 'ListOpenIDConnectProvidersCommand')
        return { OpenIDConnectProviderList: [{ Arn: arn }] };
      return denied();
    });
    const result = await collectAccount(clients, { now: () => NOW });
    expect(result.account?.oidcProviders).toEqual([
      { arn, url: 'gitlab.example.com', clientIds: [], thumbprints: [], createDate: { state: 'unknown' }, tags: {} },
    ]);
    expect(result.gaps.some((gap) => gap.api === 'iam:GetOpenIDConnectProvider')).toBe(true);
  });
});

describeWithMoto('collectAccount against moto: real permission checks and injected faults', (moto) => {
  it('Given a scanner whose policy denies GetAccountAuthorizationDetails, When collected, Then GAAD is an AccessDenied gap, the account is null and the other calls still ran', async () => {
    const admin = new IAMClient({ endpoint: moto().endpoint, region: moto().region, credentials: moto().credentials });
    await admin.send(new CreateUserCommand({ UserName: 'scanner' }));
    await admin.send(
      new PutUserPolicyCommand({
        UserName: 'scanner',
        PolicyName: 'read-but-not-gaad',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: '*', Resource: '*' },
            { Effect: 'Deny', Action: 'iam:GetAccountAuthorizationDetails', Resource: '*' },
          ],
        }),
      }),
    );
    const key = (await admin.send(new CreateAccessKeyCommand({ UserName: 'scanner' }))).AccessKey;
    admin.destroy();
    await fetch(`${moto().endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });

    const clients = createAccountClients({
      region: moto().region,
      endpoint: moto().endpoint,
      credentials: { accessKeyId: key?.AccessKeyId as string, secretAccessKey: key?.SecretAccessKey as string },
      maxAttempts: 1,
    });
    const result = await collectAccount(clients, { now: () => NOW, reportPollMs: 10, sleep: async () => undefined });
    expect(result.account).toBeNull();
    expect(result.gaps).toEqual([
      expect.objectContaining({
        accountId: '123456789012',
        region: null,
        api: 'iam:GetAccountAuthorizationDetails',
        errorCode: 'AccessDenied',
      }),
    ]);
    expect(result.apiCalls).toMatchObject({
      'sts:GetCallerIdentity': 1,
      'iam:GetAccountAuthorizationDetails': 1,
      'iam:ListSAMLProviders': 1,
    });
  });

  it('Given a proxy that throttles, fails and drops 30% of requests, When collected, Then adaptive retry reads the same account with no gap and counts each API once', async () => {
    const admin = new IAMClient({ endpoint: moto().endpoint, region: moto().region, credentials: moto().credentials });
    for (const name of ['ann', 'ben', 'cat']) {
      await admin.send(new CreateUserCommand({ UserName: name }));
      await admin.send(new CreateAccessKeyCommand({ UserName: name }));
    }
    admin.destroy();
    const direct = await collectAccount(
      createAccountClients({ region: moto().region, endpoint: moto().endpoint, credentials: moto().credentials }),
      {
        now: () => NOW,
        reportPollMs: 10,
      },
    );
    const proxy = await startFaultProxy({ target: moto().endpoint, faultRate: 0.3, seed: 7 });
    try {
      const clients = createAccountClients({
        region: moto().region,
        endpoint: proxy.endpoint,
        credentials: moto().credentials,
        maxAttempts: 10,
      });
      const result = await collectAccount(clients, { now: () => NOW, reportPollMs: 10 });
      expect(proxy.stats.throttled + proxy.stats.serverErrors + proxy.stats.dropped).toBeGreaterThan(0);
      expect(result.gaps).toEqual([]);
      expect(result.account?.users).toEqual(direct.account?.users);
      expect(result.apiCalls['iam:GetAccountAuthorizationDetails']).toBe(1);
      expect(result.apiCalls['iam:GetCredentialReport']).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});
