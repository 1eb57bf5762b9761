import { describe, expect, it } from 'vitest';
import type { Finding } from '../model/finding.js';
import { csvField } from './csv.js';
import { renderFindings } from './findings-format.js';
import { escapeMarkdown } from './markdown.js';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    checkId: 'console-password-without-mfa',
    title: 'Console password without MFA',
    severity: 'high',
    status: 'fail',
    accountId: '111111111111',
    resourceType: 'user',
    resourceArn: 'arn:aws:iam::111111111111:user/alice',
    resourceName: '111111111111/alice',
    message: 'has a console password and no MFA device',
    location: null,
    references: { cis: ['1.10'], securityHub: ['IAM.5'], links: [] },
    remediation: 'Require MFA.',
    ...overrides,
  };
}

const FINDINGS: Finding[] = [
  finding({
    accountId: '222222222222',
    resourceName: '222222222222/bob',
    severity: 'low',
    checkId: 'user-attached-policies',
  }),
  finding(),
  finding({
    checkId: 'root-access-key',
    severity: 'critical',
    resourceType: 'root',
    resourceName: '111111111111/<root>',
    message: 'the root user has 1 active access key',
  }),
  finding({
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
    const coloured = renderFindings([finding({ resourceName: '111111111111/evil\u001b[2J' })], 'table', {
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
    expect(parsed.findings[1]).toEqual(finding());
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

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
  ])('Given the field %j, Then it is written as %s', (input, output) => {
    expect(csvField(input)).toBe(output);
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
    expect(escapeMarkdown('<img src=x onerror=alert(1)>|[link](http://x)')).toBe(
      '&lt;img src=x onerror=alert(1)&gt;\\|\\[link\\](http://x)',
    );
  });
});
