import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { runBounded } from '../src/pool.js';

/**
 * The per-user collection Prowler and ScoutSuite do: ListUsers, then for every user the key,
 * MFA, login-profile, policy and group calls (and GetAccessKeyLastUsed per key). It is the
 * baseline roleshift's GAAD + credential-report collection is measured against; it is not used
 * by roleshift itself. Its per-user calls run 8 at a time, like a thread pool.
 */
export async function collectPerUser(iam: IAMClient, onCall: () => void, concurrency = 8): Promise<number> {
  let users = 0;
  let marker: string | undefined;
  do {
    onCall();
    const page = await iam.send(new ListUsersCommand({ Marker: marker }));
    marker = page.IsTruncated ? page.Marker : undefined;
    await runBounded(page.Users ?? [], concurrency, async (user) => {
      const UserName = user.UserName ?? '';
      users += 1;
      onCall();
      const keys = await iam.send(new ListAccessKeysCommand({ UserName }));
      for (const key of keys.AccessKeyMetadata ?? []) {
        onCall();
        await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }));
      }
      onCall();
      await iam.send(new ListMFADevicesCommand({ UserName }));
      onCall();
      await iam.send(new GetLoginProfileCommand({ UserName })).catch((error: { name?: string }) => {
        if (error.name !== 'NoSuchEntityException' && error.name !== 'NoSuchEntity') throw error;
      });
      onCall();
      await iam.send(new ListAttachedUserPoliciesCommand({ UserName }));
      onCall();
      await iam.send(new ListUserPoliciesCommand({ UserName }));
      onCall();
      await iam.send(new ListGroupsForUserCommand({ UserName }));
    });
  } while (marker);
  return users;
}
