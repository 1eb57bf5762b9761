import { buildFinding, CHECK_THAT_COULD_NOT_RUN } from '../../test/assess/builders.js';
import { fixtureSchemaValidator } from '../../test/fixtures/schema-validator.js';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../model/finding.js';
import { renderFindingsAsff } from './asff.js';

/** AwsSecurityFinding from the Security Hub model in botocore (test/fixtures/asff/ORIGIN.md): no network in tests. */
const validate = fixtureSchemaValidator('asff/aws-security-finding.schema.json');

const NOW = new Date('2026-11-23T09:00:00Z');
const OPTIONS = { toolVersion: '0.1.0', now: NOW, region: 'eu-west-1', homeAccountId: '999999999999' };

/** Links and a longer remediation: the ASFF Recommendation carries both. */
function finding(overrides: Partial<Finding> = {}): Finding {
  return buildFinding({
    references: {
      cis: ['1.10'],
      securityHub: ['IAM.5'],
      links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html'],
    },
    remediation: 'Require MFA for the user.',
    ...overrides,
  });
}

type AsffFinding = Record<string, unknown> & {
  Id: string;
  Resources: Array<Record<string, unknown>>;
  Severity: { Label: string };
  Compliance: { Status: string; RelatedRequirements?: string[] };
  Workflow: { Status: string };
};

function render(findings: Finding[]): AsffFinding[] {
  return JSON.parse(renderFindingsAsff(findings, OPTIONS)) as AsffFinding[];
}

/** The rendered finding about one resource name (the output is sorted, not in input order). */
function about(out: AsffFinding[], resourceName: string): AsffFinding {
  const found = out.find(
    (asff) => (asff['ProductFields'] as Record<string, string>)['roleshift/ResourceName'] === resourceName,
  );
  if (!found) throw new Error(`no finding about ${resourceName}`);
  return found;
}

const EVERY_KIND: Finding[] = [
  finding(),
  finding({ status: 'pass', message: 'console password with MFA', resourceName: '111111111111/bob' }),
  finding({
    checkId: 'admin-role',
    resourceType: 'role',
    resourceArn: 'arn:aws-cn:iam::222222222222:role/ops',
    resourceName: 'ops',
    accountId: '222222222222',
    references: { cis: [], securityHub: [], links: [] },
  }),
  finding({ resourceType: 'group', resourceArn: 'arn:aws:iam::111111111111:group/admins', resourceName: 'group' }),
  finding({ resourceType: 'policy', resourceArn: 'arn:aws:iam::111111111111:policy/p', resourceName: 'policy' }),
  finding({
    checkId: 'password-policy-length',
    resourceType: 'account',
    resourceArn: null,
    resourceName: 'account',
  }),
  finding({
    checkId: 'root-mfa',
    resourceType: 'root',
    resourceArn: 'arn:aws:iam::111111111111:root',
    resourceName: 'root',
  }),
  finding({
    checkId: 'server-certificate-expired',
    resourceType: 'server-certificate',
    resourceArn: 'arn:aws:iam::111111111111:server-certificate/web',
    resourceName: 'certificate',
  }),
  finding(CHECK_THAT_COULD_NOT_RUN),
  finding({
    resourceName: 'hostile',
    message: `evil "quoted" <b>html</b> \u001b[2J ${'x'.repeat(2000)}`,
    title: 't'.repeat(400),
  }),
];

