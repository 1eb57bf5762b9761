import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { invocationsOf } from '../harness/help-examples.js';
import { cleanEnv, REPO_ROOT, runCli } from './run-cli.js';

/** Every command path in the registry, subcommands included, e.g. ['activity', 'usage']. */
function commandPaths(): Array<{ path: string[]; leaf: boolean }> {
  const program = new Command('roleshift');
  for (const register of COMMANDS) register(program);
  const out: Array<{ path: string[]; leaf: boolean }> = [];
  const walk = (command: Command, prefix: string[]) => {
    for (const sub of command.commands) {
      const path = [...prefix, sub.name()];
      out.push({ path, leaf: sub.commands.length === 0 });
      walk(sub, path);
    }
  };
  walk(program, []);
  return out;
}

const PATHS = commandPaths();

describe('roleshift <command> --help (built CLI)', () => {
  it('Given the registry, When listed, Then it holds the report and serve commands among the rest', () => {
    expect(PATHS.map((p) => p.path.join(' '))).toEqual(
      expect.arrayContaining(['scan', 'findings', 'plan', 'report', 'serve', 'demo']),
    );
  });

  it.each(PATHS.map((p) => [p.path.join(' '), p] as const))(
    'Given %s, When --help is asked, Then it shows examples that name the command',
    async (name, { path, leaf }) => {
      const run = await runCli([...path, '--help'], { cwd: REPO_ROOT, env: cleanEnv({ NO_COLOR: '1' }) });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/\nExamples:\n/);
      const examples = run.stdout.slice(run.stdout.indexOf('Examples:'));
      expect(examples).toContain(`roleshift ${name}`);
      if (leaf) {
        expect(run.stdout).toContain('--json');
        expect(run.stdout).toContain('--no-color');
      }
      expect(run.stdout).not.toMatch(/\u001b\[/);
    },
  );
});

/** Commands whose examples need no AWS account, no store and no input file: they must run as shown. */
const RUN_OFFLINE = ['activity athena-ddl', 'export-script'];

describe('the --help examples that run offline (built CLI)', () => {
  it.each(RUN_OFFLINE)('Given the %s examples, When each runs as shown, Then it succeeds', async (name) => {
    const env = cleanEnv({ NO_COLOR: '1' });
    const help = await runCli([...name.split(' '), '--help'], { cwd: REPO_ROOT, env });
    const examples = help.stdout
      .slice(help.stdout.indexOf('Examples:'))
      .split('\n')
      .flatMap((line) => invocationsOf(line))
      .filter((argv) => argv.join(' ').startsWith(name));
    expect(examples.length).toBeGreaterThan(0);
    for (const argv of examples) {
      const run = await runCli(argv, { cwd: REPO_ROOT, env });
      expect({ argv, stderr: run.stderr, status: run.status }).toEqual({ argv, stderr: '', status: 0 });
    }
  });
});
