/**
 * `ci-migrate`: the CI files of a checkout rewritten from access keys to OIDC role assumption.
 * Reads the checkout, rewrites in memory (pure), and writes only when asked.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { migrateCiFiles, type CiFile, type CiFileChange } from '../ci-migrate/migrate.js';
import { InputFileError, UserInputError } from '../errors.js';
import type { WriteFile } from './ports.js';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

function readCiFile(file: string, shown: string): CiFile {
  return { path: shown.split(sep).join('/'), text: readFileSync(file, 'utf8') };
}

/** The CI files of a checkout: `.github/workflows/*.yml` and `.gitlab-ci.yml`, or the one file named. */
export function findCiFiles(path: string): CiFile[] {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch {
    throw new InputFileError(path, 'no such file or folder');
  }
  const root = resolve(path);
  if (stats.isFile()) {
    // One file: GitLab by its name, anything else is read as a GitHub workflow.
    const name = basename(root);
    return [readCiFile(root, /^\.gitlab-ci\.ya?ml$/.test(name) ? name : `.github/workflows/${name}`)];
  }
  const files: CiFile[] = [];
  const workflows = join(root, '.github', 'workflows');
  try {
    for (const name of readdirSync(workflows).sort()) {
      if (/\.ya?ml$/.test(name)) files.push(readCiFile(join(workflows, name), `.github/workflows/${name}`));
    }
  } catch {
    // No GitHub workflows in this checkout.
  }
  for (const name of ['.gitlab-ci.yml', '.gitlab-ci.yaml']) {
    try {
      files.push(readCiFile(join(root, name), name));
    } catch {
      // No GitLab pipeline under this name.
    }
  }
  return files;
}

export interface CiMigrateRequest {
  path: string;
  roleArn?: string;
  write: boolean;
}

/** Every CI file's change; with `write`, the changed files are rewritten in place. */
export function migrateCheckout(request: CiMigrateRequest, write: WriteFile): CiFileChange[] {
  if (request.roleArn !== undefined && !ROLE_ARN.test(request.roleArn)) {
    throw new UserInputError(
      `--role-arn ${request.roleArn} is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)`,
    );
  }
  const files = findCiFiles(request.path);
  if (files.length === 0)
    throw new UserInputError(
      `${request.path}: no .github/workflows/*.yml or .gitlab-ci.yml found: point at a repository checkout`,
    );
  const changes = migrateCiFiles(files, { roleArn: request.roleArn });
  if (request.write) {
    const root = statSync(request.path).isFile() ? null : resolve(request.path);
    for (const change of changes.filter((c) => c.changed))
      write(root ? join(root, ...change.path.split('/')) : resolve(request.path), change.newText);
  }
  return changes;
}
