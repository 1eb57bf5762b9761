/**
 * Agreement with labelled trust-policy cases from the field (test/fixtures/corpus, see its SOURCES.md).
 * Where roleshift deliberately says more than the source, the difference is listed here with
 * the reason, so a change in either direction shows up as a failing test.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateConditions, requestContext } from '../../src/policy/condition.js';
import { normalizePolicy } from '../../src/policy/document.js';
import { lintFindings } from '../../src/assess/lint.js';
import { loadIamCatalog } from '../../src/policy/action-catalog.js';
import { extractPolicies, type Extraction } from '../../src/policy/sources.js';
import { analyzeTrustPolicy } from '../../src/policy/trust/analyze.js';
import type { TrustContext } from '../../src/policy/trust/issue.js';
import { severityRank, type Finding } from '../../src/model/finding.js';

const CORPUS = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));

function read(path: string): string {
  return readFileSync(`${CORPUS}${path}`, 'utf8');
}

async function lint(
  path: string,
  context: TrustContext = {},
): Promise<{ findings: Finding[]; extraction: Extraction }> {
  const extraction = await extractPolicies(`${CORPUS}${path}`, read(path));
  const options = { catalog: await loadIamCatalog(), now: new Date('2026-11-20T00:00:00Z') };
  return { findings: lintFindings([extraction], context, options), extraction };
}

/** Rule ids reported per resource, info notes left out. */
function byResource(findings: readonly Finding[], strip: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of findings) {
    if (f.severity === 'info') continue;
    const name = f.resourceName.replace(strip, '');
    out.set(name, [...(out.get(name) ?? []), f.checkId].sort());
  }
  return out;
}

describe('checkov CKV_AWS_358 / CKV_AWS_393 fixtures (GitHub OIDC)', () => {
  const expectedFail = [
    'fail1',
    'fail2',
    'fail-wildcard',
    'fail-abusable',
    'fail-wildcard-assertion',
    'fail-misused-repo',
  ];
  /**
   * Checkov passes these; roleshift reports lower-severity issues on them on purpose:
   * - pass2, pass_aud_first: `repo:ORG/REPO:*` admits any branch and pull_request (low);
   *   pass_aud_first also pins an audience GitHub does not send by default (low).
   * - pass-org-only: `StringEquals repo:myOrg/*` compares the star literally: it matches no
   *   subject, the role is unusable (low); made StringLike it would be org-wide.
   * - pass-gh-org: the condition key names issuer `token.actions.githubusercontent.com/github-org`
   *   but the principal trusts `token.actions.githubusercontent.com`: STS never sets that key,
   *   so the statement admits no one (low).
   * - pass-fm-customer (role fixture only): `repo:freddiemac/*` is organisation-wide (medium).
   * - the org-only / fail fixtures lack an aud condition (low), which Checkov does not check.
   */
  const stricter: Record<string, string[]> = {
    pass2: ['oidc-subject-wildcard-narrow'],
    pass_aud_first: ['oidc-audience-unexpected', 'oidc-subject-wildcard-narrow'],
    'pass-org-only': ['oidc-audience-missing', 'oidc-subject-literal-wildcard'],
    'pass-gh-org': ['oidc-condition-key-mismatch'],
    'pass-fm-customer': ['oidc-audience-missing', 'oidc-subject-tenant-wide'],
  };

  it.each([
    [
      'data aws_iam_policy_document',
      'checkov/terraform/checks/data/aws/example_GithubActionsOIDCTrustPolicy/main.tf',
      'data.aws_iam_policy_document.',
    ],
    [
      'aws_iam_role + jsonencode',
      'checkov/terraform/checks/resource/aws/example_GithubActionsOIDCTrustPolicyOnRole/main.tf',
      'aws_iam_role.',
    ],
  ])(
    'Given the %s fixtures, When linted, Then every Checkov FAIL fails and every PASS passes or differs only as documented',
    async (_kind, path, prefix) => {
      const { findings } = await lint(path);
      const got = byResource(findings, prefix);
      for (const name of expectedFail) expect(got.get(name), name).toBeDefined();
      const passes = [...got.keys()].filter((n) => !expectedFail.includes(n));
      for (const name of passes) expect(got.get(name), name).toEqual(stricter[name]);
      expect(got.get('pass3')).toBeUndefined();
      expect(got.get('pass1')).toBeUndefined();
    },
  );

  it('Given fail1 (no condition), When linted, Then it is critical: any repository on GitHub', async () => {
    const { findings } = await lint(
      'checkov/terraform/checks/resource/aws/example_GithubActionsOIDCTrustPolicyOnRole/main.tf',
    );
    const fail1 = findings.filter((f) => f.resourceName === 'aws_iam_role.fail1' && f.checkId === 'oidc-no-subject');
    expect(fail1.map((f) => f.severity)).toEqual(['critical']);
    expect(fail1[0]?.location?.line).toBe(104);
  });

  it('Given the plan with non-GitHub federated documents, When linted, Then nothing is flagged above low and unknown values are reported as unresolved', async () => {
    const { findings, extraction } = await lint(
      'checkov/terraform/checks/data/aws/example_GithubActionsOIDCTrustPolicy/tfplan.json',
    );
    // r4 trusts cognito-identity.amazonaws.com but checks accounts.google.com keys: the
    // statement admits no one, which roleshift says (low) and Checkov ignores.
    expect(findings.filter((f) => severityRank(f.severity) > severityRank('low'))).toEqual([]);
    expect(new Set(findings.filter((f) => f.severity === 'low').map((f) => f.checkId))).toEqual(
      new Set(['oidc-condition-key-mismatch']),
    );
    expect(
      findings
        .filter((f) => f.checkId === 'lint-unresolved')
        .map((f) => f.resourceName)
        .sort(),
    ).toEqual(['module.poc.data.aws_iam_policy_document.r3["p1"]', 'module.poc.data.aws_iam_policy_document.r3["p2"]']);
    expect(extraction.notes.filter((n) => n.includes('known only after apply'))).toHaveLength(4);
  });
});

