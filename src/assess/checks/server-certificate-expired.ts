import type { CheckDefinition, CheckResult } from '../check.js';
import { failed, passed, type Subject } from '../../model/rule.js';
import type { Account, ServerCertificate } from '../../model/snapshot.js';

function certificateSubject(account: Account, certificate: ServerCertificate): Subject {
  return {
    accountId: account.accountId,
    resourceType: 'server-certificate',
    resourceArn: certificate.arn,
    resourceName: `${account.accountId}/${certificate.name}`,
  };
}

/** CIS 1.19 / IAM.26: no expired SSL/TLS certificate is stored in IAM. */
export const rule: CheckDefinition = {
  id: 'server-certificate-expired',
  title: 'Expired SSL/TLS certificate stored in IAM',
  severity: 'medium',
  rationale:
    'An expired certificate still deployed to a load balancer or CloudFront breaks TLS for its users, and one left in IAM can be attached again by mistake.',
  remediation:
    'Replace it (AWS Certificate Manager renews certificates itself) and delete the expired one: aws iam delete-server-certificate --server-certificate-name NAME.',
  references: {
    cis: ['1.19'],
    securityHub: ['IAM.26'],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot, context) => {
    const out: CheckResult[] = [];
    for (const account of snapshot.accounts) {
      for (const certificate of account.serverCertificates ?? []) {
        const subject = certificateSubject(account, certificate);
        const expiration = certificate.expiration;
        // Without a readable expiry there is no verdict either way.
        if (expiration.state !== 'at') continue;
        if (new Date(expiration.at).getTime() <= context.now.getTime())
          out.push(failed(subject, `the certificate expired on ${expiration.at.slice(0, 10)}`));
        else out.push(passed(subject, `the certificate is valid until ${expiration.at.slice(0, 10)}`));
      }
    }
    return out;
  },
};
