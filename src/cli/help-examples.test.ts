import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { invocationsOf } from '../../test/harness/help-examples.js';
import { buildProgram } from './main.js';

/** Every command of the program, subcommands included, with its path from the root. */
function allCommands(program: Command): Array<{ path: string; command: Command }> {
  const out: Array<{ path: string; command: Command }> = [];
  const walk = (command: Command, prefix: string[]) => {
    for (const sub of command.commands) {
      const path = [...prefix, sub.name()];
      out.push({ path: path.join(' '), command: sub });
      walk(sub, path);
    }
  };
  walk(program, []);
  return out;
}

/** The help a user sees for a command, examples included (they are printed by addHelpText). */
function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (chunk) => (text += chunk), writeErr: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
}

function examplesOf(help: string): string[] {
  const start = help.indexOf('\nExamples:\n');
  if (start === -1) return [];
  return help
    .slice(start + '\nExamples:\n'.length)
    .split('\n')
    .filter((line) => line.startsWith('  ') && line.includes('roleshift '));
}

/** A program whose commands parse exactly as the CLI's do but run nothing. */
function parsingOnlyProgram(): Command {
  const program = buildProgram();
  const silence = (command: Command) => {
    command.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    if (command.commands.length === 0) command.action(() => undefined);
    for (const sub of command.commands) silence(sub);
  };
  silence(program);
  return program;
}

const EXAMPLES = allCommands(buildProgram()).flatMap(({ path, command }) =>
  examplesOf(helpOf(command)).flatMap((line) =>
    invocationsOf(line).map((argv) => [path, argv.join(' '), argv] as const),
  ),
);

describe('the examples in every --help', () => {
  it('Given the help of every command, When its examples are collected, Then there are examples for each command', () => {
    const withExamples = new Set(EXAMPLES.map(([path]) => path));
    const missing = allCommands(buildProgram())
      .map(({ path }) => path)
      .filter((path) => !withExamples.has(path));
    expect(missing).toEqual([]);
  });

  it.each(EXAMPLES)(
    'Given the %s help example `roleshift %s`, When commander parses it, Then it is accepted',
    async (_path, _line, argv) => {
      await expect(parsingOnlyProgram().parseAsync([...argv], { from: 'user' })).resolves.toBeDefined();
    },
  );

  it('Given an example with a flag no command has, When parsed, Then the check fails (the test can fail)', async () => {
    await expect(parsingOnlyProgram().parseAsync(['scan', '--no-such-flag'], { from: 'user' })).rejects.toThrow(
      /unknown option/,
    );
  });

  it.each([
    ["  roleshift history --json | jq '.scans[-1]' # the newest", [['history', '--json']]],
    ['  roleshift export-script > export.sh && sh export.sh exports     # one account', [['export-script']]],
    [
      '  terraform show -json plan.out > plan.json && roleshift lint plan.json --account-id 1',
      [['lint', 'plan.json', '--account-id', '1']],
    ],
  ])('Given the example line %j, When its invocations are read, Then they are %j', (line, expected) => {
    expect(invocationsOf(line)).toEqual(expected);
  });
});

/** The roleshift command lines of the README's shell blocks (`$ ` prompts and `node dist/cli/bin.js` included). */
function readmeInvocations(): string[][] {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const blocks = [...readme.matchAll(/```(?:sh|console|bash)\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks
    .flatMap((block) => block.split('\n'))
    .map((line) => ` ${line.replace(/^\$ /, '').replaceAll('node dist/cli/bin.js ', 'roleshift ')}`)
    .flatMap((line) => invocationsOf(line));
}

describe('the roleshift commands in the README', () => {
  const invocations = readmeInvocations();

  it('Given the README, When its shell blocks are read, Then they hold the workflow commands', () => {
    expect(invocations.map((argv) => argv[0])).toEqual(expect.arrayContaining(['demo', 'scan', 'remediate', 'serve']));
  });

  it.each(invocations.map((argv) => [argv.join(' '), argv] as const))(
    'Given the README line `roleshift %s`, When commander parses it, Then it is accepted',
    async (_line, argv) => {
      await expect(parsingOnlyProgram().parseAsync([...argv], { from: 'user' })).resolves.toBeDefined();
    },
  );
});
