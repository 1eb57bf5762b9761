import { Command } from 'commander';
import { migrateCheckout } from '../../app/ci-migrate.js';
import { EXIT } from '../../errors.js';
import { paint } from '../../report/terminal.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { writeFileAtomic } from '../write-atomic.js';

export interface CiMigrateOptions {
  roleArn?: string;
  write?: boolean;
}

/** A unified diff with additions green and removals red, when colour is allowed. */
function colourDiff(ctx: CommandContext, diff: string): string {
  return diff
    .trimEnd()
    .split('\n')
    .map((line) =>
      line.startsWith('+') && !line.startsWith('+++')
        ? paint(ctx.io, 'green', line)
        : line.startsWith('-') && !line.startsWith('---')
          ? paint(ctx.io, 'red', line)
          : line,
    )
    .join('\n');
}

export async function runCiMigrate(ctx: CommandContext, path: string, options: CiMigrateOptions): Promise<number> {
  const changes = migrateCheckout(
    { path, ...(options.roleArn === undefined ? {} : { roleArn: options.roleArn }), write: Boolean(options.write) },
    writeFileAtomic,
  );
  const failed = changes.filter((change) => change.error !== null);
  for (const change of failed) ctx.io.warn(`${change.path}: not valid YAML, left alone (${change.error})`);
  const changed = changes.filter((change) => change.changed);
  if (ctx.io.json) {
    const files = changes.map(({ path: file, kind, changed: didChange, diff, notes, error }) => ({
      path: file,
      kind,
      changed: didChange,
      diff,
      notes,
      error,
    }));
    ctx.io.out(JSON.stringify({ written: Boolean(options.write), files }, null, 2));
  } else {
    for (const change of changed) {
      ctx.io.out(colourDiff(ctx, change.diff));
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