describe('renderFindingsAsff', () => {
  it('Given a finding of every resource type and status, When rendered, Then the Findings array is valid against the AwsSecurityFinding schema', () => {
    const out = render(EVERY_KIND);
    expect(out).toHaveLength(EVERY_KIND.length);
    for (const asff of out) expect(validate(asff), JSON.stringify(validate.errors)).toBe(true);
  });

  it('Given one finding with a required field removed, When validated, Then the schema rejects it', () => {
    for (const field of ['AwsAccountId', 'Resources', 'GeneratorId']) {
      const [asff] = render([finding()]);
      delete (asff as Record<string, unknown>)[field];
      expect(validate(asff)).toBe(false);
      expect(validate.errors?.map((e) => e.message).join(' ')).toContain(field);
    }
  });

  it('Given a fail, a pass and a check that could not run, When rendered, Then compliance, severity label and workflow say so', () => {
    const out = render(EVERY_KIND);
    const [fail, pass, error] = ['111111111111/alice', '111111111111/bob', 'snapshot'].map((name) => about(out, name));
    expect(fail).toMatchObject({
      SchemaVersion: '2018-10-08',
      ProductArn: 'arn:aws:securityhub:eu-west-1:111111111111:product/111111111111/default',
      GeneratorId: 'console-password-without-mfa',
      AwsAccountId: '111111111111',
      Region: 'eu-west-1',
      CreatedAt: '2026-11-23T09:00:00.000Z',
      UpdatedAt: '2026-11-23T09:00:00.000Z',
      Severity: { Label: 'HIGH', Original: 'high' },
      Types: [
        'Software and Configuration Checks/AWS Security Best Practices',
        'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark',
      ],
      Compliance: { Status: 'FAILED', RelatedRequirements: ['CIS AWS Foundations Benchmark v3.0.0/1.10'] },
      ProductFields: { 'roleshift/SecurityHubControls': 'IAM.5' },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
      Resources: [{ Type: 'AwsIamUser', Id: 'arn:aws:iam::111111111111:user/alice', Partition: 'aws' }],
    });
    expect(pass).toMatchObject({ Compliance: { Status: 'PASSED' }, Severity: { Label: 'INFORMATIONAL' } });
    expect(pass?.Workflow.Status).toBe('RESOLVED');
    expect(fail?.['FindingProviderFields']).toEqual({ Severity: fail?.Severity, Types: fail?.['Types'] });
    expect(error).toMatchObject({
      AwsAccountId: '999999999999',
      ProductArn: 'arn:aws:securityhub:eu-west-1:999999999999:product/999999999999/default',
      Compliance: { Status: 'WARNING' },
    });
    // Security Hub takes a default-product finding only from the account it names: each carries its own.
    expect(about(out, 'ops')).toMatchObject({
      AwsAccountId: '222222222222',
      ProductArn: 'arn:aws:securityhub:eu-west-1:222222222222:product/222222222222/default',
    });
  });

  it('Given each resource type, When rendered, Then it maps to the Security Hub resource type', () => {
    const out = render(EVERY_KIND);
    const resource = (name: string) => {
      const [first] = about(out, name).Resources;
      return [first?.['Type'], first?.['Id'], first?.['Partition']];
    };
    expect(['ops', 'group', 'policy', 'account', 'root', 'certificate', 'snapshot'].map(resource)).toEqual([
      ['AwsIamRole', 'arn:aws-cn:iam::222222222222:role/ops', 'aws-cn'],
      ['AwsIamGroup', 'arn:aws:iam::111111111111:group/admins', 'aws'],
      ['AwsIamPolicy', 'arn:aws:iam::111111111111:policy/p', 'aws'],
      ['AwsAccount', 'AWS::::Account:111111111111', 'aws'],
      ['AwsAccount', 'arn:aws:iam::111111111111:root', 'aws'],
      ['Other', 'arn:aws:iam::111111111111:server-certificate/web', 'aws'],
      ['Other', 'snapshot', 'aws'],
    ]);
  });

  it('Given the same rule and resource with another message, When rendered again, Then the Id is the same; another resource gets another Id', () => {
    const [first] = render([finding()]);
    const [again] = render([finding({ message: 'reworded' })]);
    const [other] = render([finding({ resourceArn: 'arn:aws:iam::111111111111:user/bob' })]);
    expect(again?.Id).toBe(first?.Id);
    expect(other?.Id).not.toBe(first?.Id);
  });

  it('Given hostile and over-long text, When rendered, Then it is kept as data within the documented lengths', () => {
    const last = about(render(EVERY_KIND), 'hostile');
    expect(last['Description']).toMatch(/^evil "quoted" <b>html<\/b> \u001b\[2J x+…$/);
    expect((last['Description'] as string).length).toBe(1024);
    expect((last['Title'] as string).length).toBe(256);
  });
});
