import { describe, expect, it } from 'vitest';
import { extractPolicies } from './sources.js';
import { InputFileError } from '../errors.js';

const CFN_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Org:
    Type: String
  Repo:
    Type: String
    Default: "*"
  Mode:
    Type: String
    Default: "create"
Conditions:
  Create: !Equals [!Ref Mode, "create"]
Resources:
  Provider:
    Type: AWS::IAM::OIDCProvider
    Properties:
      Url: https://token.actions.githubusercontent.com
  Deploy:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Action: sts:AssumeRoleWithWebIdentity
            Principal:
              Federated: !If [Create, !GetAtt Provider.Arn, !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:oidc-provider/other"]
            Condition:
              StringLike:
                token.actions.githubusercontent.com:sub: !Sub repo:\${Org}/\${Repo}
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/AdministratorAccess
      Policies:
        - PolicyName: inline
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: "*"
                Resource: "*"
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: |
        {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
`;

describe('extractPolicies — CloudFormation', () => {
  it('Given a YAML template with short tags, When extracted, Then intrinsics resolve from defaults, conditions and provider resources', async () => {
    const { policies, attachments } = await extractPolicies('stack.yml', CFN_YAML);
    const trust = policies.find((p) => p.resourceName === 'Deploy');
    expect(trust?.kind).toBe('trust');
    expect(trust?.document).toEqual({
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: 'arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com' },
          Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:${Org}/*' } },
        },
      ],
    });
    expect(trust?.unresolved).toEqual(['Org']);
    expect(trust?.line).toBe(22);
    expect(trust?.lineOf('/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub')).toBe(29);
    expect(policies.map((p) => [p.resourceName, p.kind])).toEqual([
      ['Deploy', 'trust'],
      ['Deploy.Policies[inline]', 'identity'],
      ['Managed', 'identity'],
    ]);
    expect(attachments).toEqual([
      { file: 'stack.yml', resourceName: 'Deploy', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', line: 31 },
    ]);
  });

  it('Given a JSON template, When extracted, Then the role trust policy is found with its line', async () => {
    const text = JSON.stringify(
      {
        Resources: {
          R: {
            Type: 'AWS::IAM::Role',
            Properties: {
              AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] },
            },
          },
        },
      },
      null,
      2,
    );
    const { policies } = await extractPolicies('stack.json', text);
    expect(policies).toHaveLength(1);
    expect(policies[0]?.lineOf('/Statement/0/Principal')).toBe(
      text.split('\n').findIndex((l) => l.includes('"Principal"')) + 1,
    );
  });

  it('Given invalid YAML, When extracted, Then it is an input error naming the file and line', async () => {
    const error = await extractPolicies('bad.yml', 'Resources:\n  A: [1, 2\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputFileError);
    expect((error as Error).message).toMatch(/^bad\.yml: not valid YAML \(line \d+\)/);
  });
});

describe('extractPolicies — plain documents and account details', () => {
  it('Given a policy document file, When extracted, Then it is one auto document with pointer lines', async () => {
    const text =
      '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Principal": "*",\n      "Action": "sts:AssumeRole"\n    }\n  ]\n}\n';
    const { policies } = await extractPolicies('trust.json', text);
    expect(policies.map((p) => [p.resourceName, p.kind])).toEqual([['trust.json', 'auto']]);
    expect(policies[0]?.lineOf('/Statement/0/Principal')).toBe(6);
  });

  it('Given get-account-authorization-details output, When extracted, Then each role trust policy is named by the role', async () => {
    const text = JSON.stringify({
      RoleDetailList: [
        { RoleName: 'a', Arn: 'arn:aws:iam::200611803367:role/a', AssumeRolePolicyDocument: { Statement: [] } },
        { RoleName: 'b', AssumeRolePolicyDocument: '%7B%7D' },
      ],
    });
    const { policies } = await extractPolicies('gaad.json', text);
    expect(policies.map((p) => [p.resourceName, p.kind, p.document, p.accountId])).toEqual([
      ['a', 'trust', { Statement: [] }, '200611803367'],
      ['b', 'trust', '%7B%7D', undefined],
    ]);
  });

  it('Given JSON that is none of the known shapes, When extracted, Then the error says what was expected', async () => {
    await expect(extractPolicies('package.json', '{"name": "x"}')).rejects.toThrow(
      /package\.json: not a policy document/,
    );
  });
});

const TERRAFORM = `resource "aws_iam_openid_connect_provider" "github" {
  url = "https://token.actions.githubusercontent.com"
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringLike = { "token.actions.githubusercontent.com:sub" = "repo:\${var.org}/*" }
      }
    }]
  })
}

