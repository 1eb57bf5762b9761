import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `aws iam ...` with JSON output; works with AWS CLI v1 and v2 (no v2-only flags). */
async function awsIam(env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  const { stdout } = await run('aws', ['iam', ...args, '--output', 'json'], {
    env: { ...env, AWS_PAGER: '' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

/** A file name part from an OIDC provider ARN: `token.actions.githubusercontent.com` → same, `/` → `_`. */
function providerFileName(arn: string): string {
  return arn.slice(arn.indexOf(':oidc-provider/') + ':oidc-provider/'.length).replace(/[^A-Za-z0-9.-]+/g, '_');
}

/**
 * Writes one account's files exactly as the AWS CLI prints them, into `dir`: the inputs of
 * `roleshift scan --from`. `env` points the CLI at the account (for moto: `moto().env()`, which
 * sets AWS_ENDPOINT_URL and static credentials). Returns the file names written.
 */
export async function exportAccountWithCli(env: NodeJS.ProcessEnv, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const save = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    written.push(name);
  };

  save('get-account-authorization-details.json', await awsIam(env, ['get-account-authorization-details']));

  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = (JSON.parse(await awsIam(env, ['generate-credential-report'])) as { State?: string }).State;
    if (state === 'COMPLETE') break;
    if (Date.now() > deadline) throw new Error(`credential report still ${state ?? 'unknown'} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  save('get-credential-report.json', await awsIam(env, ['get-credential-report']));
  save('list-virtual-mfa-devices.json', await awsIam(env, ['list-virtual-mfa-devices']));
  save('get-account-summary.json', await awsIam(env, ['get-account-summary']));
  save('list-account-aliases.json', await awsIam(env, ['list-account-aliases']));
  const providers = await awsIam(env, ['list-open-id-connect-providers']);
  save('list-open-id-connect-providers.json', providers);
  const arns = (
    (JSON.parse(providers) as { OpenIDConnectProviderList?: Array<{ Arn?: string }> }).OpenIDConnectProviderList ?? []
  )
    .map((entry) => entry.Arn)
    .filter((arn): arn is string => typeof arn === 'string');
  for (const arn of arns) {
    save(
      `get-open-id-connect-provider-${providerFileName(arn)}.json`,
      await awsIam(env, ['get-open-id-connect-provider', '--open-id-connect-provider-arn', arn]),
    );
  }
  save('list-saml-providers.json', await awsIam(env, ['list-saml-providers']));
  return written;
}
