import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { unifiedDiff } from './diff.js';
import { rewriteGithubWorkflow } from './github.js';
import { ASSUME_ROLE_COMMAND, rewriteGitlabCi } from './gitlab.js';
import { migrateCiFiles } from './migrate.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const ROLE = 'arn:aws:iam::111111111111:role/roleshift/deploy-oidc';
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'roleshift-ci-migrate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('rewriteGithubWorkflow', () => {
  it.each(['deploy-action-keys', 'env-keys', 'step-env-keys', 'workflow-env-keys'])(
    'Given the %s workflow, when rewritten with a role ARN, then the result equals the reviewed expected file',
    (name) => {
      const result = rewriteGithubWorkflow(fixture(`github/${name}.yml`), { roleArn: ROLE });
      expect(result.changed).toBe(true);
      expect(result.text).toBe(fixture(`github/${name}.expected.yml`));
    },
  );

  it.each(['already-oidc', 'no-aws'])(
    'Given the %s workflow, when rewritten, then it is left byte-identical',
    (name) => {
      const text = fixture(`github/${name}.yml`);
      expect(rewriteGithubWorkflow(text, { roleArn: ROLE })).toEqual({ changed: false, text, notes: [] });
    },
  );

  it.each(['deploy-action-keys', 'env-keys', 'step-env-keys', 'workflow-env-keys'])(
    'Given the rewritten %s workflow, when read back, then no secret keys remain, every AWS job may request an ID token and comments survive',
    (name) => {
      const original = fixture(`github/${name}.yml`);
      const text = rewriteGithubWorkflow(original, { roleArn: ROLE }).text;
      expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key/);
      const workflow = parse(text) as {
        permissions?: Record<string, string>;
        jobs: Record<string, { permissions?: Record<string, string>; steps: Array<Record<string, unknown>> }>;
      };
      for (const job of Object.values(workflow.jobs)) {
        const assumes = job.steps.some(
          (step) => (step.with as Record<string, string> | undefined)?.['role-to-assume'] === ROLE,
        );
        if (assumes) expect((job.permissions ?? workflow.permissions)?.['id-token']).toBe('write');
      }
      for (const comment of original.match(/#.*$/gm) ?? []) expect(text).toContain(comment);
    },
  );

  it('Given workflow-level keys, when rewritten, then only jobs that call AWS get credentials', () => {
    const workflow = parse(rewriteGithubWorkflow(fixture('github/workflow-env-keys.yml'), { roleArn: ROLE }).text) as {
      jobs: Record<string, { steps: Array<{ uses?: string }> }>;
    };
    const withCredentials = Object.entries(workflow.jobs)
      .filter(([, job]) => job.steps.some((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials')))
      .map(([name]) => name);
    expect(withCredentials).toEqual(['fmt', 'apply']);
  });

  it('Given workflow-level permissions, when a job needs a token, then the existing permissions are kept and id-token is added', () => {
    const text = rewriteGithubWorkflow(fixture('github/deploy-action-keys.yml'), { roleArn: ROLE }).text;
    expect(parse(text).permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });

  it('Given no role ARN, when rewritten, then the workflow reads it from a repository variable and says so', () => {
    const result = rewriteGithubWorkflow(fixture('github/deploy-action-keys.yml'));
    expect(result.text).toContain('role-to-assume: ${{ vars.AWS_ROLE_ARN }}');
    expect(result.notes.join('\n')).toMatch(/repository variable AWS_ROLE_ARN/);
  });

  it('Given invalid YAML, when rewritten, then it throws instead of guessing', () => {
    expect(() => rewriteGithubWorkflow('jobs: [unclosed')).toThrow(SyntaxError);
  });
});

describe('rewriteGitlabCi', () => {
  it('Given global key variables, when rewritten, then only the job that calls AWS gets an ID token and the web-identity exchange', () => {
    const result = rewriteGitlabCi(fixture('gitlab/keys.gitlab-ci.yml'), { roleArn: ROLE });
    expect(result.text).toBe(fixture('gitlab/keys.gitlab-ci.expected.yml'));
    const pipeline = parse(result.text, { merge: true }) as Record<
      string,
      { id_tokens?: unknown; script?: string[] }
    > & { variables: Record<string, string> };
    expect(pipeline.variables).toEqual({ AWS_DEFAULT_REGION: 'eu-west-1', AWS_ROLE_ARN: ROLE });
    expect(pipeline.deploy?.id_tokens).toEqual({ AWS_ID_TOKEN: { aud: 'https://gitlab.com' } });
    expect(pipeline.deploy?.script?.[0]).toBe(ASSUME_ROLE_COMMAND);
    expect(pipeline.build?.id_tokens).toBeUndefined();
  });

  it('Given a pipeline without keys, when rewritten, then it is left byte-identical', () => {
    const text = fixture('gitlab/clean.gitlab-ci.yml');
    expect(rewriteGitlabCi(text, { roleArn: ROLE })).toEqual({ changed: false, text, notes: [] });
  });
});

describe('migrateCiFiles and the diff', () => {
  it('Given a checkout, when migrated, then each diff applies with patch and yields exactly the rewritten file', () => {
    const files = [
      { path: '.github/workflows/deploy.yml', text: fixture('github/deploy-action-keys.yml') },
      { path: '.github/workflows/nightly.yml', text: fixture('github/step-env-keys.yml') },
      { path: '.github/workflows/ci.yml', text: fixture('github/no-aws.yml') },
      { path: '.gitlab-ci.yml', text: fixture('gitlab/keys.gitlab-ci.yml') },
      { path: 'README.md', text: '# not CI' },
    ];
    const changes = migrateCiFiles(files, { roleArn: ROLE });
    expect(changes.map((change) => [change.path, change.changed])).toEqual([
      ['.github/workflows/ci.yml', false],
      ['.github/workflows/deploy.yml', true],
      ['.github/workflows/nightly.yml', true],
      ['.gitlab-ci.yml', true],
    ]);
    for (const file of files) {
      const path = join(scratch, 'repo', file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.text);
    }
    const patch = changes.map((change) => change.diff).join('');
    const applied = spawnSync('patch', ['-p1', '-d', join(scratch, 'repo')], { input: patch, encoding: 'utf8' });
    expect(applied.stderr).toBe('');
    expect(applied.status).toBe(0);
    for (const change of changes) expect(readFileSync(join(scratch, 'repo', change.path), 'utf8')).toBe(change.newText);
  });

  it('Given a workflow without a final newline, when migrated, then its diff applies with patch and yields exactly the rewritten file', () => {
    const text = fixture('github/deploy-action-keys.yml').replace(/\n+$/, '');
    const [change] = migrateCiFiles([{ path: '.github/workflows/deploy.yml', text }], { roleArn: ROLE });
    const path = join(scratch, 'no-newline', '.github/workflows/deploy.yml');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    const applied = spawnSync('patch', ['-p1', '-d', join(scratch, 'no-newline')], {
      input: change?.diff,
      encoding: 'utf8',
    });
    expect(applied.stderr).toBe('');
    expect(applied.status).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(change?.newText);
  });

  it('Given a parse error in one file, when migrated, then it is reported and the others still migrate', () => {
    const changes = migrateCiFiles(
      [
        { path: '.github/workflows/broken.yml', text: 'jobs: [unclosed' },
        { path: '.github/workflows/deploy.yml', text: fixture('github/deploy-action-keys.yml') },
      ],
      { roleArn: ROLE },
    );
    expect(changes[0]).toMatchObject({
      path: '.github/workflows/broken.yml',
      changed: false,
      error: expect.any(String),
    });
    expect(changes[1]?.changed).toBe(true);
  });

  it.each([
    ['a changed middle line', 'a\nb\nc\n', 'a\nB\nc\n', ['--- x', '+++ y', '@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c']],
    ['an added last line', 'a\n', 'a\nb\n', ['--- x', '+++ y', '@@ -1,1 +1,2 @@', ' a', '+b']],
    ['identical texts', 'a\n', 'a\n', null],
    [
      'a new text without a final newline',
      'a\nb\n',
      'a\nB',
      ['--- x', '+++ y', '@@ -1,2 +1,2 @@', ' a', '-b', '+B', '\\ No newline at end of file'],
    ],
    [
      'an old text without a final newline',
      'a',
      'a\nb\n',
      ['--- x', '+++ y', '@@ -1,1 +1,2 @@', '-a', '\\ No newline at end of file', '+a', '+b'],
    ],
  ])('Given %s, when diffed, then the unified diff is exact', (_label, before, after, expected) => {
    expect(unifiedDiff(before, after, 'x', 'y')).toBe(expected === null ? '' : `${expected.join('\n')}\n`);
  });
});
