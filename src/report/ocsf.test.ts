import { buildFinding, CHECK_THAT_COULD_NOT_RUN } from '../../test/assess/builders.js';
import { fixtureSchemaValidator } from '../../test/fixtures/schema-validator.js';
import { describe, expect, it } from 'vitest';
import { SEVERITIES, type Finding } from '../model/finding.js';
import { renderFindingsAsff } from './asff.js';
import { OCSF_VERSION, renderFindingsOcsf } from './ocsf.js';

/** OCSF 1.5.0 Detection Finding with the cloud profile, compiled from the OCSF schema (test/fixtures/ocsf/ORIGIN.md). */
const validate = fixtureSchemaValidator('ocsf/detection-finding.schema.json');

const NOW = new Date('2026-11-23T09:00:00Z');
const OPTIONS = { toolVersion: '0.1.0', now: NOW, region: 'eu-west-1', homeAccountId: '999999999999' };

type Ocsf = Record<string, unknown> & {
  severity_id: number;
  status_code: string;
  finding_info: { uid: string; title: string; desc: string; types: string[] };
  cloud: { account: { uid: string }; org?: { uid: string }; region: string };
  resources: Array<Record<string, unknown>>;
  metadata: Record<string, unknown>;
};

function render(findings: Finding[], options: Partial<typeof OPTIONS & { organizationId: string }> = {}): Ocsf[] {
  return JSON.parse(renderFindingsOcsf(findings, { ...OPTIONS, ...options })) as Ocsf[];
}

/** The rendered finding about one resource name (the output is sorted, not in input order). */
function about(out: Ocsf[], resourceName: string): Ocsf {
  const found = out.find((event) => event.resources[0]?.['name'] === resourceName);
  if (!found) throw new Error(`no finding about ${resourceName}`);
  return found;
}

const HOSTILE = `evil "quoted" <b>html</b></script> \u0000\u001b[2J\u2028\u2029 \ud800 ${'x'.repeat(3000)}`;

