/**
 * Pure planning for the scream test: from a user's live state to the ordered IAM calls that
 * switch it off, roll it back, delete it or restore it, each with the call that undoes it. The
 * calls carry exactly the SDK input, so a dry run prints what `--apply` would send.
 */

export const QUARANTINE_POLICY_NAME = 'roleshift-quarantine';
export const STAGE_TAG = 'roleshift:stage';
export const SINCE_TAG = 'roleshift:since';
/** Tags roleshift itself puts on a user; a restore leaves them out. */
export const ROLESHIFT_TAG_KEYS: readonly string[] = [STAGE_TAG, SINCE_TAG];

/** Deny everything: blocks console sessions without deleting the password, so start can be undone. */
export const QUARANTINE_POLICY_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'RoleshiftQuarantine', Effect: 'Deny', Action: '*', Resource: '*' }],
});

export interface Tag {
  Key: string;
  Value: string;
}

/** Everything roleshift reads about one user before it writes, in AWS's own order. */
export interface UserState {
  accountId: string;
  userName: string;
  arn: string;
  userId: string;
  path: string;
  permissionsBoundaryArn: string | null;
  tags: Tag[];
  accessKeys: Array<{ accessKeyId: string; status: 'Active' | 'Inactive' }>;
  loginProfile: { passwordResetRequired: boolean } | null;
  /** Documents as AWS stores them (URL-decoded), kept as strings so they round-trip byte for byte. */
  inlinePolicies: Array<{ name: string; document: string }>;
  attachedPolicies: Array<{ arn: string; name: string }>;
  groups: string[];
  mfaDevices: Array<{ serialNumber: string }>;
  /** Public material only (certificate and SSH public key bodies): kept so a backup is the whole user. */
  signingCertificates: Array<{ certificateId: string; status: string; body: string }>;
  sshPublicKeys: Array<{ sshPublicKeyId: string; status: string; body: string }>;
  serviceSpecificCredentials: Array<{ serviceSpecificCredentialId: string; serviceName: string; status: string }>;
}

/** One IAM write, with its parameters exactly as the SDK command takes them. */
export type IamCall =
  | { api: 'UpdateAccessKey'; params: { UserName: string; AccessKeyId: string; Status: 'Active' | 'Inactive' } }
  | { api: 'PutUserPolicy'; params: { UserName: string; PolicyName: string; PolicyDocument: string } }
  | { api: 'DeleteUserPolicy'; params: { UserName: string; PolicyName: string } }
  | { api: 'TagUser'; params: { UserName: string; Tags: Tag[] } }
  | { api: 'UntagUser'; params: { UserName: string; TagKeys: string[] } }
  | { api: 'DeleteLoginProfile'; params: { UserName: string } }
  | { api: 'DeleteAccessKey'; params: { UserName: string; AccessKeyId: string } }
  | { api: 'DeleteSigningCertificate'; params: { UserName: string; CertificateId: string } }
  | { api: 'DeleteSSHPublicKey'; params: { UserName: string; SSHPublicKeyId: string } }
  | { api: 'DeleteServiceSpecificCredential'; params: { UserName: string; ServiceSpecificCredentialId: string } }
  | { api: 'DeactivateMFADevice'; params: { UserName: string; SerialNumber: string } }
  | { api: 'DeleteVirtualMFADevice'; params: { SerialNumber: string } }
  | { api: 'DetachUserPolicy'; params: { UserName: string; PolicyArn: string } }
  | { api: 'RemoveUserFromGroup'; params: { UserName: string; GroupName: string } }
  | { api: 'DeleteUserPermissionsBoundary'; params: { UserName: string } }
  | { api: 'DeleteUser'; params: { UserName: string } }
  | { api: 'CreateUser'; params: { UserName: string; Path: string; PermissionsBoundary?: string; Tags?: Tag[] } }
  | { api: 'AttachUserPolicy'; params: { UserName: string; PolicyArn: string } }
  | { api: 'AddUserToGroup'; params: { UserName: string; GroupName: string } };

export type IamApi = IamCall['api'];

export type OperationKind = 'start' | 'rollback' | 'finish' | 'restore';

export interface PlannedStep {
  /** Stable across runs of the same plan: `ACCOUNT/USER#NN-Api`. */
  stepId: string;
  seq: number;
  call: IamCall;
  /** The call that undoes this one; null where only a backup can (deletions). */
  inverse: IamCall | null;
  /** What was there before, as read live; null when nothing was. */
  prior: unknown;
}

interface Draft {
  call: IamCall;
  inverse: IamCall | null;
  prior: unknown;
}

function numberSteps(accountId: string, userName: string, drafts: readonly Draft[]): PlannedStep[] {
  return drafts.map((draft, index) => {
    const seq = index + 1;
    return { stepId: `${accountId}/${userName}#${String(seq).padStart(2, '0')}-${draft.call.api}`, seq, ...draft };
  });
}

