import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SEVERITIES } from '../../src/model/finding.js';
import { REPO_ROOT } from './run-cli.js';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  name: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const TEXT = readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8');
const ACTION = parse(TEXT) as Action;

function expressions(text: string, scope: string): string[] {
  return [...text.matchAll(new RegExp(`\\$\\{\\{[^}]*?\\b${scope}\\.([A-Za-z0-9_-]+)`, 'g'))].map((m) => m[1] ?? '');
}

describe('action.yml', () => {
  it('Given the file, When parsed as YAML, Then it is a composite action whose steps all have a name and a shell or a uses', () => {
    expect(ACTION.runs.using).toBe('composite');
    for (const step of ACTION.runs.steps) {
      expect(step.name).toBeTruthy();
      expect(step.uses !== undefined || (step.run !== undefined && step.shell === 'bash')).toBe(true);
    }
  });

  it('Given every ${{ inputs.X }} and ${{ steps.Y }} reference, When checked, Then each names a defined input or an earlier step id', () => {
    const used = new Set(expressions(TEXT, 'inputs'));
    expect(used.size).toBeGreaterThan(0);
    for (const name of used) expect(Object.keys(ACTION.inputs)).toContain(name);
    // Every input is used somewhere: no option that silently does nothing.
    for (const name of Object.keys(ACTION.inputs)) expect(used).toContain(name);
    const ids = ACTION.runs.steps.map((step) => step.id).filter((id): id is string => id !== undefined);
    for (const id of expressions(TEXT, 'steps')) expect(ids).toContain(id);
  });

  it('Given the run scripts, When read, Then they are valid bash and no expression is interpolated into shell: inputs reach scripts only through env', () => {
    for (const step of ACTION.runs.steps) {
      if (step.run === undefined) continue;
      expect(step.run).not.toContain('${{');
      const syntax = spawnSync('bash', ['-n', '-c', step.run], { encoding: 'utf8' });
      expect(syntax.stderr).toBe('');
      expect(syntax.status).toBe(0);
    }
  });

  it('Given the AWS authentication, When read, Then it assumes role-to-assume through OIDC and never takes an access key', () => {
    const auth = ACTION.runs.steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(auth?.with?.['role-to-assume']).toBe('${{ inputs.role-to-assume }}');
    expect(TEXT).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
    expect(TEXT).toMatch(/id-token: write/);
    expect(TEXT).toMatch(/security-events: write/);
  });

  it('Given the steps, When read, Then they scan, write SARIF, upload it to code scanning and gate on the chosen severity', () => {
    const runs = ACTION.runs.steps.map((step) => step.run ?? '').join('\n');
    expect(runs).toMatch(/roleshift "\$\{args\[@\]\}"/);
    expect(runs).toMatch(/roleshift findings --snapshot "\$SNAPSHOT" --format sarif > "\$SARIF_FILE"/);
    expect(runs).toMatch(/roleshift findings --snapshot "\$SNAPSHOT" --fail-on "\$FAIL_ON"/);
    const upload = ACTION.runs.steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with?.['sarif_file']).toBe('${{ steps.findings.outputs.sarif-file }}');
    const check = ACTION.runs.steps[0]?.run ?? '';
    for (const severity of SEVERITIES) expect(check).toContain(severity);
  });
});
