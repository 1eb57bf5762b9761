import { IAMClient } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import {
  iamError,
  organizationsFeatures,
  startIamQueryStandIn,
  type IamAnswer,
  type IamQueryStandIn,
} from '../../test/harness/iam-query-stand-in.js';
import { createAwsClient } from '../aws/clients.js';
import { describeAwsFailure } from '../aws/errors.js';
import { readRootAccessFeatures } from './root-access-features.js';

let standIn: IamQueryStandIn | undefined;

afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

/** The real SDK client over HTTP to a stand-in that answers ListOrganizationsFeatures (moto lacks it). */
async function iamAnswering(answer: () => IamAnswer): Promise<IAMClient> {
  standIn = await startIamQueryStandIn({ ListOrganizationsFeatures: answer });
  return createAwsClient(IAMClient, 'iam', {
    region: 'us-east-1',
    endpoint: standIn.endpoint,
    credentials: { accessKeyId: 'AKIASTANDIN000000000', secretAccessKey: 'stand-in' },
    maxAttempts: 1,
  });
}

describe('readRootAccessFeatures over the wire', () => {
  it('Given both centralised root access features enabled, When read, Then both are returned sorted', async () => {
    const iam = await iamAnswering(() => organizationsFeatures(['RootSessions', 'RootCredentialsManagement']));

    await expect(readRootAccessFeatures(iam)).resolves.toEqual(['RootCredentialsManagement', 'RootSessions']);
    expect(standIn?.seen).toEqual(['ListOrganizationsFeatures']);
  });

  it('Given no feature enabled, When read, Then the list is empty', async () => {
    const iam = await iamAnswering(() => organizationsFeatures([]));

    await expect(readRootAccessFeatures(iam)).resolves.toEqual([]);
  });

  it('Given trusted access for IAM not enabled in Organizations, When read, Then nothing is enabled (not a failure)', async () => {
    const iam = await iamAnswering(() =>
      iamError(400, 'ServiceAccessNotEnabledException', 'Trusted access is not enabled for IAM in Organizations.'),
    );

    await expect(readRootAccessFeatures(iam)).resolves.toEqual([]);
  });

  it('Given the caller is a member account, When read, Then it fails naming the call and the error code', async () => {
    const iam = await iamAnswering(() =>
      iamError(
        400,
        'AccountNotManagementOrDelegatedAdministratorException',
        'The account is not the management account or delegated administrator.',
      ),
    );

    const failure = await readRootAccessFeatures(iam).catch((error: unknown) => error);

    expect(describeAwsFailure(failure)).toMatch(
      /^iam:ListOrganizationsFeatures in us-east-1 failed \(AccountNotManagementOrDelegatedAdministratorException\): HTTP 400: /,
    );
  });

  it('Given an endpoint that answers HTTP 500 with an HTML page (as moto does for this call), When read, Then it fails naming the call and the status', async () => {
    const iam = await iamAnswering(() => ({ status: 500, body: '<html><title>500</title></html>' }));

    const failure = await readRootAccessFeatures(iam).catch((error: unknown) => error);

    expect(describeAwsFailure(failure)).toMatch(
      /^iam:ListOrganizationsFeatures in us-east-1 failed \(\w+\): HTTP 500: /,
    );
  });
});
