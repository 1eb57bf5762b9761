/**
 * A policy document judged on its own (a file given to `lint`, a customer managed policy of a
 * scan), through the one evaluator: a one-account snapshot whose only principals hold the
 * document, a user and a role, with the permissions boundary when one is given. Who will hold the
 * policy is not known, and the two differ in what the evaluator knows about them (a user's name
 * fills `${aws:username}`; a role's session may carry tags), so every question is asked of both
 * and the stronger answer kept.
 */
import type { Account, PolicyDocument, Role, Snapshot, User } from '../../model/snapshot.js';
import type { IamCatalog } from '../action-catalog.js';
import { createEvaluator, type Evaluator } from '../evaluator/evaluator.js';
import type { Principal } from '../evaluator/principals.js';
import { assessAdmin, type AdminAssessment } from '../privilege/admin.js';

/** Stands for the account a policy will live in when nothing names it. */
export const PLACEHOLDER_ACCOUNT = '123456789012';
const HOLDER_NAME = 'roleshift-policy-holder';
const BOUNDARY_NAME = 'roleshift-policy-boundary';
const UNKNOWN = { state: 'unknown' } as const;
const NEVER = { state: 'never' } as const;

export interface PolicyHolders {
  evaluator: Evaluator;
  accountId: string;
  /** The user and the role holding the document. */
  holders: readonly Principal[];
}

function holderUser(accountId: string, document: PolicyDocument, boundary: User['permissionsBoundary']): User {
  return {
    arn: `arn:aws:iam::${accountId}:user/${HOLDER_NAME}`,
    name: HOLDER_NAME,
    userId: null,
    path: '/',
    createDate: UNKNOWN,
    tags: {},
    groups: [],
    attachedPolicies: [],
    inlinePolicies: [{ name: 'policy', document }],
    permissionsBoundary: boundary,
    password: { enabled: false, lastUsed: NEVER, lastChanged: NEVER, nextRotation: NEVER },
    mfaActive: false,
    mfaDevices: [],
    accessKeys: [],
    signingCertificates: [],
    inCredentialReport: false,
  };
}

function holderRole(accountId: string, document: PolicyDocument, boundary: Role['permissionsBoundary']): Role {
  return {
    arn: `arn:aws:iam::${accountId}:role/${HOLDER_NAME}`,
    name: HOLDER_NAME,
    roleId: null,
    path: '/',
    createDate: UNKNOWN,
    description: null,
    maxSessionDuration: null,
    tags: {},
    trustPolicy: { Version: '2012-10-17', Statement: [] },
    attachedPolicies: [],
    inlinePolicies: [{ name: 'policy', document }],
    permissionsBoundary: boundary,
    lastUsed: UNKNOWN,
    lastUsedRegion: null,
    instanceProfiles: [],
  };
}

function holderAccount(accountId: string, document: PolicyDocument, boundary: PolicyDocument | null): Account {
  const boundaryArn = `arn:aws:iam::${accountId}:policy/${BOUNDARY_NAME}`;
  const attached = boundary === null ? null : { arn: boundaryArn, type: 'Policy' };
  return {
    accountId,
    alias: null,
    credentialReport: null,
    root: null,
    accountSummary: null,
    users: [holderUser(accountId, document, attached)],
    roles: [holderRole(accountId, document, attached)],
    groups: [],
    policies:
      boundary === null
        ? []
        : [
            {
              arn: boundaryArn,
              name: BOUNDARY_NAME,
              path: '/',
              awsManaged: false,
              attachmentCount: 2,
              defaultVersionId: 'v1',
              document: boundary,
            },
          ],
    oidcProviders: [],
    samlProviders: [],
    identityCenter: { inUse: false, evidence: [] },
  };
}

/**
 * The holders of one document. `document` may be JSON text as a file has it; the evaluator reads
 * it the way it reads a scanned policy (a document it cannot parse is unread, never empty).
 */
export function policyHolders(
  document: unknown,
  options: { accountId: string | null; now: Date; boundary?: unknown },
): PolicyHolders {
  const accountId = options.accountId ?? PLACEHOLDER_ACCOUNT;
  const at = options.now.toISOString();
  const snapshot: Snapshot = {
    schemaVersion: 1,
    collection: {
      source: 'files',
      startedAt: at,
      finishedAt: at,
      toolVersion: 'roleshift',
      apiCalls: {},
      origin: 'a policy judged on its own',
      warnings: [],
    },
    accounts: [
      holderAccount(
        accountId,
        document as PolicyDocument,
        options.boundary === undefined ? null : (options.boundary as PolicyDocument),
      ),
    ],
    gaps: [],
  };
  const evaluator = createEvaluator(snapshot, { now: options.now });
  return { evaluator, accountId, holders: evaluator.principals() };
}

const LEVEL_RANK: Record<AdminAssessment['level'], number> = { none: 0, 'all-but': 1, full: 2 };
const ADMIN_RANK: Record<AdminAssessment['admin'], number> = { no: 0, maybe: 1, yes: 2 };

/** The stronger of two admin assessments: the higher level, then the surer answer. */
function stronger(a: AdminAssessment, b: AdminAssessment): AdminAssessment {
  const difference = LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || ADMIN_RANK[b.admin] - ADMIN_RANK[a.admin];
  return difference > 0 ? b : a;
}

/** Whether the holders of one document are administrators, the stronger answer of the user and the role. */
export function holdersAdmin(holders: PolicyHolders, catalog: IamCatalog): AdminAssessment {
  const [first, ...rest] = holders.holders.map((holder) => assessAdmin(holders.evaluator, catalog, holder));
  return rest.reduce(stronger, first as AdminAssessment);
}