function tagValue(tags: readonly Tag[], key: string): string | undefined {
  return tags.find((tag) => tag.Key === key)?.Value;
}

/** Puts a tag back as it was: its prior value, or gone when it did not exist. */
function tagInverse(userName: string, key: string, prior: string | undefined): IamCall {
  return prior === undefined
    ? { api: 'UntagUser', params: { UserName: userName, TagKeys: [key] } }
    : { api: 'TagUser', params: { UserName: userName, Tags: [{ Key: key, Value: prior }] } };
}

/**
 * Stage one: active keys off, a console password fenced by a deny-all inline policy (the
 * password stays, so this can be undone), and the stage recorded on the user as tags.
 */
export function planStart(state: UserState, now: Date): PlannedStep[] {
  const user = state.userName;
  const drafts: Draft[] = [];
  for (const key of state.accessKeys) {
    if (key.status !== 'Active') continue;
    drafts.push({
      call: { api: 'UpdateAccessKey', params: { UserName: user, AccessKeyId: key.accessKeyId, Status: 'Inactive' } },
      inverse: { api: 'UpdateAccessKey', params: { UserName: user, AccessKeyId: key.accessKeyId, Status: 'Active' } },
      prior: { accessKeyId: key.accessKeyId, status: key.status },
    });
  }
  if (state.loginProfile !== null) {
    const existing = state.inlinePolicies.find((policy) => policy.name === QUARANTINE_POLICY_NAME);
    if (existing?.document !== QUARANTINE_POLICY_DOCUMENT) {
      drafts.push({
        call: {
          api: 'PutUserPolicy',
          params: { UserName: user, PolicyName: QUARANTINE_POLICY_NAME, PolicyDocument: QUARANTINE_POLICY_DOCUMENT },
        },
        inverse: existing
          ? {
              api: 'PutUserPolicy',
              params: { UserName: user, PolicyName: QUARANTINE_POLICY_NAME, PolicyDocument: existing.document },
            }
          : { api: 'DeleteUserPolicy', params: { UserName: user, PolicyName: QUARANTINE_POLICY_NAME } },
        prior: existing ? { policyName: existing.name, document: existing.document } : null,
      });
    }
  }
  const since = now.toISOString();
  for (const [key, value] of [
    [STAGE_TAG, 'watching'],
    [SINCE_TAG, since],
  ] as const) {
    const prior = tagValue(state.tags, key);
    drafts.push({
      call: { api: 'TagUser', params: { UserName: user, Tags: [{ Key: key, Value: value }] } },
      inverse: tagInverse(user, key, prior),
      prior: prior === undefined ? null : { key, value: prior },
    });
  }
  return numberSteps(state.accountId, user, drafts);
}

/** The inverses of a start's steps, last first: the user ends exactly as before the start. */
export function planRollback(accountId: string, userName: string, startSteps: readonly PlannedStep[]): PlannedStep[] {
  const drafts: Draft[] = [...startSteps]
    .sort((a, b) => b.seq - a.seq)
    .flatMap((step) => (step.inverse ? [{ call: step.inverse, inverse: step.call, prior: null }] : []));
  return numberSteps(accountId, userName, drafts);
}

function isVirtualMfa(serialNumber: string): boolean {
  return /^arn:aws[a-z-]*:iam::\d{12}:mfa\//.test(serialNumber);
}

/**
 * Deletion in the order AWS requires (DeleteUser fails with DeleteConflict while anything is
 * attached). The caller must have journaled `state` as the backup before running these.
 */
export function planFinish(state: UserState): PlannedStep[] {
  const user = state.userName;
  const drafts: Draft[] = [];
  const add = (call: IamCall, prior: unknown): void => {
    drafts.push({ call, inverse: null, prior });
  };
  if (state.loginProfile) add({ api: 'DeleteLoginProfile', params: { UserName: user } }, state.loginProfile);
  for (const key of state.accessKeys)
    add({ api: 'DeleteAccessKey', params: { UserName: user, AccessKeyId: key.accessKeyId } }, key);
  for (const cert of state.signingCertificates) {
    add({ api: 'DeleteSigningCertificate', params: { UserName: user, CertificateId: cert.certificateId } }, cert);
  }
  for (const key of state.sshPublicKeys)
    add({ api: 'DeleteSSHPublicKey', params: { UserName: user, SSHPublicKeyId: key.sshPublicKeyId } }, key);
  for (const credential of state.serviceSpecificCredentials) {
    add(
      {
        api: 'DeleteServiceSpecificCredential',
        params: { UserName: user, ServiceSpecificCredentialId: credential.serviceSpecificCredentialId },
      },
      credential,
    );
  }
  for (const device of state.mfaDevices) {
    add({ api: 'DeactivateMFADevice', params: { UserName: user, SerialNumber: device.serialNumber } }, device);
    if (isVirtualMfa(device.serialNumber))
      add({ api: 'DeleteVirtualMFADevice', params: { SerialNumber: device.serialNumber } }, device);
  }
  for (const policy of state.inlinePolicies)
    add({ api: 'DeleteUserPolicy', params: { UserName: user, PolicyName: policy.name } }, policy);
  for (const policy of state.attachedPolicies)
    add({ api: 'DetachUserPolicy', params: { UserName: user, PolicyArn: policy.arn } }, policy);
  for (const group of state.groups)
    add({ api: 'RemoveUserFromGroup', params: { UserName: user, GroupName: group } }, { group });
  if (state.permissionsBoundaryArn) {
    add(
      { api: 'DeleteUserPermissionsBoundary', params: { UserName: user } },
      { permissionsBoundaryArn: state.permissionsBoundaryArn },
    );
  }
  add({ api: 'DeleteUser', params: { UserName: user } }, { arn: state.arn, userId: state.userId, path: state.path });
  return numberSteps(state.accountId, user, drafts);
}

