import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  AttachRolePolicyCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  CreateInstanceProfileCommand,
  AddRoleToInstanceProfileCommand,
  ListOpenIDConnectProvidersCommand,
} from '@aws-sdk/client-iam';
import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import {
  CreateOrganizationCommand,
  CreatePolicyCommand as CreateOrgPolicyCommand,
  DescribePolicyCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  SNSClient,
  SetTopicAttributesCommand,
} from '@aws-sdk/client-sns';
import {
  AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RoleshiftConfig } from '../../src/config.js';
import { bundlePlan, type Bundle } from '../../src/generate/bundle.js';
import { planGuardrails } from '../../src/plan/guardrails.js';
import { planMigration } from '../../src/plan/plan.js';
import { describeWithMoto, type Moto } from '../harness/moto.js';
import { DEV, NOW, planningEstate, PROD, SEED, CATALOG } from './estate.js';

const CONFIG: RoleshiftConfig = { ...DEFAULT_CONFIG, ownershipDefaults: { owner: 'cloud-platform' } };

function bundle(): Bundle {
  const { snapshot, classifications } = planningEstate();
  const plan = planMigration(snapshot, {
    classifications,
    config: CONFIG,
    now: NOW,
    externalIdSeed: SEED,
    catalog: CATALOG,
  });
  return bundlePlan(plan, planGuardrails(plan, { config: CONFIG }));
}

/** SDK clients whose calls land in one moto account (header x-moto-account-id). */
function inAccount<T extends { middlewareStack: IAMClient['middlewareStack'] }>(client: T, accountId: string): T {
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-moto-account-id'] = accountId;
      return next(args);
    },
    { step: 'build', name: 'motoAccount' },
  );
  return client;
}

function config(moto: Moto): { endpoint: string; region: string; credentials: Moto['credentials'] } {
  return { endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials };
}

/** Roles Anywhere is not in moto: a trust anchor ARN of the right shape stands in for the reference. */
function withAnchorArn(document: unknown, accountId: string): string {
  return JSON.stringify(document).replace(
    /\$\{roleshift:trust-anchor:\d{12}:[^}]+\}/g,
    `arn:aws:rolesanywhere:us-east-1:${accountId}:trust-anchor/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9`,
  );
}

const tagList = (tags: Record<string, string>): Array<{ Key: string; Value: string }> =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