resource "aws_iam_role" "vendor" {
  name               = "vendor"
  assume_role_policy = <<EOF
{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole"}]}
EOF
}

resource "aws_iam_role" "from_data" {
  name               = "from-data"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role" "from_var" {
  name               = "from-var"
  assume_role_policy = var.trust
  inline_policy {
    name   = "all"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
  }
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.deploy.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-abc"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-def"]
    }
  }
}
`;

describe('extractPolicies — Terraform', () => {
  it('Given roles with jsonencode, heredoc, data and variable trust policies, When extracted, Then each is read or named as unresolved', async () => {
    const { policies, attachments, notes } = await extractPolicies('main.tf', TERRAFORM);
    expect(policies.map((p) => [p.resourceName, p.kind, p.line])).toEqual([
      ['aws_iam_role.deploy', 'trust', 5],
      ['aws_iam_role.vendor', 'trust', 20],
      ['aws_iam_role.from_var.inline_policy[all]', 'identity', 32],
      ['data.aws_iam_policy_document.trust', 'auto', 46],
    ]);
    const deploy = policies[0];
    expect(deploy?.document).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: '${aws_iam_openid_connect_provider.github.arn}' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:${var.org}/*' } },
        },
      ],
    });
    expect(deploy?.unresolved).toEqual(['aws_iam_openid_connect_provider.github.arn', '${var.org}']);
    expect(policies[3]?.document).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Principal: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-abc', 'o-def'] } },
        },
      ],
    });
    expect(attachments).toEqual([
      {
        file: 'main.tf',
        resourceName: 'aws_iam_role.deploy',
        policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        line: 41,
      },
    ]);
    expect(notes).toEqual([
      'aws_iam_role.from_var: assume_role_policy = var.trust cannot be resolved offline; not analysed.',
    ]);
  });

  it('Given HCL that does not parse, When extracted, Then it is an input error naming the file', async () => {
    await expect(extractPolicies('broken.tf', 'resource "x" {')).rejects.toThrow(
      /^broken\.tf: not valid Terraform HCL/,
    );
  });

  it('Given a plan JSON, When extracted, Then known policies are read and unknown ones are noted', async () => {
    const plan = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            {
              address: 'aws_iam_role.a',
              mode: 'managed',
              type: 'aws_iam_role',
              values: { assume_role_policy: '{"Statement":[]}' },
            },
            { address: 'aws_iam_role.b', mode: 'managed', type: 'aws_iam_role', values: {} },
          ],
          child_modules: [
            {
              resources: [
                {
                  address: 'module.m.data.aws_iam_policy_document.d',
                  mode: 'data',
                  type: 'aws_iam_policy_document',
                  values: { json: '{"Statement":[]}' },
                },
              ],
            },
          ],
        },
      },
    };
    const { policies, notes } = await extractPolicies('plan.json', JSON.stringify(plan));
    expect(policies.map((p) => [p.resourceName, p.kind])).toEqual([
      ['aws_iam_role.a', 'trust'],
      ['module.m.data.aws_iam_policy_document.d', 'auto'],
    ]);
    expect(notes).toEqual(['aws_iam_role.b: assume_role_policy is known only after apply; not analysed.']);
  });
});

describe('extractPolicies — permissions policies and boundaries', () => {
  const everything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

  it('Given account details, When extracted, Then inline and customer managed policies are read, AWS managed ones judged where attached', async () => {
    const text = JSON.stringify(
      {
        UserDetailList: [
          {
            UserName: 'u',
            Arn: 'arn:aws:iam::111122223333:user/u',
            UserPolicyList: [{ PolicyName: 'own', PolicyDocument: everything }],
            AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' }],
            PermissionsBoundary: { PermissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/cap' },
          },
        ],
        GroupDetailList: [{ GroupName: 'g', GroupPolicyList: [{ PolicyName: 'gp', PolicyDocument: everything }] }],
        RoleDetailList: [
          {
            RoleName: 'r',
            Arn: 'arn:aws:iam::111122223333:role/r',
            AssumeRolePolicyDocument: { Statement: [] },
            RolePolicyList: [{ PolicyName: 'rp', PolicyDocument: everything }],
          },
          {
            RoleName: 'AWSServiceRoleForSupport',
            Path: '/aws-service-role/support.amazonaws.com/',
            AssumeRolePolicyDocument: { Statement: [] },
            AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
          },
        ],
        Policies: [
          {
            PolicyName: 'team',
            Arn: 'arn:aws:iam::111122223333:policy/team',
            PolicyVersionList: [
              { Document: { Statement: [] }, IsDefaultVersion: false },
              { Document: everything, IsDefaultVersion: true },
            ],
          },
          {
            PolicyName: 'cap',
            Arn: 'arn:aws:iam::111122223333:policy/cap',
            PolicyVersionList: [{ Document: everything, IsDefaultVersion: true }],
          },
          {
            PolicyName: 'marked',
            Description: 'made by roleshift-boundary',
            Arn: 'arn:aws:iam::111122223333:policy/marked',
            PolicyVersionList: [{ Document: everything, IsDefaultVersion: true }],
          },
          {
            PolicyName: 'PowerUserAccess',
            Arn: 'arn:aws:iam::aws:policy/PowerUserAccess',
            PolicyVersionList: [{ Document: everything, IsDefaultVersion: true }],
          },
        ],
      },
      null,
      2,
    );
    const { policies, attachments, notes } = await extractPolicies('gaad.json', text);
    expect(policies.map((p) => [p.resourceName, p.kind, p.accountId ?? null])).toEqual([
      ['r', 'trust', '111122223333'],
      ['u.UserPolicyList[own]', 'identity', '111122223333'],
      ['g.GroupPolicyList[gp]', 'identity', null],
      ['r.RolePolicyList[rp]', 'identity', '111122223333'],
      ['team', 'identity', '111122223333'],
      ['cap', 'boundary', '111122223333'],
      ['marked', 'boundary', '111122223333'],
    ]);
    expect(policies.find((p) => p.resourceName === 'team')?.lineOf('/Statement/0')).toBeGreaterThan(1);
    expect(attachments.map((a) => [a.resourceName, a.policyArn, a.document !== undefined])).toEqual([
      ['u', 'arn:aws:iam::aws:policy/PowerUserAccess', true],
    ]);
    expect(notes).toEqual([
      '1 AWS managed policies not linted on their own: they are judged where attached.',
      '1 service-linked role(s) skipped: AWS owns their policies.',
    ]);
  });

  it('Given a template whose role uses a managed policy as its boundary by Ref, GetAtt or ARN, When extracted, Then that policy is a boundary', async () => {
    const managed = (name: string) => ({
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: { ManagedPolicyName: name, PolicyDocument: everything },
    });
    const template = {
      Resources: {
        ByRef: managed('by-ref'),
        ByGetAtt: managed('by-get-att'),
        ByArn: managed('by-arn'),
        Marked: {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: { Description: 'roleshift-boundary', PolicyDocument: everything },
        },
        Plain: managed('plain'),
        A: { Type: 'AWS::IAM::Role', Properties: { PermissionsBoundary: { Ref: 'ByRef' } } },
        B: { Type: 'AWS::IAM::User', Properties: { PermissionsBoundary: { 'Fn::GetAtt': ['ByGetAtt', 'PolicyArn'] } } },
        C: {
          Type: 'AWS::IAM::Role',
          Properties: {
            PermissionsBoundary: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/by-arn' },
          },
        },
      },
    };
    const { policies } = await extractPolicies('template.json', JSON.stringify(template));
    expect(Object.fromEntries(policies.map((p) => [p.resourceName, p.kind]))).toEqual({
      ByRef: 'boundary',
      ByGetAtt: 'boundary',
      ByArn: 'boundary',
      Marked: 'boundary',
      Plain: 'identity',
    });
  });

  it('Given Terraform whose role names a policy as permissions_boundary, When extracted, Then the policy and the document it is built from are boundaries', async () => {
    const hcl = `
