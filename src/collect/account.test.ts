import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { startAwsLatencyProxy } from '../../test/harness/aws-latency-proxy.js';
import { startFaultProxy } from '../../test/harness/fault-proxy.js';
import { awsError, standIn, type SentCommand } from '../../test/harness/sdk-stand-in.js';
import { describeWithMoto } from '../../test/harness/moto.js';
import { collectAccount } from './account.js';
import { createAccountClients, type AccountClients } from './clients.js';
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
  return awsError(name, 'User is not authorized to perform this action\nsecond line', 403);
}

/**
 * Real SDK clients with a narrow stand-in behind them (test/harness/sdk-stand-in.ts), for what
 * moto cannot do: it ignores MaxItems (so never pages GAAD) and finishes the credential report at
 * once. Anything not handled fails the way an unimplemented API would, which the collector must
 * turn into a gap.
 */
function fakeClients(
  handle: (command: string, input: Record<string, unknown>) => unknown,
): AccountClients & { sent: SentCommand[] } {
  const clients = createAccountClients({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIASTANDIN000000000', secretAccessKey: 'stand-in' },
    maxAttempts: 1,
  });
  const { sent } = standIn(clients.iam, handle);
  standIn(clients.sts, () => ({ Account: ACCOUNT }));
  return Object.assign(clients, { sent });
}

function user(name: string) {
  return {
    UserName: name,
    Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    Path: '/',
    CreateDate: new Date('2025-01-01T00:00:00Z'),
  };
}

const EMPTY_LISTS = {
  VirtualMFADevices: [],
  SummaryMap: {},
  AccountAliases: [],
  OpenIDConnectProviderList: [],
  SAMLProviderList: [],
};

const NO_WAIT = { sleep: async () => undefined };

