import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
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