data "aws_iam_policy_document" "cap" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "cap" {
  name   = "cap"
  policy = data.aws_iam_policy_document.cap.json
}
resource "aws_iam_policy" "inline_cap" {
  name   = "inline-cap"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
resource "aws_iam_policy" "plain" {
  name   = "plain"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
resource "aws_iam_role" "a" {
  name                 = "a"
  assume_role_policy   = jsonencode({ Statement = [] })
  permissions_boundary = aws_iam_policy.cap.arn
}
resource "aws_iam_user" "b" {
  name                 = "b"
  permissions_boundary = "arn:aws:iam::111122223333:policy/inline-cap"
}
`;
    const { policies } = await extractPolicies('main.tf', hcl);
    expect(Object.fromEntries(policies.map((p) => [p.resourceName, p.kind]))).toEqual({
      'aws_iam_role.a': 'trust',
      'aws_iam_policy.inline_cap': 'boundary',
      'aws_iam_policy.plain': 'identity',
      'data.aws_iam_policy_document.cap': 'boundary',
    });
  });

  it('Given a plan whose role refers to a policy as its boundary, When extracted, Then that policy is a boundary', async () => {
    const plan = {
      planned_values: {
        root_module: {
          resources: [
            {
              address: 'aws_iam_policy.cap',
              mode: 'managed',
              type: 'aws_iam_policy',
              values: { name: 'cap', policy: JSON.stringify(everything) },
            },
            {
              address: 'aws_iam_policy.other',
              mode: 'managed',
              type: 'aws_iam_policy',
              values: { name: 'other', policy: JSON.stringify(everything) },
            },
            {
              address: 'aws_iam_role.a',
              mode: 'managed',
              type: 'aws_iam_role',
              values: { assume_role_policy: '{"Statement":[]}' },
            },
          ],
        },
      },
      configuration: {
        root_module: {
          resources: [
            {
              address: 'aws_iam_role.a',
              type: 'aws_iam_role',
              expressions: { permissions_boundary: { references: ['aws_iam_policy.cap.arn', 'aws_iam_policy.cap'] } },
            },
          ],
        },
      },
    };
    const { policies } = await extractPolicies('plan.json', JSON.stringify(plan));
    expect(Object.fromEntries(policies.map((p) => [p.resourceName, p.kind]))).toEqual({
      'aws_iam_policy.cap': 'boundary',
      'aws_iam_policy.other': 'identity',
      'aws_iam_role.a': 'trust',
    });
  });

  it('Given a policy file named with the roleshift-boundary marker, When extracted, Then it is a boundary', async () => {
    const { policies } = await extractPolicies('out/roleshift-boundary.json', JSON.stringify(everything));
    expect(policies.map((p) => p.kind)).toEqual(['boundary']);
  });
});