describe('checkov CKV_AWS_61 fixtures (trust in a whole account)', () => {
  const path = 'checkov/terraform/checks/resource/aws/example_IAMRoleAllowAssumeFromAccount/main.tf';

  it('Given the account is unknown, When linted, Then every FAIL fixture is flagged and the PASS fixtures differ only as documented', async () => {
    const got = byResource((await lint(path)).findings, 'aws_iam_role.');
    for (const name of ['fail', 'fail2', 'fail3', 'fail4'])
      expect(got.get(name), name).toContain('trust-cross-account-no-external-id');
    expect(got.get('pass')).toBeUndefined();
    // pass2 is `assume_role_policy = ""`: Terraform would send IAM an empty policy, which it rejects.
    expect(got.get('pass2')).toEqual(['trust-unparseable']);
    // pass3 trusts a role in 123456789012: without knowing that this is the role's own account,
    // roleshift treats it as an outside account without ExternalId.
    expect(got.get('pass3')).toEqual(['trust-cross-account-no-external-id']);
  });

  it('Given the roles live in 123456789012 (lint --account-id), When linted, Then pass3 passes and fail3/fail4 are whole-account trusts', async () => {
    const got = byResource((await lint(path, { accountId: '123456789012' })).findings, 'aws_iam_role.');
    expect(got.get('pass3')).toBeUndefined();
    expect(got.get('fail3')).toEqual(['trust-whole-account']);
    expect(got.get('fail4')).toEqual(['trust-whole-account']);
    expect(got.get('fail')).toEqual(['trust-cross-account-no-external-id']);
  });

  it('Given the CloudFormation fixtures, When linted, Then the account-root trust fails and the service / EKS roles pass', async () => {
    const failed = byResource(
      (
        await lint(
          'checkov/cloudformation/checks/resource/aws/example_IAMRoleAllowAssumeFromAccount/example_IAMRoleAllowAssumeFromAccount-FAILED.yml',
        )
      ).findings,
      '',
    );
    expect(failed.get('ExecutionRole')).toEqual(['trust-cross-account-no-external-id']);
    const passed = byResource(
      (
        await lint(
          'checkov/cloudformation/checks/resource/aws/example_IAMRoleAllowAssumeFromAccount/example_IAMRoleAllowAssumeFromAccount-PASSED.yml',
        )
      ).findings,
      '',
    );
    expect(passed.get('ExecutionRole')).toBeUndefined();
    // ClusterAccessRole's only condition is on the key "clusterID" (from Fn::Sub): no request
    // carries it, so the EKS statement admits no one. roleshift says so; Checkov passes it.
    expect(passed.get('ClusterAccessRole')).toEqual(['oidc-condition-key-mismatch']);
  });
});

