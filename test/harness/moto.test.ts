import { CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { expect, it } from 'vitest';
import { describeWithMoto } from './moto.js';

describeWithMoto('moto harness', (moto) => {
  const client = () =>
    new IAMClient({ endpoint: moto().endpoint, region: moto().region, credentials: moto().credentials });

  it('given a fresh server, when a user is created, then the real SDK lists it', async () => {
    await client().send(new CreateUserCommand({ UserName: 'alice' }));
    const listed = await client().send(new ListUsersCommand({}));
    expect(listed.Users?.map((u) => u.UserName)).toEqual(['alice']);
  });

  it('given the previous test created a user, when state is reset between tests, then no user is left', async () => {
    const listed = await client().send(new ListUsersCommand({}));
    expect(listed.Users).toEqual([]);
  });
});
