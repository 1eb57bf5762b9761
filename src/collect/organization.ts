import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListPolicies,
  paginateListRoots,
  paginateListTargetsForPolicy,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { OrgAccount, Organization, Scp } from '../model/organization.js';
import { whenAt, UNKNOWN } from '../model/when.js';
import { allItems } from './pages.js';
import { decodePolicyDocument } from './policy-text.js';

interface OuNode {
  id: string;
  name: string;
  ids: string[];
  names: string[];
}

/**
 * Reads the organization's structure: every account with the OU path it sits under, and every
 * SCP with its document and targets. Must run from the management account or a delegated
 * administrator; errors propagate so the caller records them as gaps.
 */
export async function readOrganization(client: OrganizationsClient): Promise<Organization> {
  const described = await client.send(new DescribeOrganizationCommand({}));
  const orgId = described.Organization?.Id ?? 'unknown';
  const managementAccountId = described.Organization?.MasterAccountId ?? 'unknown';

  const paging = { client };
  const roots = await allItems(paginateListRoots(paging, {}), (page) => page.Roots);

  const ouOfAccount = new Map<string, OuNode>();
  const walk = async (parent: OuNode): Promise<void> => {
    const accounts = await allItems(
      paginateListAccountsForParent(paging, { ParentId: parent.id }),
      (page) => page.Accounts,
    );
    for (const account of accounts) if (account.Id) ouOfAccount.set(account.Id, parent);
    const children = await allItems(
      paginateListOrganizationalUnitsForParent(paging, { ParentId: parent.id }),
      (page) => page.OrganizationalUnits,
    );
    for (const child of children) {
      if (!child.Id) continue;
      const name = child.Name ?? child.Id;
      await walk({ id: child.Id, name, ids: [...parent.ids, child.Id], names: [...parent.names, name] });
    }
  };
  for (const root of roots) {
    if (root.Id) await walk({ id: root.Id, name: root.Name ?? 'Root', ids: [root.Id], names: [root.Name ?? 'Root'] });
  }

  const listed = await allItems(paginateListAccounts(paging, {}), (page) => page.Accounts);
  const accounts: OrgAccount[] = listed
    .filter((account) => account.Id)
    .map((account) => {
      const ou = ouOfAccount.get(account.Id as string);
      return {
        accountId: account.Id as string,
        name: account.Name ?? '',
        status: String(account.State ?? account.Status ?? 'UNKNOWN').toUpperCase(),
        ouPath: ou?.names ?? [],
        ouIds: ou?.ids ?? [],
        joinedAt: account.JoinedTimestamp ? whenAt(account.JoinedTimestamp) : UNKNOWN,
      };
    })
    .sort((a, b) => a.accountId.localeCompare(b.accountId));

  const scps = await readScps(client);
  return { id: orgId, managementAccountId, accounts, scps };
}

async function readScps(client: OrganizationsClient): Promise<Scp[]> {
  const paging = { client };
  const summaries = await allItems(
    paginateListPolicies(paging, { Filter: 'SERVICE_CONTROL_POLICY' }),
    (page) => page.Policies,
  );
  const scps: Scp[] = [];
  for (const summary of summaries) {
    if (!summary.Id) continue;
    const described = await client.send(new DescribePolicyCommand({ PolicyId: summary.Id }));
    const targets = await allItems(
      paginateListTargetsForPolicy(paging, { PolicyId: summary.Id }),
      (page) => page.Targets,
    );
    const content = described.Policy?.Content;
    scps.push({
      id: summary.Id,
      arn: summary.Arn ?? '',
      name: summary.Name ?? summary.Id,
      awsManaged: Boolean(summary.AwsManaged),
      document: content ? decodePolicyDocument(content) : null,
      targets: targets
        .map((target) => ({
          targetId: target.TargetId ?? '',
          type: String(target.Type ?? ''),
          name: target.Name ?? '',
        }))
        .sort((a, b) => a.targetId.localeCompare(b.targetId)),
    });
  }
  return scps.sort((a, b) => a.id.localeCompare(b.id));
}