/**
 * The user as it was before roleshift touched it: same path, boundary, tags, groups and
 * policies, minus roleshift's own tags and quarantine policy. Credentials cannot come back
 * (secrets are never stored), so new ones must be issued.
 */
export function planRestore(backup: UserState): PlannedStep[] {
  const user = backup.userName;
  const tags = backup.tags.filter((tag) => !ROLESHIFT_TAG_KEYS.includes(tag.Key));
  const create: IamCall = {
    api: 'CreateUser',
    params: {
      UserName: user,
      Path: backup.path,
      ...(backup.permissionsBoundaryArn ? { PermissionsBoundary: backup.permissionsBoundaryArn } : {}),
      ...(tags.length > 0 ? { Tags: tags } : {}),
    },
  };
  const drafts: Draft[] = [{ call: create, inverse: { api: 'DeleteUser', params: { UserName: user } }, prior: null }];
  for (const policy of backup.inlinePolicies) {
    if (policy.name === QUARANTINE_POLICY_NAME && policy.document === QUARANTINE_POLICY_DOCUMENT) continue;
    drafts.push({
      call: {
        api: 'PutUserPolicy',
        params: { UserName: user, PolicyName: policy.name, PolicyDocument: policy.document },
      },
      inverse: { api: 'DeleteUserPolicy', params: { UserName: user, PolicyName: policy.name } },
      prior: null,
    });
  }
  for (const policy of backup.attachedPolicies) {
    drafts.push({
      call: { api: 'AttachUserPolicy', params: { UserName: user, PolicyArn: policy.arn } },
      inverse: { api: 'DetachUserPolicy', params: { UserName: user, PolicyArn: policy.arn } },
      prior: null,
    });
  }
  for (const group of backup.groups) {
    drafts.push({
      call: { api: 'AddUserToGroup', params: { UserName: user, GroupName: group } },
      inverse: { api: 'RemoveUserFromGroup', params: { UserName: user, GroupName: group } },
      prior: null,
    });
  }
  return numberSteps(backup.accountId, user, drafts);
}

const CLI_NAMES: Record<IamApi, string> = {
  UpdateAccessKey: 'update-access-key',
  PutUserPolicy: 'put-user-policy',
  DeleteUserPolicy: 'delete-user-policy',
  TagUser: 'tag-user',
  UntagUser: 'untag-user',
  DeleteLoginProfile: 'delete-login-profile',
  DeleteAccessKey: 'delete-access-key',
  DeleteSigningCertificate: 'delete-signing-certificate',
  DeleteSSHPublicKey: 'delete-ssh-public-key',
  DeleteServiceSpecificCredential: 'delete-service-specific-credential',
  DeactivateMFADevice: 'deactivate-mfa-device',
  DeleteVirtualMFADevice: 'delete-virtual-mfa-device',
  DetachUserPolicy: 'detach-user-policy',
  RemoveUserFromGroup: 'remove-user-from-group',
  DeleteUserPermissionsBoundary: 'delete-user-permissions-boundary',
  DeleteUser: 'delete-user',
  CreateUser: 'create-user',
  AttachUserPolicy: 'attach-user-policy',
  AddUserToGroup: 'add-user-to-group',
};

/**
 * One line per call for the dry run: the account, the IAM action and its exact input as JSON
 * (JSON rather than shell words, so a name from AWS can never turn into a command).
 */
export function describeCall(accountId: string, call: IamCall): string {
  return `[${accountId}] iam ${CLI_NAMES[call.api]} ${JSON.stringify(call.params)}`;
}

/** The IAM actions the remediation role must allow: exactly the writes these planners emit. */
export const WRITE_ACTIONS: readonly IamApi[] = Object.keys(CLI_NAMES).sort() as IamApi[];