describeWithMoto(
  'generated artifacts against the AWS APIs (moto)',
  (moto) => {
    it('Given the planned roles and OIDC providers, when created through IAM, then IAM accepts them and returns them as planned', async () => {
      const planned = bundle();
      for (const account of planned.accounts) {
        const iam = inAccount(new IAMClient(config(moto())), account.accountId);
        if (account.accountId === PROD) {
          await iam.send(
            new CreatePolicyCommand({
              PolicyName: 'deploy-site',
              Path: '/team/',
              PolicyDocument: JSON.stringify({
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
              }),
            }),
          );
        }
        for (const provider of account.oidcProviders) {
          await iam.send(
            new CreateOpenIDConnectProviderCommand({
              Url: provider.url,
              ClientIDList: provider.clientIds,
              Tags: tagList(provider.tags),
            }),
          );
        }
        for (const role of account.roles) {
          await iam.send(
            new CreateRoleCommand({
              RoleName: role.name,
              Path: role.path,
              Description: role.description,
              MaxSessionDuration: role.maxSessionDuration,
              AssumeRolePolicyDocument: withAnchorArn(role.trustPolicy, account.accountId),
              Tags: tagList(role.tags),
            }),
          );
          for (const policy of role.permissions.customerManagedPolicies)
            await iam.send(new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn: policy.arn }));
          for (const arn of role.permissions.awsManagedPolicyArns)
            await iam.send(new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn: arn }));
          if (role.permissions.inlinePolicy) {
            await iam.send(
              new PutRolePolicyCommand({
                RoleName: role.name,
                PolicyName: 'permissions',
                PolicyDocument: JSON.stringify(role.permissions.inlinePolicy),
              }),
            );
          }
          if (role.instanceProfile) {
            await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: role.name, Path: role.path }));
            await iam.send(
              new AddRoleToInstanceProfileCommand({ InstanceProfileName: role.name, RoleName: role.name }),
            );
          }
          const stored = await iam.send(new GetRoleCommand({ RoleName: role.name }));
          const text = stored.Role?.AssumeRolePolicyDocument ?? '';
          expect(JSON.parse(text.startsWith('{') ? text : decodeURIComponent(text))).toEqual(
            JSON.parse(withAnchorArn(role.trustPolicy, account.accountId)),
          );
          expect(stored.Role?.Arn).toBe(`arn:aws:iam::${account.accountId}:role${role.path}${role.name}`);
          const tags = await iam.send(new ListRoleTagsCommand({ RoleName: role.name }));
          expect(Object.fromEntries((tags.Tags ?? []).map((tag) => [tag.Key, tag.Value]))).toEqual(role.tags);
        }
        const providers = await iam.send(new ListOpenIDConnectProvidersCommand({}));
        expect((providers.OpenIDConnectProviderList ?? []).map((p) => p.Arn).sort()).toEqual(
          account.oidcProviders.map((p) => `arn:aws:iam::${account.accountId}:oidc-provider/${p.host}`).sort(),
        );
      }
      expect(planned.accounts.map((account) => account.accountId)).toEqual([PROD, DEV]);
    });

    it('Given the planned Identity Center objects, when created through SSO Admin and Identity Store, then the assignments exist', async () => {
      const { identityCenter } = bundle();
      const sso = new SSOAdminClient(config(moto()));
      const store = new IdentitystoreClient(config(moto()));
      const instance = (await sso.send(new ListInstancesCommand({}))).Instances?.[0];
      const instanceArn = instance?.InstanceArn ?? '';
      const identityStoreId = instance?.IdentityStoreId ?? '';
      expect(instanceArn).not.toBe('');
      const userIds = new Map<string, string>();
      for (const user of identityCenter.users) {
        const created = await store.send(
          new CreateUserCommand({
            IdentityStoreId: identityStoreId,
            UserName: user.userName,
            DisplayName: user.displayName,
            Name: { GivenName: user.givenName, FamilyName: user.familyName },
            Emails: user.email ? [{ Value: user.email, Primary: true }] : undefined,
          }),
        );
        userIds.set(user.userName, created.UserId ?? '');
      }
      const groupIds = new Map<string, string>();
      for (const group of identityCenter.groups) {
        const created = await store.send(
          new CreateGroupCommand({ IdentityStoreId: identityStoreId, DisplayName: group.displayName }),
        );
        groupIds.set(group.displayName, created.GroupId ?? '');
        for (const member of group.members) {
          await store.send(
            new CreateGroupMembershipCommand({
              IdentityStoreId: identityStoreId,
              GroupId: created.GroupId,
              MemberId: { UserId: userIds.get(member) ?? '' },
            }),
          );
        }
      }
      const setArns = new Map<string, string>();
      for (const set of identityCenter.permissionSets) {
        const created = await sso.send(
          new CreatePermissionSetCommand({
            InstanceArn: instanceArn,
            Name: set.name,
            Description: set.description,
            SessionDuration: set.sessionDuration,
            Tags: tagList(set.tags),
          }),
        );
        const arn = created.PermissionSet?.PermissionSetArn ?? '';
        setArns.set(set.name, arn);
        for (const policy of set.permissions.awsManagedPolicyArns) {
          await sso.send(
            new AttachManagedPolicyToPermissionSetCommand({
              InstanceArn: instanceArn,
              PermissionSetArn: arn,
              ManagedPolicyArn: policy,
            }),
          );
        }
        for (const policy of set.permissions.customerManagedPolicies) {
          await sso.send(
            new AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
              InstanceArn: instanceArn,
              PermissionSetArn: arn,
              CustomerManagedPolicyReference: { Name: policy.name, Path: policy.path },
            }),
          );
        }
        if (set.permissions.inlinePolicy) {
          await sso.send(
            new PutInlinePolicyToPermissionSetCommand({
              InstanceArn: instanceArn,
              PermissionSetArn: arn,
              InlinePolicy: JSON.stringify(set.permissions.inlinePolicy),
            }),
          );
        }
        // moto has no SSO ListTagsForResource: the tags are sent (and accepted) with CreatePermissionSet.
        expect(set.tags).toMatchObject({ owner: expect.any(String), 'managed-by': 'roleshift' });
      }
      for (const assignment of identityCenter.assignments) {
        await sso.send(
          new CreateAccountAssignmentCommand({
            InstanceArn: instanceArn,
            PermissionSetArn: setArns.get(assignment.permissionSetName),
            PrincipalType: assignment.principalType,
            PrincipalId:
              assignment.principalType === 'GROUP'
                ? groupIds.get(assignment.principalName)
                : userIds.get(assignment.principalName),
            TargetId: assignment.accountId,
            TargetType: 'AWS_ACCOUNT',
          }),
        );
      }
      for (const assignment of identityCenter.assignments) {
        const listed = await sso.send(
          new ListAccountAssignmentsCommand({
            InstanceArn: instanceArn,
            AccountId: assignment.accountId,
            PermissionSetArn: setArns.get(assignment.permissionSetName),
          }),
        );
        expect(listed.AccountAssignments?.map((a) => a.PrincipalType)).toEqual([assignment.principalType]);
      }
      expect(identityCenter.assignments).toHaveLength(2);
    });

    it('Given the guardrails, when the SCP, boundary, topic and EventBridge rules are created, then each API accepts them', async () => {
      const { guardrails } = bundle();
      const organizations = new OrganizationsClient(config(moto()));
      await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
      const scp = await organizations.send(
        new CreateOrgPolicyCommand({
          Name: guardrails.scpName,
          Description: 'roleshift guardrail',
          Type: 'SERVICE_CONTROL_POLICY',
          Content: JSON.stringify(guardrails.scp),
          Tags: tagList(guardrails.tags),
        }),
      );
      const described = await organizations.send(
        new DescribePolicyCommand({ PolicyId: scp.Policy?.PolicySummary?.Id }),
      );
      expect(JSON.parse(described.Policy?.Content ?? '{}')).toEqual(guardrails.scp);

      const iam = new IAMClient(config(moto()));
      const boundary = await iam.send(
        new CreatePolicyCommand({
          PolicyName: guardrails.boundaryName,
          Path: '/roleshift/',
          PolicyDocument: JSON.stringify(guardrails.permissionsBoundary),
          Tags: tagList(guardrails.tags),
        }),
      );
      expect(boundary.Policy?.Arn).toMatch(/:policy\/roleshift\/roleshift-boundary$/);

      const sns = new SNSClient(config(moto()));
      const topic = await sns.send(
        new CreateTopicCommand({
          Name: guardrails.topicName,
          Attributes: { KmsMasterKeyId: guardrails.topicKeyAlias },
          Tags: tagList(guardrails.tags),
        }),
      );
      const topicArn = topic.TopicArn ?? '';
      const attributes = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
      expect(attributes.Attributes?.KmsMasterKeyId).toBe(guardrails.topicKeyAlias);
      await sns.send(
        new SetTopicAttributesCommand({
          TopicArn: topicArn,
          AttributeName: 'Policy',
          AttributeValue: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sns:Publish',
                Resource: topicArn,
              },
            ],
          }),
        }),
      );
      const events = new EventBridgeClient(config(moto()));
      for (const rule of guardrails.rules) {
        await events.send(
          new PutRuleCommand({
            Name: rule.name,
            Description: rule.description,
            EventPattern: JSON.stringify(rule.eventPattern),
            State: 'ENABLED',
            Tags: tagList(guardrails.tags),
          }),
        );
        await events.send(new PutTargetsCommand({ Rule: rule.name, Targets: [{ Id: 'sns', Arn: topicArn }] }));
        const stored = await events.send(new DescribeRuleCommand({ Name: rule.name }));
        expect(JSON.parse(stored.EventPattern ?? '{}')).toEqual(rule.eventPattern);
        const targets = await events.send(new ListTargetsByRuleCommand({ Rule: rule.name }));
        expect(targets.Targets?.map((target) => target.Arn)).toEqual([topicArn]);
      }
      expect(guardrails.rules).toHaveLength(5);
    });
  },
  { managedPolicies: true },
);
