import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { Command } from 'commander';
import { migrateCiFiles, type CiFile } from '../../ci-migrate/migrate.js';
import { EXIT, InputFileError, UserInputError } from '../../errors.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { paint } from '../io.js';
import { writeFileAtomic } from '../write-atomic.js';

export interface CiMigrateOptions {
  roleArn?: string;
  write?: boolean;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** The CI files of a checkout: `.github/workflows/*.yml` and `.gitlab-ci.yml`, or the one file named. */
export function findCiFiles(path: string): CiFile[] {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new InputFileError(path, 'no such file or folder');
  }
  const root = resolve(path);
  const read = (file: string, shown: string): CiFile => ({
    path: shown.split(sep).join('/'),
    text: readFileSync(file, 'utf8'),
  });
  if (stats.isFile()) {
    // One file: GitLab by its name, anything else is read as a GitHub workflow.
    const name = basename(root);
    return [read(root, /^\.gitlab-ci\.ya?ml$/.test(name) ? name : `.github/workflows/${name}`)];
  }
  const files: CiFile[] = [];
  const workflows = join(root, '.github', 'workflows');
  try {
    for (const name of readdirSync(workflows).sort()) {
      if (/\.ya?ml$/.test(name)) files.push(read(join(workflows, name), `.github/workflows/${name}`));
    }
  } catch {
    // No GitHub workflows in this checkout.
  }
  for (const name of ['.gitlab-ci.yml', '.gitlab-ci.yaml']) {
    try {
      files.push(read(join(root, name), name));
    } catch {
      // No GitLab pipeline under this name.
    }
  }
  return files;
}

export async function runCiMigrate(ctx: CommandContext, path: string, options: CiMigrateOptions): Promise<number> {
  if (options.roleArn !== undefined && !ROLE_ARN.test(options.roleArn)) {
    throw new UserInputError(
      `--role-arn ${options.roleArn} is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)`,
    );
  }
  const files = findCiFiles(path);
  if (files.length === 0)
    throw new UserInputError(
      `${path}: no .github/workflows/*.yml or .gitlab-ci.yml found: point at a repository checkout`,
    );
  const changes = migrateCiFiles(files, { roleArn: options.roleArn });
  const failed = changes.filter((change) => change.error !== null);
  for (const change of failed) ctx.io.warn(`${change.path}: not valid YAML, left alone (${change.error})`);
  const changed = changes.filter((change) => change.changed);
  if (options.write) {
    const root = statSync(path).isFile() ? null : resolve(path);
    for (const change of changed) {
      const target = root ? join(root, ...change.path.split('/')) : resolve(path);
      writeFileAtomic(target, change.newText);
    }
  }
  if (ctx.io.json) {
    ctx.io.out(
      JSON.stringify(
        {
          written: Boolean(options.write),
          files: changes.map(({ path: file, kind, changed: didChange, diff, notes, error }) => ({
            path: file,
            kind,
            changed: didChange,
            diff,
            notes,
            error,
          })),
        },
        null,
        2,
      ),
    );
  } else {
    for (const change of changed) {
      ctx.io.out(
        change.diff
          .trimEnd()
          .split('\n')
          .map((line) =>
            line.startsWith('+') && !line.startsWith('+++')
              ? paint(ctx.io, 'green', line)
              : line.startsWith('-') && !line.startsWith('---')
                ? paint(ctx.io, 'red', line)
                : line,
          )
          .join('\n'),
      );
      for (const note of change.notes) ctx.io.log(`${change.path}: ${note}`);
    }
  }
  const untouched = changes.length - changed.length - failed.length;
  ctx.io.log(
    `${changed.length} file(s) ${options.write ? 'rewritten' : 'would change (run again with --write)'}, ${untouched} without access keys left as they are`,
  );
  return failed.length > 0 ? EXIT.usage : EXIT.ok;
}

export function register(program: Command): void {
  const command = new Command('ci-migrate')
    .description(
      'Rewrite GitHub Actions and GitLab CI pipelines from access keys to OIDC role assumption; prints a diff.',
    )
    .argument('<path>', 'a repository checkout (or one workflow file)')
    .option('--role-arn <arn>', 'the role the pipeline assumes (default: a repository / CI variable AWS_ROLE_ARN)')
    .option('--write', 'change the files (default: only print the diff)')
    .addHelpText(
      'after',
      `
Examples:
  roleshift ci-migrate ../site                                   # show the diff
  roleshift ci-migrate ../site --role-arn arn:aws:iam::123456789012:role/roleshift/site-deploy-oidc --write`,
    );
  program.addCommand(
    withGlobalOptions(command).action(
      actionOf<CiMigrateOptions>((ctx, options, args) => runCiMigrate(ctx, args[0] ?? '.', options)),
    ),
  );
}