const EVERY_KIND: Finding[] = [
  ...SEVERITIES.map((severity) =>
    buildFinding({
      severity,
      resourceName: `111111111111/${severity}`,
      references: { cis: [], securityHub: [], links: [] },
    }),
  ),
  buildFinding({
    status: 'pass',
    message: 'console password with MFA',
    resourceName: '111111111111/bob',
    references: { cis: ['1.10'], securityHub: ['IAM.5'], links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/'] },
  }),
  buildFinding({ ...CHECK_THAT_COULD_NOT_RUN, message: 'the check failed to run: boom' }),
  buildFinding({
    checkId: 'root-credentials-management',
    severity: 'medium',
    accountId: '123456789012',
    resourceType: 'account',
    resourceArn: null,
    resourceName: '123456789012 (organization o-abc123defg)',
  }),
  buildFinding({
    checkId: 'admin-role',
    resourceType: 'role',
    resourceArn: 'arn:aws-cn:iam::222222222222:role/ops',
    resourceName: 'ops',
    accountId: '222222222222',
  }),
  buildFinding({ resourceName: 'hostile', message: HOSTILE, title: HOSTILE, remediation: HOSTILE }),
];

describe('renderFindingsOcsf', () => {
  it('Given findings of every severity, a pass, a check that could not run and an Organization-wide finding, When rendered, Then each is a valid OCSF 1.5.0 Detection Finding', () => {
    const out = render(EVERY_KIND, { organizationId: 'o-abc123defg' });
    expect(out).toHaveLength(EVERY_KIND.length);
    for (const event of out) expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
    expect(render(EVERY_KIND).every((event) => validate(event))).toBe(true);
  });

  it.each([
    ['a severity_id OCSF does not define', (event: Record<string, unknown>) => (event['severity_id'] = 7), 'enum'],
    ['no class_uid', (event: Record<string, unknown>) => delete event['class_uid'], 'class_uid'],
    ['another class_uid', (event: Record<string, unknown>) => (event['class_uid'] = 2003), 'enum'],
    ['a time in ISO text', (event: Record<string, unknown>) => (event['time'] = NOW.toISOString()), 'integer'],
    ['an attribute OCSF does not define', (event: Record<string, unknown>) => (event['check_id'] = 'x'), 'additional'],
    [
      'no cloud provider',
      (event: Record<string, unknown>) => delete (event['cloud'] as Record<string, unknown>)['provider'],
      'provider',
    ],
    [
      'a resource with neither name nor uid',
      (event: Record<string, unknown>) => (event['resources'] = [{ type: 'AwsIamUser' }]),
      'name',
    ],
  ])('Given a finding with %s, When validated, Then the schema rejects it', (_name, breakIt, message) => {
    const [event] = render([buildFinding()]);
    if (!event) throw new Error('nothing rendered');
    breakIt(event);
    expect(validate(event)).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain(message);
  });

  it('Given each severity, When rendered, Then severity_id and its caption are OCSF 1 Informational to 5 Critical', () => {
    const out = render(EVERY_KIND);
    expect(
      SEVERITIES.map((s) => [about(out, `111111111111/${s}`).severity_id, about(out, `111111111111/${s}`)['severity']]),
    ).toEqual([
      [1, 'Informational'],
      [2, 'Low'],
      [3, 'Medium'],
      [4, 'High'],
      [5, 'Critical'],
    ]);
  });

  it('Given a fail, a pass and a check that could not run, When rendered, Then status_code says which and only the pass is no alert', () => {
    const out = render(EVERY_KIND);
    const [fail, pass, error] = ['111111111111/high', '111111111111/bob', 'snapshot'].map((name) => about(out, name));
    expect(fail).toMatchObject({
      class_uid: 2004,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200401,
      time: NOW.getTime(),
      status_id: 1,
      status_code: 'FAIL',
      is_alert: true,
      message: 'has a console password and no MFA device',
      metadata: {
        version: OCSF_VERSION,
        profiles: ['cloud'],
        product: { name: 'roleshift', vendor_name: 'roleshift', version: '0.1.0' },
        event_code: 'console-password-without-mfa',
      },
      cloud: { provider: 'AWS', region: 'eu-west-1', account: { uid: '111111111111', type_id: 10 } },
      resources: [
        {
          uid: 'arn:aws:iam::111111111111:user/alice',
          type: 'AwsIamUser',
          region: 'eu-west-1',
          cloud_partition: 'aws',
        },
      ],
    });
    expect(fail?.['unmapped']).toBeUndefined();
    expect(pass).toMatchObject({
      status_code: 'PASS',
      is_alert: false,
      remediation: { desc: 'Require MFA.', references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/'] },
      unmapped: { compliance: { 'CIS-3.0': ['1.10'], 'AWS-Security-Hub-Controls': ['IAM.5'] } },
    });
    expect(error).toMatchObject({ status_code: 'ERROR', is_alert: true, cloud: { account: { uid: '999999999999' } } });
  });

  it('Given an Organization, When rendered, Then every finding names it as cloud.org and the tenant', () => {
    const event = about(
      render(EVERY_KIND, { organizationId: 'o-abc123defg' }),
      '123456789012 (organization o-abc123defg)',
    );
    expect(event.cloud).toMatchObject({ account: { uid: '123456789012' }, org: { uid: 'o-abc123defg' } });
    expect(event.metadata['tenant_uid']).toBe('o-abc123defg');
    expect(event.resources[0]?.['uid']).toBe('AWS::::Account:123456789012');
  });

  it('Given the same rule and resource, When rendered again with another message, Then finding_info.uid is the same and equals the ASFF Id, while each event has its own metadata.uid', () => {
    const [first] = render([buildFinding()]);
    const [again] = render([buildFinding({ message: 'reworded' })], { now: new Date('2026-11-24T09:00:00Z') });
    const [other] = render([buildFinding({ resourceArn: 'arn:aws:iam::111111111111:user/bob' })]);
    const [asff] = JSON.parse(renderFindingsAsff([buildFinding()], OPTIONS)) as Array<{ Id: string }>;
    expect(again?.finding_info.uid).toBe(first?.finding_info.uid);
    expect(first?.finding_info.uid).toBe(asff?.Id);
    expect(other?.finding_info.uid).not.toBe(first?.finding_info.uid);
    expect(again?.metadata['uid']).not.toBe(first?.metadata['uid']);
    const [sameRun] = render([buildFinding({ message: 'reworded' })]);
    expect(sameRun?.metadata['uid']).not.toBe(first?.metadata['uid']);
    expect(render([buildFinding()])[0]?.metadata['uid']).toBe(first?.metadata['uid']);
  });

  it('Given hostile text, When rendered, Then the file parses back to the same text', () => {
    const text = renderFindingsOcsf(EVERY_KIND, OPTIONS);
    expect(text).not.toMatch(/[\u0000-\u001f](?<!\n)/);
    const event = about(JSON.parse(text) as Ocsf[], 'hostile');
    expect([event.message, event.finding_info.title, (event['remediation'] as { desc: string }).desc]).toEqual([
      HOSTILE,
      HOSTILE,
      HOSTILE,
    ]);
  });
});
