import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { renderExportScript, type ExportScriptOptions } from '../../src/collect/export-script.js';

const run = promisify(execFile);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * Runs what `roleshift export-script` prints, with `sh` and the real AWS CLI (v1 or v2), into
 * `dir`: the inputs of `roleshift scan --from`, one sub-folder per account. `env` points the CLI
 * at the account (for moto: `moto().env()`, which sets AWS_ENDPOINT_URL and static credentials).
 * Returns the files written (relative to `dir`), the script's exit code and its stderr.
 */
export async function exportWithScript(
  env: NodeJS.ProcessEnv,
  dir: string,
  options: Partial<ExportScriptOptions> = {},
): Promise<{ files: string[]; status: number; stderr: string }> {
  mkdirSync(dir, { recursive: true });
  const script = join(dir, '..', `${basename(dir)}.export.sh`);
  writeFileSync(script, renderExportScript({ org: false, roleName: 'RoleshiftAudit', ...options }));
  try {
    const { stderr } = await run('sh', [script, dir], { env, maxBuffer: 64 * 1024 * 1024 });
    return { files: filesUnder(dir), status: 0, stderr };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { files: filesUnder(dir), status: failed.code ?? -1, stderr: failed.stderr ?? '' };
  }
}
