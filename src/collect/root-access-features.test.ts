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
import { readRootAccess } from './root-access-features.js';

let standIn: IamQueryStandIn | undefined;
const ORGANIZATION = { id: 'o-listed', managementAccountId: '111111111111' };

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

describe('readRootAccess over the wire', () => {
  it('Given both centralised root access features enabled, When read, Then both are returned sorted', async () => {
    const iam = await iamAnswering(() => organizationsFeatures(['RootSessions', 'RootCredentialsManagement']));

    await expect(readRootAccess(iam, ORGANIZATION)).resolves.toEqual({
      organizationId: 'o-standin',
      managementAccountId: '111111111111',
      enabledFeatures: ['RootCredentialsManagement', 'RootSessions'],
    });
    expect(standIn?.seen).toEqual(['ListOrganizationsFeatures']);
  });

  it('Given no feature enabled, When read, Then the list is empty', async () => {
    const iam = await iamAnswering(() => organizationsFeatures([]));

    await expect(readRootAccess(iam, ORGANIZATION)).resolves.toMatchObject({ enabledFeatures: [] });
  });

  it('Given trusted access for IAM not enabled in Organizations, When read, Then nothing is enabled (not a failure)', async () => {
    const iam = await iamAnswering(() =>
      iamError(400, 'ServiceAccessNotEnabledException', 'Trusted access is not enabled for IAM in Organizations.'),
    );

    await expect(readRootAccess(iam, ORGANIZATION)).resolves.toEqual({
      organizationId: 'o-listed',
      managementAccountId: '111111111111',
      enabledFeatures: [],
    });
  });

  it('Given the caller is a member account, When read, Then it fails naming the call and the error code', async () => {
    const iam = await iamAnswering(() =>
      iamError(
        400,
        'AccountNotManagementOrDelegatedAdministratorException',
        'The account is not the management account or delegated administrator.',
      ),
    );

    const failure = await readRootAccess(iam, ORGANIZATION).catch((error: unknown) => error);

    expect(describeAwsFailure(failure)).toMatch(
      /^iam:ListOrganizationsFeatures in us-east-1 failed \(AccountNotManagementOrDelegatedAdministratorException\): HTTP 400: /,
    );
  });

  it('Given an endpoint that answers HTTP 500 with an HTML page (as moto does for this call), When read, Then it fails naming the call and the status', async () => {
    const iam = await iamAnswering(() => ({ status: 500, body: '<html><title>500</title></html>' }));

    const failure = await readRootAccess(iam, ORGANIZATION).catch((error: unknown) => error);

    expect(describeAwsFailure(failure)).toMatch(
      /^iam:ListOrganizationsFeatures in us-east-1 failed \(\w+\): HTTP 500: /,
    );
  });
});
