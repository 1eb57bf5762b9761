import { Command } from 'commander';
import { exportScript } from '../../app/export-script.js';
import { EXIT } from '../../errors.js';
import { actionOf, withGlobalOptions } from '../command.js';

interface ExportScriptFlags {
  org?: boolean;
  profile?: string;
  region?: string;
  roleName: string;
  externalId?: string;
  accessAdvisor?: boolean;
}

export function register(program: Command): void {
  const command = new Command('export-script')
    .description(
      'Print the AWS CLI commands that export every file a live scan reads, for `roleshift scan --from` (offline).',
    )
    .option(
      '--org',
      'every active account of the Organization, through the audit role (run from the management account)',
    )
    .option('--profile <name>', 'AWS CLI profile the commands use')
    .option('--region <region>', 'AWS region for the calls (IAM is global)')
    .option('--role-name <name>', 'role assumed in each member account (--org)', 'RoleshiftAudit')
    .option('--external-id <id>', 'ExternalId the audit role requires (--org)')
    .option('--access-advisor', "also every user's IAM access advisor report (one job per user), for scan --from")
    .addHelpText(
      'after',
      `
Examples:
  roleshift export-script > export.sh && sh export.sh exports     # one account, into exports/<account-id>/
  roleshift export-script --org --profile management > export.sh  # every account of the Organization
  roleshift export-script --access-advisor > export.sh            # plus each user's IAM access advisor report
  roleshift scan --from exports                                    # then, anywhere, offline`,
    );
  program.addCommand(
    withGlobalOptions(command).action(
      actionOf<ExportScriptFlags>(async (ctx, flags) => {
        ctx.io.out(exportScript({ ...flags, org: Boolean(flags.org) }));
        return EXIT.ok;
      }),
    ),
  );
}
