import { Command, Option } from 'commander';
import { generateEstate } from '../../app/plan.js';
import { EXIT, UserInputError } from '../../errors.js';
import { GENERATE_FORMATS, type GeneratedFile, type GenerateFormat } from '../../generate/types.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { resolveConfig, withConfigOption } from '../config-file.js';
import { estateRequestOf, withEstateOptions, withSeedOptions, type EstateFlags } from '../estate.js';
import { filesUnder, writeFilesAtomic } from '../write-atomic.js';

export interface GenerateOptions extends EstateFlags {
  format?: string;
  output?: string;
  config?: string;
}

/** Writes every file under `dir`, all or nothing: a full disk leaves no half-written folder. */
export function writeGenerated(dir: string, files: GeneratedFile[]): void {
  writeFilesAtomic(filesUnder(dir, files));
}

export async function runGenerate(ctx: CommandContext, options: GenerateOptions, selectors: string[]): Promise<number> {
  const format = options.format;
  if (format === undefined || !(GENERATE_FORMATS as readonly string[]).includes(format)) {
    throw new UserInputError(`--format must be one of ${GENERATE_FORMATS.join(', ')}`);
  }
  const config = resolveConfig({ config: options.config });
  const request = { ...estateRequestOf(options, config), users: selectors, format: format as GenerateFormat };
  const { plan, files } = await generateEstate(request, { now: ctx.now, notes: ctx.io });
  if (options.output !== undefined) {
    writeGenerated(options.output, files);
    ctx.io.log(`wrote ${files.length} file(s) for ${plan.users.length} user(s) to ${options.output}`);
    if (ctx.io.json)
      ctx.io.out(JSON.stringify({ directory: options.output, files: files.map((file) => file.path) }, null, 2));
    return EXIT.ok;
  }
  if (ctx.io.json) ctx.io.out(JSON.stringify({ files }, null, 2));
  else ctx.io.out(files.map((file) => `# ==> ${file.path} <==\n${file.content}`).join('\n'));
  return EXIT.ok;
}

export function register(program: Command): void {
  const command = new Command('generate')
    .description(
      'Write the replacement as code: roles, OIDC providers, Identity Center, Roles Anywhere, CLI profiles and guardrails.',
    )
    .argument('[user...]', 'users to generate for (ACCOUNT_ID/USER_NAME or ARN); all when omitted')
    .addOption(new Option('--format <format>', 'what to write').choices([...GENERATE_FORMATS]).makeOptionMandatory())
    .option('-o, --output <dir>', 'write the files into this directory (default: print them)')
    .addHelpText(
      'after',
      `
Examples:
  roleshift generate --format terraform -o infra/roleshift
  roleshift generate --format cloudformation -o cfn --store team.duckdb
  roleshift generate --format json 123456789012/ci-deploy`,
    );
  program.addCommand(
    withGlobalOptions(withConfigOption(withSeedOptions(withEstateOptions(command)))).action(
      actionOf<GenerateOptions>((ctx, options, args) => runGenerate(ctx, options, args)),
    ),
  );
}
