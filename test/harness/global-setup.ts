import type { TestProject } from 'vitest/node';
import { detectTools } from './tools.js';

/**
 * Finds the external programs once for the whole run (see tools.ts). On CI a missing moto_server
 * must fail the run, never silently skip the integration tests.
 */
export default async function setup(project: TestProject): Promise<void> {
  const tools = await detectTools();
  project.provide('tools', tools);
  if (tools.motoServer) return;
  if (process.env.CI === 'true') {
    throw new Error(
      'moto_server is not on PATH: CI needs it for the integration tests (pip install "moto[server]==5.2.1").',
    );
  }
  process.stderr.write(
    '\n\u001b[33m!!! moto_server not found: every integration test will be SKIPPED. Install moto[server] 5.2.1 to run them. !!!\u001b[0m\n\n',
  );
}