describe('checkov CKV_AWS_60 fixtures (AWS:* trust), YAML and JSON-in-YAML', () => {
  it.each(['FAILED.yml', 'FAILED-2.yml'])(
    'Given %s, When linted, Then both star roles are critical and public',
    async (file) => {
      const { findings } = await lint(
        `checkov/cloudformation/checks/resource/aws/example_IAMRoleAllowsPublicAssume/${file}`,
      );
      const publicRoles = findings
        .filter((f) => f.checkId === 'trust-public' && f.severity === 'critical')
        .map((f) => f.resourceName.replace(/\d$/, ''));
      expect(publicRoles.sort()).toEqual(['AWSStarPrincipal', 'AWSStarPrincipalInList']);
    },
  );

  it.each(['PASSED.yml', 'PASSED-2.yml'])(
    'Given %s (service roles and a Deny on AWS:*), When linted, Then nothing is flagged',
    async (file) => {
      expect(
        (await lint(`checkov/cloudformation/checks/resource/aws/example_IAMRoleAllowsPublicAssume/${file}`)).findings,
      ).toEqual([]);
    },
  );
});

describe('subvectors: IAM condition semantics and grades', () => {
  interface VectorCondition {
    consumer: string;
    claim?: string;
    pattern?: string | string[];
    of?: VectorCondition[];
  }
  interface Vector {
    id: string;
    issuer: string;
    subject: string;
    claims?: Record<string, string>;
    condition: VectorCondition;
    expect: 'match' | 'no-match';
    judgment?: { grade: 'safe' | 'caution' | 'dangerous' };
  }
  const ISSUERS: Record<string, string> = {
    github: 'token.actions.githubusercontent.com',
    gitlab: 'gitlab.com',
    circleci: 'oidc.circleci.com/org/2a3b4c5d-1111-2222-3333-444455556666',
    bitbucket: 'api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc',
    'terraform-cloud': 'app.terraform.io',
  };
  const dir = `${CORPUS}subvectors/vectors/`;
  const vectors: Vector[] = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => (JSON.parse(readFileSync(`${dir}${f}`, 'utf8')) as { vectors: Vector[] }).vectors);

  /** The trust policy a vector's condition stands for, with the vector's issuer as the trusted provider. */
  function policyOf(vector: Vector): Record<string, unknown> {
    const issuer = ISSUERS[vector.issuer] ?? vector.issuer;
    const parts = vector.condition.consumer === 'aws-all' ? (vector.condition.of ?? []) : [vector.condition];
    const condition: Record<string, Record<string, string | string[]>> = {};
    for (const part of parts) {
      const operator = part.consumer === 'aws-stringlike' ? 'StringLike' : 'StringEquals';
      condition[operator] = { ...condition[operator], [`${issuer}:${part.claim ?? 'sub'}`]: part.pattern ?? '' };
    }
    return {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${issuer}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: condition,
        },
      ],
    };
  }

  it('Given the corpus, When counted, Then all 68 vectors are present', () => {
    expect(vectors).toHaveLength(68);
    expect(new Set(vectors.map((v) => v.condition.consumer))).toEqual(
      new Set(['aws-stringequals', 'aws-stringlike', 'aws-all']),
    );
  });

  it.each(vectors.map((v) => [v.id, v] as const))(
    'Given vector %s, When its token is checked against the condition, Then match / no-match agrees',
    (_id, vector) => {
      const issuer = ISSUERS[vector.issuer] ?? vector.issuer;
      const claims = vector.claims ?? { sub: vector.subject };
      const context = requestContext(
        Object.fromEntries(Object.entries(claims).map(([claim, value]) => [`${issuer}:${claim}`, value])),
      );
      const normalized = normalizePolicy(policyOf(vector));
      if (!normalized.ok) throw new Error(normalized.error);
      const conditions = normalized.policy.statements[0]?.conditions ?? [];
      expect(evaluateConditions(conditions, context) ? 'match' : 'no-match').toBe(vector.expect);
    },
  );

  /**
   * Grades are the vectors' author's opinion of the subject a pattern admitted; roleshift grades
   * the pattern. dangerous ⇔ an issue of medium or more; safe ⇔ nothing above low.
   * Where they differ, on purpose:
   */
  const differences: Record<string, string> = {
    // `repo:o/r:*` / any-ref patterns: the same pattern is graded "caution" in another vector;
    // roleshift rates any-branch / any-context wildcards low, the same for every provider.
    'gh-aws-pull-request-subject': 'low: repo-wide context wildcard',
    'gh-aws-all-aws-branch-wildcard-example': 'low: repo-wide context wildcard',
    'gitlab-aws-ref-type-confusion-wildcard': 'low: ref-type wildcard',
    'gitlab-aws-any-branch-no-refprotected': 'low: any-branch wildcard',
    'gitlab-aws-merge-request-source-branch-admitted': 'low: any-branch wildcard',
    'gitlab-aws-all-pipeline-source-gates-mr': 'low: any-branch wildcard (pipeline_source is checked too)',
    'tfc-aws-run-phase-wildcard-collapses-plan-apply': 'low: run-phase wildcard',
    // Risks that live outside the policy text (name reuse, SSH re-runs) are not modelled.
    'gitlab-aws-path-reuse-no-projectid': 'not modelled: project path reuse',
    'circleci-aws-ssh-rerun-debug-token-admitted': 'not modelled: SSH re-run tokens',
    // Stricter: a job_workflow_ref pin alone admits any repository that calls the workflow.
    'gh-aws-jwr-condition-key-sha-pin': 'medium: no repository or owner pin besides the workflow',
  };
  const graded = vectors.filter((v) => {
    // A vector whose condition constrains a claim other than the subject is a fragment, not a policy.
    const parts = v.condition.consumer === 'aws-all' ? (v.condition.of ?? []) : [v.condition];
    return v.judgment !== undefined && parts.some((p) => (p.claim ?? 'sub') === 'sub');
  });

  it.each(graded.map((v) => [v.id, v] as const))(
    'Given graded vector %s, When its policy is analysed, Then the verdict agrees with the grade or the difference is documented',
    (id, vector) => {
      const worst = Math.max(-1, ...analyzeTrustPolicy(policyOf(vector), {}).map((i) => severityRank(i.severity)));
      const grade = vector.judgment?.grade;
      const agrees =
        grade === 'caution' || (grade === 'dangerous' ? worst >= severityRank('medium') : worst <= severityRank('low'));
      expect({ id, agrees }).toEqual({ id, agrees: !(id in differences) });
    },
  );
});

