import type { CheckDefinition, CheckResult } from '../check.js';
import { accountSubject, failed, passed } from '../../model/rule.js';
import { IDENTITY_CENTER_SAML_PROVIDER } from '../../model/snapshot.js';

/** Prowler iam_check_saml_providers_sts: people sign in through federation, and through one door. */
export const rule: CheckDefinition = {
  id: 'saml-provider-beside-identity-center',
  title: 'IAM SAML provider beside IAM Identity Center',
  severity: 'low',
  rationale:
    'An account federated through its own IAM SAML provider while IAM Identity Center also manages it has two doors for people: the IAM one escapes the permission sets, assignments and session policies Identity Center gives one view of.',
  remediation:
    'Move the people of the IAM SAML provider to IAM Identity Center (the same identity provider can be its source), then delete the provider and the roles that trust it.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/singlesignon/latest/userguide/what-is.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot) => {
    const out: CheckResult[] = [];
    for (const account of snapshot.accounts) {
      // Providers that could not be listed are unknown, not absent: the gap says so, no verdict here.
      const unread = snapshot.gaps.some(
        (gap) => gap.accountId === account.accountId && gap.api === 'iam:ListSAMLProviders',
      );
      if (unread) continue;
      const own = account.samlProviders.filter((provider) => !IDENTITY_CENTER_SAML_PROVIDER.test(provider.name));
      const subject = accountSubject(account);
      if (own.length > 0 && account.identityCenter.inUse)
        out.push(
          failed(
            subject,
            `IAM SAML provider ${own.map((provider) => provider.name).join(', ')} beside IAM Identity Center (${account.identityCenter.evidence.join(', ')})`,
          ),
        );
      else if (own.length > 0) out.push(passed(subject, 'people federate through an IAM SAML provider'));
      else if (account.identityCenter.inUse)
        out.push(passed(subject, 'people federate through IAM Identity Center only'));
    }
    return out;
  },
};
