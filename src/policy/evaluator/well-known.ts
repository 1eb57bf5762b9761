/**
 * AWS managed policies whose meaning is fixed, for sources that list the attachment but not the
 * document (GAAD includes only policies attached somewhere in the account; files may omit them).
 * Only documents that never change are kept here; any other missing document stays unread.
 */
import type { PolicyDocument } from '../../model/snapshot.js';

const ADMINISTRATOR_ACCESS: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/** The fixed document of a well-known AWS managed policy, in any partition; null for any other ARN. */
export function wellKnownPolicyDocument(arn: string): PolicyDocument | null {
  return /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/.test(arn) ? ADMINISTRATOR_ACCESS : null;
}
