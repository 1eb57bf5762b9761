import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Checksum, SourceData } from '@smithy/types';
import type { CredentialedClientSettings } from '../aws/clients.js';
import type { RolesAnywhere } from '../model/organization.js';
import { allPages } from './pages.js';

/**
 * IAM Roles Anywhere read API. The only maintained npm client in our registry is years old, so
 * this is a narrow SigV4 REST client for the two list calls the scan needs (ListTrustAnchors,
 * ListProfiles). moto does not implement Roles Anywhere: the client is tested against a local
 * HTTP stand-in that checks the signed request and pages like AWS.
 */
export interface RolesAnywhereApi {
  listTrustAnchors(nextToken?: string): Promise<{ items: RolesAnywhere['trustAnchors']; nextToken?: string }>;
  listProfiles(nextToken?: string): Promise<{ items: RolesAnywhere['profiles']; nextToken?: string }>;
}

export class RolesAnywhereHttpError extends Error {
  override readonly name = 'RolesAnywhereHttpError';
  /** The shape the SDK's errors have, so one reader (aws-errors.ts) serves both. */
  readonly Code: string;
  readonly $metadata: { httpStatusCode: number };
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.Code = code;
    this.$metadata = { httpStatusCode: status };
  }
}

class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = createHash('sha256');
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The `message` of an AWS JSON error body; nothing for anything else (an HTML error page). */
function awsErrorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; Message?: unknown };
    const message = parsed.message ?? parsed.Message;
    return typeof message === 'string' ? message : '';
  } catch {
    return '';
  }
}

/** Endpoint resolution the way the SDK does it: service-specific env, then the global one. */
export function rolesAnywhereEndpoint(region: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_ENDPOINT_URL_ROLESANYWHERE ?? env.AWS_ENDPOINT_URL ?? `https://rolesanywhere.${region}.amazonaws.com`;
}

interface WireTrustAnchor {
  trustAnchorArn?: string;
  name?: string;
  enabled?: boolean;
  source?: { sourceType?: string };
}
interface WireProfile {
  profileArn?: string;
  name?: string;
  enabled?: boolean;
  roleArns?: string[];
}

export function createRolesAnywhereApi(options: {
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  endpoint?: string;
  onCall?: (api: string) => void;
}): RolesAnywhereApi {
  const endpoint = new URL(options.endpoint ?? rolesAnywhereEndpoint(options.region));
  const signer = new SignatureV4({
    service: 'rolesanywhere',
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
  });

  async function get<T>(api: string, path: string, nextToken: string | undefined): Promise<T> {
    options.onCall?.(`rolesanywhere:${api}`);
    const query: Record<string, string> = { pageSize: '100' };
    if (nextToken) query.nextToken = nextToken;
    const signed = await signer.sign({
      method: 'GET',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : undefined,
      path,
      query,
      headers: { host: endpoint.host, accept: 'application/json' },
    });
    const url = new URL(path, endpoint);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const response = await fetch(url, { headers: signed.headers as Record<string, string> });
    const text = await response.text();
    if (!response.ok) {
      const code = response.headers.get('x-amzn-errortype')?.split(':')[0] ?? `HTTP${response.status}`;
      const detail = awsErrorMessage(text);
      throw new RolesAnywhereHttpError(
        response.status,
        code,
        `${api} answered HTTP ${response.status} ${code}${detail ? `: ${detail}` : ''}`,
      );
    }
    return JSON.parse(text) as T;
  }

  return {
    async listTrustAnchors(nextToken) {
      const page = await get<{ trustAnchors?: WireTrustAnchor[]; nextToken?: string }>(
        'ListTrustAnchors',
        '/trustanchors',
        nextToken,
      );
      return {
        items: (page.trustAnchors ?? []).map((anchor) => ({
          arn: anchor.trustAnchorArn ?? '',
          name: anchor.name ?? '',
          enabled: Boolean(anchor.enabled),
          sourceType: anchor.source?.sourceType ?? null,
        })),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    },
    async listProfiles(nextToken) {
      const page = await get<{ profiles?: WireProfile[]; nextToken?: string }>('ListProfiles', '/profiles', nextToken);
      return {
        items: (page.profiles ?? []).map((profile) => ({
          arn: profile.profileArn ?? '',
          name: profile.name ?? '',
          enabled: Boolean(profile.enabled),
          roleArns: [...(profile.roleArns ?? [])].sort(),
        })),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    },
  };
}

/** All trust anchors and profiles of one account in one region, every page. */
export async function readRolesAnywhere(
  api: RolesAnywhereApi,
  accountId: string,
  region: string,
): Promise<RolesAnywhere> {
  const trustAnchors = await allPages(async (token) => {
    const page = await api.listTrustAnchors(token);
    return { items: page.items, next: page.nextToken };
  });
  const profiles = await allPages(async (token) => {
    const page = await api.listProfiles(token);
    return { items: page.items, next: page.nextToken };
  });
  const byArn = (a: { arn: string }, b: { arn: string }) => a.arn.localeCompare(b.arn);
  return { accountId, region, trustAnchors: trustAnchors.sort(byArn), profiles: profiles.sort(byArn) };
}

/** `readRolesAnywhere` with the region, credentials and endpoint of `settings`. */
export async function readRolesAnywhereWith(
  settings: CredentialedClientSettings,
  accountId: string,
): Promise<RolesAnywhere> {
  const api = createRolesAnywhereApi({
    region: settings.region,
    credentials: settings.credentials,
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
  });
  return readRolesAnywhere(api, accountId, settings.region);
}