describe('other labelled cases', () => {
  it("Given CloudCommotion's GitHub role (aud only, no sub), When linted, Then it is critical", async () => {
    const { findings } = await lint('cloudcommotion/aws_iam_role/oidc/main.tf');
    const critical = findings.filter((f) => f.severity === 'critical');
    expect(critical.map((f) => [f.checkId, f.resourceName])).toEqual([
      ['oidc-no-subject', 'data.aws_iam_policy_document.document'],
    ]);
    // The provider ARN is a Terraform reference: said, not guessed.
    expect(findings.find((f) => f.checkId === 'lint-unresolved')?.message).toContain(
      'aws_iam_openid_connect_provider.provider.arn',
    );
  });

  it("Given AWS's configure-aws-credentials CloudFormation example, When linted, Then it is flagged org-wide and administrator", async () => {
    const { findings } = await lint('configure-aws-credentials/github-actions-oidc-federation-and-role.yml');
    const ids = findings
      .filter((f) => f.severity !== 'info')
      .map((f) => `${f.checkId}/${f.severity}`)
      .sort();
    expect(ids).toEqual([
      'identity-admin-managed-policy/high',
      'oidc-audience-missing/low',
      'oidc-subject-tenant-wide/medium',
    ]);
    const admin = findings.find((f) => f.checkId === 'identity-admin-managed-policy');
    expect(admin).toMatchObject({ resourceName: 'RoleGithubActions', location: { line: 71 } });
    expect(findings.find((f) => f.checkId === 'lint-unresolved')?.message).toContain('GitHubOrganization');
  });

  it("Given stratus-red-team's backdoored trust policy, When analysed, Then only the external-account statement is flagged", () => {
    const issues = analyzeTrustPolicy(
      read('stratus-red-team/attacktechniques/persistence/iam-backdoor-role/malicious_policy.json'),
      { accountId: '111122223333' },
    );
    expect(issues.map((i) => [i.ruleId, i.statementIndex, i.pointer])).toEqual([
      ['trust-cross-account-no-external-id', 1, '/Statement/1/Principal/AWS'],
    ]);
  });

  it("Given stratus-red-team's backdoor role trust policy, When analysed, Then the external account root is flagged high", () => {
    const issues = analyzeTrustPolicy(
      read('stratus-red-team/attacktechniques/persistence/iam-create-backdoor-role/malicious_trust_policy.json'),
      { accountId: '111122223333' },
    );
    expect(issues.map((i) => `${i.ruleId}/${i.severity}`)).toEqual(['trust-cross-account-no-external-id/high']);
  });

  it("Given cloudmapper's demo account details, When linted, Then bad_role is publicly assumable and no other role is", async () => {
    const { findings } = await lint('cloudmapper/iam-get-account-authorization-details.json');
    expect(findings.filter((f) => f.checkId === 'trust-public').map((f) => [f.resourceName, f.severity])).toEqual([
      ['bad_role', 'critical'],
    ]);
  });

  it("Given cloudsplaining's lab account details, When linted, Then the root-trusting role is a whole-account trust, OrganizationAccountAccessRole is cross-account and service-linked roles are skipped", async () => {
    const { findings, extraction } = await lint('cloudsplaining/example.json');
    const of = (name: string): string[] => findings.filter((f) => f.resourceName === name).map((f) => f.checkId);
    expect(of('privesc-permissive-role-trust')).toEqual(['trust-whole-account']);
    // Its trust is cross-account, and it holds AdministratorAccess: both are reported now that lint reads permissions.
    expect(of('OrganizationAccountAccessRole').sort()).toEqual([
      'identity-admin-managed-policy',
      'trust-cross-account-no-external-id',
    ]);
    expect(findings.some((f) => f.resourceName.startsWith('AWSServiceRoleFor'))).toBe(false);
    expect(extraction.notes.some((n) => n.includes('service-linked role(s) skipped'))).toBe(true);
    // The account comes from the role ARNs: roles trusting users of the same account are not cross-account.
    expect(
      findings
        .filter((f) => f.checkId === 'trust-cross-account-no-external-id')
        .every((f) => !f.message.includes('200611803367')),
    ).toBe(true);
  });

  it('Given the trust terraform-aws-modules/iam-role renders for GitHub without subjects, When analysed, Then the missing sub is critical and ForAllValues is called out', () => {
    // modules/iam-role/main.tf, statement "GithubOidcAuth" with oidc_subjects and oidc_wildcard_subjects empty.
    const provider = 'token.actions.githubusercontent.com';
    const rendered = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'GithubOidcAuth',
          Effect: 'Allow',
          Action: ['sts:TagSession', 'sts:AssumeRoleWithWebIdentity'],
          Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${provider}` },
          Condition: {
            'ForAllValues:StringEquals': {
              [`${provider}:iss`]: `https://${provider}`,
              [`${provider}:aud`]: 'sts.amazonaws.com',
            },
          },
        },
      ],
    };
    expect(
      analyzeTrustPolicy(rendered, {})
        .map((i) => `${i.ruleId}/${i.severity}`)
        .sort(),
    ).toEqual([
      'oidc-no-subject/critical',
      'oidc-set-operator-single-valued/medium',
      'oidc-set-operator-single-valued/medium',
    ]);
  });

  it("Given the module's own example inputs (a pull_request subject), When the rendered trust is analysed, Then the pull_request value is flagged", () => {
    // examples/iam-role/main.tf, module "iam_role_github_oidc": oidc_subjects with `repo:` prepended by the module.
    const provider = 'token.actions.githubusercontent.com';
    const rendered = {
      Statement: [
        {
          Effect: 'Allow',
          Action: ['sts:TagSession', 'sts:AssumeRoleWithWebIdentity'],
          Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${provider}` },
          Condition: {
            'ForAllValues:StringEquals': {
              [`${provider}:iss`]: `https://${provider}`,
              [`${provider}:aud`]: 'sts.amazonaws.com',
            },
            StringEquals: {
              [`${provider}:sub`]: [
                'repo:terraform-aws-modules/terraform-aws-iam:pull_request',
                'repo:terraform-aws-modules/terraform-aws-iam:ref:refs/heads/master',
              ],
            },
          },
        },
      ],
    };
    const issues = analyzeTrustPolicy(rendered, {});
    expect(issues.filter((i) => i.ruleId === 'oidc-subject-pull-request').map((i) => i.pointer)).toEqual([
      `/Statement/0/Condition/StringEquals/${provider}:sub/0`,
    ]);
  });

  it('Given the module source itself, When linted, Then its dynamic statements are reported as not analysed rather than passed silently', async () => {
    const { extraction } = await lint('terraform-aws-modules-iam/modules/iam-role/main.tf');
    expect(extraction.notes.some((n) => n.startsWith('data.aws_iam_policy_document.this: dynamic blocks'))).toBe(true);
  });
});
