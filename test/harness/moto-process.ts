import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * A moto_server child process without any vitest dependency, for dev scripts
 * (scripts/build-demo-estate.ts) that need a throwaway AWS on 127.0.0.1.
 */
export interface MotoProcess {
  endpoint: string;
  port: number;
  pid: number | undefined;
  stop(): Promise<void>;
}

async function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no free port on 127.0.0.1'));
      });
    });
  });
}

export interface MotoProcessOptions {
  managedPolicies?: boolean;
  /** Another program that serves moto on the port (the collect benchmark's seeding shard). */
  command?: (port: number) => [string, ...string[]];
}

export async function startMotoProcess(options: MotoProcessOptions = {}): Promise<MotoProcess> {
  const port = await freeLocalPort();
  const endpoint = `http://127.0.0.1:${port}`;
  const [program, ...args] = options.command?.(port) ?? ['moto_server', '-H', '127.0.0.1', '-p', String(port)];
  const child = spawn(program, args, {
    stdio: 'ignore',
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: options.managedPolicies ? 'true' : 'false' },
  });
  const spawnFailure = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`cannot start ${program}: ${error.message}`)));
  });
  const answering = (async () => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${program} exited with ${child.exitCode}`);
      try {
        const response = await fetch(`${endpoint}/moto-api/`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${program} did not answer within 30 s`);
  })();
  try {
    await Promise.race([answering, spawnFailure]);
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  return {
    endpoint,
    port,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
