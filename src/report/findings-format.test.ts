import { describe, expect, it } from 'vitest';
import { buildFinding } from '../../test/assess/builders.js';
import type { Finding } from '../model/finding.js';
import { renderFindings, type FindingsFormat } from './findings-format.js';

const FINDINGS: Finding[] = [
  buildFinding({
    accountId: '222222222222',
    resourceName: '222222222222/bob',
    severity: 'low',
    checkId: 'user-attached-policies',
  }),
  buildFinding(),
  buildFinding({
    checkId: 'root-access-key',
    severity: 'critical',
    resourceType: 'root',
    resourceName: '111111111111/<root>',
    message: 'the root user has 1 active access key',
  }),
  buildFinding({
    checkId: 'full-admin-access',
    status: 'error',
    accountId: null,
    resourceName: 'snapshot',
    message: 'the check failed to run: boom',
  }),
];

describe('renderFindings table', () => {
  const text = renderFindings(FINDINGS, 'table', { toolVersion: '0.1.0', color: false });

  it('Given findings in two accounts, When rendered, Then accounts come in order and the gravest finding first within each', () => {
    const lines = text.split('\n');
    const at = (needle: string) => lines.findIndex((l) => l.includes(needle));
    expect(at('Account 111111111111')).toBeLessThan(at('Account 222222222222'));
    expect(at('CRITICAL')).toBeLessThan(at('HIGH'));
    expect(at('Account 222222222222')).toBeLessThan(at('Not tied to an account'));
    expect(text).toContain('ERROR');
    expect(text).not.toContain('\u001b[');
  });

  it('Given the counts, Then the summary line names them and the check that failed to run', () => {
    expect(text.trimEnd().split('\n').pop()).toBe(
      '3 findings: 1 critical, 1 high, 1 low; 1 check failed to run (results unknown)',
    );
  });

  it('Given colour, Then severities are painted; Given a user name with escape codes, Then they are neutralised', () => {
    const coloured = renderFindings([buildFinding({ resourceName: '111111111111/evil\u001b[2J' })], 'table', {
      toolVersion: '0.1.0',
      color: true,
    });
    expect(coloured).toContain('\u001b[31mHIGH');
    expect(coloured).not.toContain('\u001b[2J');
  });

  it('Given no findings, Then it says so', () => {
    expect(renderFindings([], 'table', { toolVersion: '0.1.0' })).toBe('No findings.\n');
  });
});

describe('renderFindings json', () => {
  it('Given findings, When rendered, Then it holds a summary and the sorted findings unchanged', () => {
    const parsed = JSON.parse(renderFindings(FINDINGS, 'json', { toolVersion: '0.1.0' })) as {
      summary: unknown;
      findings: Finding[];
    };
    expect(parsed.summary).toEqual({
      total: 3,
      bySeverity: { info: 0, low: 1, medium: 0, high: 1, critical: 1 },
      errors: 1,
      passed: 0,
    });
    expect(parsed.findings.map((f) => f.checkId)).toEqual([
      'root-access-key',
      'console-password-without-mfa',
      'user-attached-policies',
      'full-admin-access',
    ]);
    expect(parsed.findings[1]).toEqual(buildFinding());
  });
});

describe('renderFindings csv', () => {
  it('Given findings, When rendered, Then there is a header and one CRLF row per finding', () => {
    const rows = renderFindings(FINDINGS, 'csv', { toolVersion: '0.1.0' }).split('\r\n');
    expect(rows[0]).toBe(
      'account_id,severity,status,check_id,title,resource_type,resource_name,resource_arn,message,cis,security_hub,remediation,file,line',
    );
    expect(rows[1]).toBe(
      '111111111111,critical,fail,root-access-key,Console password without MFA,root,111111111111/<root>,arn:aws:iam::111111111111:user/alice,the root user has 1 active access key,1.10,IAM.5,Require MFA.,,',
    );
    expect(rows).toHaveLength(FINDINGS.length + 2);
  });

  it('Given a user named to run a formula and carrying a newline, When written as CSV, Then the cell is defused and stays on one line', () => {
    const csv = renderFindings(
      [buildFinding({ resourceName: '=HYPERLINK("http://evil.example")', message: 'two\nlines, "quoted"' })],
      'csv',
      { toolVersion: '0.1.0' },
    );
    const row = csv.split('\r\n')[1] ?? '';
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(row).toContain('"two\\nlines, ""quoted"""');
    expect(csv.split('\r\n')).toHaveLength(3);
  });
});

describe('renderFindings markdown', () => {
  it('Given findings, When rendered, Then there is a count table and a section per account with references', () => {
    const md = renderFindings(FINDINGS, 'md', { toolVersion: '0.1.0' });
    expect(md).toContain('| critical | 1 |');
    expect(md).toContain('| checks that failed to run | 1 |');
    expect(md).toContain('## Account 111111111111');
    expect(md).toContain(
      '| high | `console-password-without-mfa` | 111111111111/alice | has a console password and no MFA device | CIS 1.10, IAM.5 |',
    );
  });

  it('Given a name crafted to inject markup, Then it is escaped text', () => {
    const md = renderFindings([buildFinding({ message: '<img src=x onerror=alert(1)>|[link](http://x)' })], 'md', {
      toolVersion: '0.1.0',
    });
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;\\|\\[link\\](http://x)');
  });
});

describe('every human-facing findings format against hostile names', () => {
  const HOSTILE = buildFinding({
    resourceName: `111111111111/evil\u001b]0;pwned\u0007\u001b[2J\rover\nline${'x'.repeat(70_000)}`,
    message: 'has a console password\u001b[8m hidden\u009b31m and no MFA device',
  });
  const ACTIVE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

  for (const format of ['table', 'csv', 'md'] as const satisfies readonly FindingsFormat[]) {
    it(`Given a 70,000-character name full of ESC, OSC, CR and LF, When rendered as ${format}, Then no control character is written, every row stays one line and the output stays small`, () => {
      const text = renderFindings([HOSTILE, buildFinding()], format, { toolVersion: '0.1.0', color: false });
      expect(text).not.toMatch(ACTIVE);
      expect(text).toMatch(/evil\\{1,2}u001b\\?\]0;pwned/);
      expect(text.length).toBeLessThan(format === 'csv' ? 80_000 : 5_000);
      const rows = text.split(/\r?\n/).filter((line) => line.includes('console password'));
      expect(rows).toHaveLength(2);
    });
  }

  it('Given the same finding, When rendered as JSON, Then the name is kept exactly (JSON is data)', () => {
    const json = JSON.parse(renderFindings([HOSTILE], 'json', { toolVersion: '0.1.0' })) as {
      findings: Finding[];
    };
    expect(json.findings[0]?.resourceName).toBe(HOSTILE.resourceName);
  });
});