describe('collectAccount with a narrow stand-in IAM client', () => {
  it('Given GAAD in three pages, When collected, Then the SDK paginator reads every page by Marker and they are merged', async () => {
    const pages: Record<string, { UserDetailList: object[]; IsTruncated: boolean; Marker?: string }> = {
      start: { UserDetailList: [user('a'), user('b')], IsTruncated: true, Marker: 'm1' },
      m1: { UserDetailList: [user('c')], IsTruncated: true, Marker: 'm2' },
      m2: { UserDetailList: [user('d'), user('u1')], IsTruncated: false },
    };
    const clients = fakeClients((command, input) => {
      if (command === 'GetAccountAuthorizationDetails') return pages[(input.Marker as string | undefined) ?? 'start'];
      if (command === 'GenerateCredentialReport') return { State: 'COMPLETE' };
      if (command === 'GetCredentialReport') return { Content: new TextEncoder().encode(REPORT), GeneratedTime: NOW };
      return EMPTY_LISTS;
    });
    const result = await collectAccount(clients, { now: () => NOW, gaadPageSize: 2 });
    const markers = clients.sent
      .filter((sent) => sent.command === 'GetAccountAuthorizationDetails')
      .map((sent) => sent.input);
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
      if (command === 'GetAccountAuthorizationDetails')
        return { UserDetailList: [], IsTruncated: true, Marker: 'same' };
      return denied();
    });
    const result = await collectAccount(clients, { now: () => NOW, ...NO_WAIT });
    expect(result.account).toBeNull();
    expect(result.gaps.find((gap) => gap.api === 'iam:GetAccountAuthorizationDetails')?.message).toBe(
      'the same Marker came back twice after 2 pages',
    );
  });

  it('Given the report is still being generated twice, When collected, Then it waits with a doubling injected sleep and reads it, asking for generation once', async () => {
    const answers: unknown[] = [denied('ReportInProgress'), denied('ReportInProgress')];
    const sleeps: number[] = [];
    const clients = fakeClients((command) => {
      if (command === 'GenerateCredentialReport') return { State: 'STARTED' };
      if (command === 'GetCredentialReport')
        return answers.shift() ?? { Content: new TextEncoder().encode(REPORT), GeneratedTime: NOW };
      if (command === 'GetAccountAuthorizationDetails') return { UserDetailList: [user('u1')], IsTruncated: false };
      return denied();
    });
    const result = await collectAccount(clients, {
      now: () => NOW,
      reportPollMs: 5,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(sleeps).toEqual([5, 10]);
    expect(clients.sent.filter((sent) => sent.command === 'GenerateCredentialReport')).toHaveLength(1);
    expect(result.account?.credentialReport).toEqual({
      generatedAt: { state: 'at', at: '2026-11-23T10:00:00Z' },
      rows: 1,
    });
    expect(result.account?.users[0]?.inCredentialReport).toBe(true);
  });

  it('Given the report never completes, When collected, Then waiting is bounded and becomes a ReportNotReady gap', async () => {
    const clients = fakeClients((command) => {
      if (command === 'GenerateCredentialReport') return { State: 'INPROGRESS' };
      if (command === 'GetCredentialReport') return denied('ReportInProgress');
      if (command === 'GetAccountAuthorizationDetails') return { UserDetailList: [], IsTruncated: false };
      return denied();
    });
    const result = await collectAccount(clients, {
      now: () => NOW,
      reportPollMs: 10,
      reportMaxWaitMs: 30,
      ...NO_WAIT,
    });
    expect(result.gaps.filter((gap) => gap.api.includes('CredentialReport'))).toEqual([
      {
        accountId: ACCOUNT,
        region: null,
        api: 'iam:GetCredentialReport',
        errorCode: 'ReportNotReady',
        message: 'the credential report was still being generated after 0 s; run the scan again later',
      },
    ]);
    expect(result.account?.credentialReport).toBeNull();
  });

  it('Given generation is denied but an earlier report exists, When collected, Then the report is read and the denied Generate is a gap', async () => {
    const clients = fakeClients((command) => {
      if (command === 'GetCredentialReport') return { Content: new TextEncoder().encode(REPORT), GeneratedTime: NOW };
      if (command === 'GetAccountAuthorizationDetails') return { UserDetailList: [user('u1')], IsTruncated: false };
      if (command === 'GenerateCredentialReport') return denied();
      return EMPTY_LISTS;
    });
    const result = await collectAccount(clients, { now: () => NOW, ...NO_WAIT });
    expect(result.account?.credentialReport?.rows).toBe(1);
    expect(result.gaps.map((gap) => [gap.api, gap.errorCode])).toEqual([
      ['iam:GenerateCredentialReport', 'AccessDenied'],
    ]);
  });

  it('Given every IAM call is denied, When collected, Then the account is null (unknown, not clean) and each API is one gap naming the status and what to do', async () => {
    const clients = fakeClients(() => denied());
    const result = await collectAccount(clients, { now: () => NOW, ...NO_WAIT });
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
    expect(result.gaps.find((gap) => gap.api === 'iam:GetAccountSummary')?.message).toBe(
      'HTTP 403: User is not authorized to perform this action; allow iam:GetAccountSummary to the credentials in use (deploy/audit-role.yaml lists what the scan reads)',
    );
    expect(result.warnings).toEqual([
      `${ACCOUNT}: the authorization details could not be read, so its users are unknown: the account is left out (see the gaps)`,
    ]);
  });

  it('Given an OIDC provider that can be listed but not read, When collected, Then it is kept from its ARN and the Get is a gap', async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.example.com`;
    const clients = fakeClients((command) => {
      if (command === 'GetAccountAuthorizationDetails') return { IsTruncated: false };
      if (command === 'ListOpenIDConnectProviders') return { OpenIDConnectProviderList: [{ Arn: arn }] };
      return denied();
    });
    const result = await collectAccount(clients, { now: () => NOW, ...NO_WAIT });
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

  it('Given AWS takes a second to generate the credential report (answered as AWS does), When collected, Then the collector waits for it instead of reporting a gap', async () => {
    const admin = new IAMClient({ endpoint: moto().endpoint, region: moto().region, credentials: moto().credentials });
    await admin.send(new CreateUserCommand({ UserName: 'ann' }));
    admin.destroy();
    const proxy = await startAwsLatencyProxy({ shards: [moto().endpoint], reportDelayMs: 1000 });
    try {
      const clients = createAccountClients({
        region: moto().region,
        endpoint: proxy.endpoint,
        credentials: moto().credentials,
      });
      const result = await collectAccount(clients, { now: () => NOW, reportPollMs: 100 });
      clients.destroy();
      expect(result.gaps).toEqual([]);
      expect(result.account?.credentialReport?.rows).toBe(1);
      expect(result.account?.users.map((user) => [user.name, user.inCredentialReport])).toEqual([['ann', true]]);
      const calls = proxy.calls.get('123456789012');
      expect(calls?.get('iam:GenerateCredentialReport')).toBe(1);
      // Read too early at least once (AWS's ReportInProgress), then read when ready.
      expect(calls?.get('iam:GetCredentialReport')).toBeGreaterThan(1);
    } finally {
      await proxy.close();
    }
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
