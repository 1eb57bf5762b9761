import { afterEach, describe, expect, it } from 'vitest';
import {
  startRolesAnywhereStandIn,
  type RolesAnywhereAnswer,
  type RolesAnywhereStandIn,
} from '../../test/harness/roles-anywhere-stand-in.js';
import {
  createRolesAnywhereApi,
  readRolesAnywhere,
  RolesAnywhereHttpError,
  rolesAnywhereEndpoint,
} from './roles-anywhere.js';

let standIn: RolesAnywhereStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function startStandIn(answer: RolesAnywhereAnswer): Promise<RolesAnywhereStandIn> {
  standIn = await startRolesAnywhereStandIn(answer);
  return standIn;
}

const credentials = { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'example-secret' };

describe('Roles Anywhere client', () => {
  it('given two pages of anchors and profiles, when read, then every item is returned from signed GET calls', async () => {
    const { endpoint, seen } = await startStandIn(({ path, query }) => {
      const second = query.get('nextToken') === 'page-2';
      if (path === '/trustanchors') {
        return {
          status: 200,
          body: second
            ? {
                trustAnchors: [
                  {
                    trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:111111111111:trust-anchor/b',
                    name: 'nas-ca',
                    enabled: false,
                    source: { sourceType: 'CERTIFICATE_BUNDLE' },
                  },
                ],
              }
            : {
                trustAnchors: [
                  {
                    trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:111111111111:trust-anchor/a',
                    name: 'pca',
                    enabled: true,
                    source: { sourceType: 'AWS_ACM_PCA' },
                  },
                ],
                nextToken: 'page-2',
              },
        };
      }
      return {
        status: 200,
        body: second
          ? {
              profiles: [
                {
                  profileArn: 'arn:aws:rolesanywhere:eu-west-1:111111111111:profile/q',
                  name: 'backup',
                  enabled: true,
                  roleArns: ['arn:aws:iam::111111111111:role/b', 'arn:aws:iam::111111111111:role/a'],
                },
              ],
            }
          : { profiles: [], nextToken: 'page-2' },
      };
    });
    const calls: string[] = [];
    const api = createRolesAnywhereApi({
      region: 'eu-west-1',
      credentials,
      endpoint,
      onCall: (name) => calls.push(name),
    });

    const result = await readRolesAnywhere(api, '111111111111', 'eu-west-1');

    expect(result.trustAnchors.map((a) => [a.name, a.enabled, a.sourceType])).toEqual([
      ['pca', true, 'AWS_ACM_PCA'],
      ['nas-ca', false, 'CERTIFICATE_BUNDLE'],
    ]);
    expect(result.profiles).toEqual([
      expect.objectContaining({
        name: 'backup',
        roleArns: ['arn:aws:iam::111111111111:role/a', 'arn:aws:iam::111111111111:role/b'],
      }),
    ]);
    expect(calls).toEqual([
      'rolesanywhere:ListTrustAnchors',
      'rolesanywhere:ListTrustAnchors',
      'rolesanywhere:ListProfiles',
      'rolesanywhere:ListProfiles',
    ]);
    for (const request of seen) {
      expect(request.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE00\/\d{8}\/eu-west-1\/rolesanywhere\/aws4_request/,
      );
      expect(request.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    }
  });

  it('given the service denies the call, when read, then the AWS error code surfaces for the gap', async () => {
    const { endpoint } = await startStandIn(() => ({
      status: 403,
      body: { message: 'not authorized' },
      headers: { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/' },
    }));
    const api = createRolesAnywhereApi({ region: 'eu-west-1', credentials, endpoint });
    const failure = await readRolesAnywhere(api, '111111111111', 'eu-west-1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RolesAnywhereHttpError);
    expect(failure).toMatchObject({ status: 403, code: 'AccessDeniedException' });
  });

  it('given endpoint overrides in the environment, when resolving, then the service-specific one wins over the global one', () => {
    expect(rolesAnywhereEndpoint('us-east-2', {})).toBe('https://rolesanywhere.us-east-2.amazonaws.com');
    expect(rolesAnywhereEndpoint('us-east-2', { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' })).toBe('http://127.0.0.1:1');
    expect(
      rolesAnywhereEndpoint('us-east-2', {
        AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
        AWS_ENDPOINT_URL_ROLESANYWHERE: 'http://127.0.0.1:2',
      }),
    ).toBe('http://127.0.0.1:2');
  });
});
