import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
} from '@aws-sdk/client-iam';
import { createAccountAccess } from '../../src/remediate/accounts.js';
import type { EngineDeps } from '../../src/remediate/engine.js';
import { createIamGateway } from '../../src/remediate/iam-gateway.js';
import { ensureJournalTables } from '../../src/remediate/journal.js';
import type { SafetyVerdict } from '../../src/remediate/safety.js';
import { openStore } from '../../src/store/store.js';
import type { UserState } from '../../src/remediate/plan-steps.js';
import { BUILT_CLI } from '../e2e/run-cli.js';
import type { Moto } from '../harness/moto.js';

export const HOME_ACCOUNT = '123456789012';
export const OTHER_ACCOUNT = '222222222222';

/** An IAM client acting in `accountId` of moto (header x-moto-account-id), as test set-up. */
export function adminClient(moto: Moto, endpoint: string, accountId: string = HOME_ACCOUNT): IAMClient {
  const client = new IAMClient({ endpoint, region: moto.region, credentials: moto.credentials });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-moto-account-id'] = accountId;
      return next(args);
    },
    { step: 'build', name: 'motoAccount' },
  );
  return client;
}

/** Policy documents with odd spacing and key order: a rollback must give them back byte for byte. */
export const INLINE_DOCUMENT =
  '{"Version": "2012-10-17",  "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject","s3:PutObject"], "Resource": "arn:aws:s3:::deploy-bucket/*"}]}';

const SELF_SIGNED_CERT = `-----BEGIN CERTIFICATE-----
MIIBsDCCAVagAwIBAgITMnY8m3spucXXIG3z/B7GACNTHjAKBggqhkjOPQQDAjAu
MSwwKgYDVQQDDCNyb2xlc2hpZnQtdGVzdC1jZXJ0aWZpY2F0ZS1ub3QtcmVhbDAe
Fw0yNjExMjMwOTM1MTdaFw0zNjExMjAwOTM1MTdaMC4xLDAqBgNVBAMMI3JvbGVz
aGlmdC10ZXN0LWNlcnRpZmljYXRlLW5vdC1yZWFsMFkwEwYHKoZIzj0CAQYIKoZI
zj0DAQcDQgAEnk89jbS4qsxNiBWDrQhK89qLdIqXfYWQQK7ZXfBQMcwcGnjeeZ2Y
CJtkw6Q4WT8XhD0jvPX6JZBf1+AN0V+UaaNTMFEwHQYDVR0OBBYEFFNMHpenNjop
7ymlmT2E8krhAyBqMB8GA1UdIwQYMBaAFFNMHpenNjop7ymlmT2E8krhAyBqMA8G
A1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgIDmGMpf6sMWDXNeBnMBB
YP5CNCevqboDYCXvqr3jnoQCIQDNZ7fhvU6iHS8wtb6XSIycpmCa+xKONZtwjuc8
NzFB2g==
-----END CERTIFICATE-----`;

const SSH_PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILmfVdgDWgrRGsyxY5lYZgEWagbRBHKp8hKG4hkjHY9I test@roleshift';

export interface SeededUser {
  accountId: string;
  userName: string;
  /** Only for test set-up (signing calls as the user); roleshift itself never sees secrets. */
  keys: Array<{ accessKeyId: string; secretAccessKey: string }>;
}

/**
 * A user with one of everything moto can hold: two keys (one already inactive), a console
 * password, a virtual MFA device, a signing certificate, an SSH key, two inline policies, a
 * managed policy, two groups and tags (one of them a value roleshift must not disturb).
 */
