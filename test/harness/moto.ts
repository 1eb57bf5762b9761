import { afterAll, beforeAll, beforeEach, describe, inject } from 'vitest';
import { startMotoProcess } from './moto-process.js';

export const MOTO_AVAILABLE = inject('tools').motoServer;

/**
 * A real moto_server on 127.0.0.1 for integration tests. Each test file gets its own server
 * (files run in parallel workers and a reset in one must not wipe another's state); state is
 * reset before every test.
 */
export interface Moto {
  endpoint: string;
  /** Static test credentials; moto accepts any until permission checks are turned on. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  reset(): Promise<void>;
  /** Environment for child processes (the AWS CLI, the built roleshift CLI). */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
}

export async function startMoto(
  options: { managedPolicies?: boolean } = {},
): Promise<Moto & { stop(): Promise<void> }> {
  const server = await startMotoProcess(options);
  const endpoint = server.endpoint;
  const credentials = { accessKeyId: 'AKIAMOTOTESTHARNESS1', secretAccessKey: 'moto-test-secret-not-real' };
  const region = 'us-east-1';
  return {
    endpoint,
    credentials,
    region,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: 'inf' });
    },
    env(extra = {}) {
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const key of Object.keys(env)) if (key.startsWith('AWS_')) delete env[key];
      return {
        ...env,
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_DEFAULT_REGION: region,
        AWS_REGION: region,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
        ...extra,
      };
    },
    stop: () => server.stop(),
  };
}

/**
 * describe() for tests that need moto. Locally, without moto_server, the block is skipped with
 * a loud warning; on CI (CI=true) global-setup has already failed the run.
 */
export function describeWithMoto(
  name: string,
  body: (moto: () => Moto) => void,
  options: { managedPolicies?: boolean } = {},
): void {
  if (!MOTO_AVAILABLE) {
    describe.skip(`${name} (moto_server not found: integration tests skipped)`, () =>
      body(() => {
        throw new Error('moto unavailable');
      }));
    return;
  }
  describe(name, () => {
    let moto: (Moto & { stop(): Promise<void> }) | undefined;
    beforeAll(async () => {
      moto = await startMoto(options);
    });
    afterAll(async () => {
      await moto?.stop();
    });
    beforeEach(async () => {
      await moto?.reset();
    });
    body(() => {
      if (!moto) throw new Error('moto not started');
      return moto;
    });
  });
}