export async function seedFullUser(client: IAMClient, accountId: string, userName: string): Promise<SeededUser> {
  await client.send(
    new CreateUserCommand({
      UserName: userName,
      Path: '/teams/platform/',
      Tags: [
        { Key: 'owner', Value: 'platform@example.com' },
        { Key: 'cost center', Value: 'A/B = 1+2' },
      ],
    }),
  );
  const keys: SeededUser['keys'] = [];
  for (let index = 0; index < 2; index += 1) {
    const key = await client.send(new CreateAccessKeyCommand({ UserName: userName }));
    keys.push({ accessKeyId: key.AccessKey?.AccessKeyId ?? '', secretAccessKey: key.AccessKey?.SecretAccessKey ?? '' });
  }
  await client.send(
    new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: keys[1]?.accessKeyId, Status: 'Inactive' }),
  );
  await client.send(
    new CreateLoginProfileCommand({
      UserName: userName,
      Password: 'Not-a-real-password-1!',
      PasswordResetRequired: false,
    }),
  );
  await client.send(
    new PutUserPolicyCommand({ UserName: userName, PolicyName: 'deploy', PolicyDocument: INLINE_DOCUMENT }),
  );
  await client.send(
    new PutUserPolicyCommand({
      UserName: userName,
      PolicyName: 'logs',
      PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}',
    }),
  );
  const policy = await client.send(
    new CreatePolicyCommand({
      PolicyName: `${userName}-managed`,
      PolicyDocument:
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}',
    }),
  );
  await client.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policy.Policy?.Arn }));
  for (const group of [`${userName}-devs`, `${userName}-ops`]) {
    await client.send(new CreateGroupCommand({ GroupName: group }));
    await client.send(new AddUserToGroupCommand({ UserName: userName, GroupName: group }));
  }
  const mfa = await client.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${userName}-mfa` }));
  await client.send(
    new EnableMFADeviceCommand({
      UserName: userName,
      SerialNumber: mfa.VirtualMFADevice?.SerialNumber,
      AuthenticationCode1: '123456',
      AuthenticationCode2: '654321',
    }),
  );
  await client.send(new UploadSigningCertificateCommand({ UserName: userName, CertificateBody: SELF_SIGNED_CERT }));
  await client.send(new UploadSSHPublicKeyCommand({ UserName: userName, SSHPublicKeyBody: SSH_PUBLIC_KEY }));
  return { accountId, userName, keys };
}

/** The remediation role in a member account, trusting the home account (what deploy/remediate-role.yaml creates). */
export async function createRemediateRole(
  client: IAMClient,
  trustedAccount: string,
  roleName = 'RoleshiftRemediate',
): Promise<void> {
  await client.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${trustedAccount}:root` }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
}

/** The user as roleshift reads it, or null when gone: what the crash tests compare. */
export async function readState(client: IAMClient, accountId: string, userName: string): Promise<UserState | null> {
  return createIamGateway(client, accountId).readUser(userName);
}

/** State without the values that legitimately differ between two runs (the since timestamp, generated ids). */
export function comparable(state: UserState | null): unknown {
  if (!state) return null;
  return {
    ...state,
    userId: '<id>',
    tags: state.tags.map((tag) => (tag.Key === 'roleshift:since' ? { Key: tag.Key, Value: '<since>' } : tag)),
  };
}

export interface RecordedCall {
  accountId: string;
  api: string;
  input: Record<string, unknown>;
}

/** Engine dependencies against moto, with every IAM call recorded in send order (SDK middleware). */
export async function engineAgainstMoto(
  moto: Moto,
  endpoint: string,
  storePath = ':memory:',
  credentials: { accessKeyId: string; secretAccessKey: string } = moto.credentials,
): Promise<{ deps: EngineDeps; calls: RecordedCall[]; close(): void }> {
  const store = await openStore(storePath);
  await ensureJournalTables(store.connection);
  const calls: RecordedCall[] = [];
  const deps: EngineDeps = {
    connection: store.connection,
    access: createAccountAccess({
      roleName: 'RoleshiftRemediate',
      endpoint,
      region: moto.region,
      credentials,
      instrument: (client, accountId) => {
        client.middlewareStack.add(
          (next, context) => async (args) => {
            calls.push({
              accountId,
              api: String(context.commandName).replace(/Command$/, ''),
              input: args.input as Record<string, unknown>,
            });
            return next(args);
          },
          { step: 'initialize', name: 'recordCalls' },
        );
      },
    }),
    clock: () => new Date(),
    newId: () => randomUUID(),
  };
  return { deps, calls, close: () => store.close() };
}

export const ALLOW_ALL_SAFETY = (): SafetyVerdict => ({ allowed: true, refusals: [], overridden: [], notes: [] });

export interface BuiltRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `roleshift remediate ARGS` with the built CLI (npm run build), as a user runs it, against moto. */
export function builtRemediate(moto: Moto, env: Record<string, string>, args: string[]): Promise<BuiltRun> {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run npm run build first (npm test does)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT_CLI, 'remediate', ...args, '--no-color'], {
      env: moto.env({ NO_COLOR: '1', ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
