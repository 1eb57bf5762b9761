/**
 * Synthetic CloudTrail for `npm run bench -- activity`: records of the real shape (unique
 * ids, session names, request parameters, TLS details; about 10-15:1 gzip, not the 40:1 of
 * repeated records) in the delivery layout, in one of two file-size distributions.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

export interface Generated {
  files: string[];
  rawBytes: number;
  gzBytes: number;
}

const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const AGENTS = [
  'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-1016-aws md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#s3.cp',
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
  'APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.0 ua/2.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/s3#1.53.0',
  'aws-sdk-js/3.540.0 ua/2.1 os/linux#5.10.213 lang/js md/nodejs#20.12.0 api/dynamodb#3.540.0 m/E,J',
  'aws-sdk-nodejs/2.1112.0 linux/v20.19.0 configure-aws-credentials-for-github-actions promise',
  'aws-sdk-java/2.25.16 Linux/5.10.213 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
];
const CALLS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['s3.amazonaws.com', 'GetObject', true],
  ['s3.amazonaws.com', 'PutObject', true],
  ['s3.amazonaws.com', 'ListObjects', true],
  ['sts.amazonaws.com', 'AssumeRole', false],
  ['sts.amazonaws.com', 'GetCallerIdentity', false],
  ['ec2.amazonaws.com', 'DescribeInstances', false],
  ['dynamodb.amazonaws.com', 'Query', true],
  ['kms.amazonaws.com', 'Decrypt', true],
  ['iam.amazonaws.com', 'GetUser', true],
  ['lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', true],
  ['logs.amazonaws.com', 'PutLogEvents', true],
  ['secretsmanager.amazonaws.com', 'GetSecretValue', true],
];

function pick<T>(items: readonly T[], n: number): T {
  return items[Math.abs(n) % items.length] as T;
}

function ip(n: number): string {
  return n % 5 === 0
    ? `10.${(n >> 8) & 255}.${n & 255}.${(n * 7) & 255}`
    : `${(n % 200) + 3}.${(n >> 3) & 255}.${(n >> 11) & 255}.${(n * 13) & 255}`;
}

/** Who made the call: an IAM user with a long-lived key, or a role session that lasts six hours. */
function syntheticIdentity(userIndex: number, account: string, day: string, seconds: number): Record<string, unknown> {
  if (userIndex < 250)
    return {
      type: 'IAMUser',
      principalId: `AIDA${String(userIndex).padStart(17, '0')}`,
      arn: `arn:aws:iam::${account}:user/svc-${userIndex}`,
      accountId: account,
      accessKeyId: `AKIAUSER${String(userIndex).padStart(12, '0')}`,
      userName: `svc-${userIndex}`,
    };
  const session = sessionOf(userIndex, day, seconds);
  return {
    type: 'AssumedRole',
    principalId: `AROA${String(userIndex).padStart(17, '0')}:${session.name}`,
    arn: `arn:aws:sts::${account}:assumed-role/app-role-${userIndex}/${session.name}`,
    accountId: account,
    accessKeyId: session.keyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: `AROA${String(userIndex).padStart(17, '0')}`,
        arn: `arn:aws:iam::${account}:role/app-role-${userIndex}`,
        accountId: account,
        userName: `app-role-${userIndex}`,
      },
      attributes: { creationDate: timeOf(day, seconds), mfaAuthenticated: 'false' },
    },
  };
}

/** A role session's name and temporary key: they repeat within its six hours, then change. */
function sessionOf(userIndex: number, day: string, seconds: number): { name: string; keyId: string } {
  const hour = Math.floor(seconds / 3600);
  const sessionHour = hour - (hour % 6);
  return {
    name: `${userIndex.toString(36)}-${day.slice(8)}${String(sessionHour).padStart(2, '0')}-${(userIndex * 7919 + sessionHour).toString(16)}`,
    keyId: `ASIA${(userIndex * 1_000_003 + sessionHour * 7 + Number(day.slice(8))).toString(36).toUpperCase().padStart(16, 'Q').slice(0, 16)}`,
  };
}

function timeOf(day: string, seconds: number): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${day}T${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}Z`;
}

function syntheticRecord(
  i: number,
  day: string,
  account: string,
  region: string,
  seconds = (i * 37) % 86_400,
): Record<string, unknown> {
  const principal = (i * 2654435761) >>> 0;
  const userIndex = principal % 400;
  const [eventSource, eventName, withResource] = pick(CALLS, principal >> 5);
  const time = timeOf(day, seconds);
  const session = sessionOf(userIndex, day, seconds);
  const bucket = `data-${account}-${userIndex % 17}`;
  const objectKey = `exports/${day}/${randomUUID()}.parquet`;
  const record: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity: syntheticIdentity(userIndex, account, day, seconds),
    eventTime: time,
    eventSource,
    eventName,
    awsRegion: region,
    // A workload calls from a handful of addresses: a few per principal and hour.
    sourceIPAddress: ip(userIndex * 31 + (Math.floor(seconds / 3600) % 3)),
    userAgent: pick(AGENTS, userIndex),
    requestParameters: eventSource.startsWith('s3')
      ? { bucketName: bucket, Host: `${bucket}.s3.${region}.amazonaws.com`, key: objectKey }
      : principal % 4 === 0
        ? { maxResults: (principal % 50) + 1, nextToken: randomBytes(12).toString('base64') }
        : { maxResults: (principal % 50) + 1 },
    responseElements:
      eventName === 'AssumeRole'
        ? {
            credentials: { accessKeyId: session.keyId, expiration: time },
            assumedRoleUser: { arn: `arn:aws:sts::${account}:assumed-role/app-role-${userIndex}/${session.name}` },
          }
        : null,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: !eventName.startsWith('Put'),
    eventType: 'AwsApiCall',
    managementEvent: !eventSource.startsWith('s3'),
    recipientAccountId: account,
    eventCategory: eventSource.startsWith('s3') ? 'Data' : 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `${eventSource.replace('.amazonaws.com', '')}.${region}.amazonaws.com`,
    },
  };
  if (withResource)
    record.resources = [
      { accountId: account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${objectKey}` },
    ];
  if (principal % 97 === 0)
    record.errorCode = pick(['AccessDenied', 'ThrottlingException', 'InvalidClientTokenId'], principal);
  return record;
}

/** About 4 MB (uncompressed) per file across 4 accounts, 5 regions and 28 days: the first rounds' layout. */
export async function generateLargeFiles(dir: string, sizeMb: number): Promise<Generated> {
  const target = sizeMb * 1024 * 1024;
  const perFile = 4 * 1024 * 1024;
  const generated: Generated = { files: [], rawBytes: 0, gzBytes: 0 };
  let i = 0;
  const pending: Array<Promise<void>> = [];
  for (let fileIndex = 0; generated.rawBytes < target; fileIndex += 1) {
    const account = pick(ACCOUNTS, fileIndex);
    const region = pick(REGIONS, fileIndex >> 2);
    const day = `2025-03-${String((fileIndex % 28) + 1).padStart(2, '0')}`;
    const records: Array<Record<string, unknown>> = [];
    let size = 0;
    while (size < perFile && generated.rawBytes + size < target) {
      const record = syntheticRecord(i, day, account, region);
      i += 1;
      size += JSON.stringify(record).length + 1;
      records.push(record);
    }
    const text = JSON.stringify({ Records: records });
    generated.rawBytes += Buffer.byteLength(text);
    const path = join(
      dir,
      `AWSLogs/o-benchmark01/${account}/CloudTrail/${region}/${day.replace(/-/g, '/')}/${account}_CloudTrail_${region}_${fileIndex}.json.gz`,
    );
    generated.files.push(path);
    pending.push(writeGzipped(path, text, generated));
    if (pending.length >= 4) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return generated;
}

/** Deterministic, so two runs generate the same files (mulberry32). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Records in one delivery: log-normal, median 20, a long tail (p99 about 400) as busy slots have. */
function recordsInSlot(random: () => number, regionWeight: number): number {
  const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.round(Math.exp(Math.log(20) + 1.3 * gaussian) * regionWeight);
}

/** Activity by region: most of an account's calls are in its home region, a trickle elsewhere. */
const REGION_WEIGHTS = [1, 0.35, 0.15, 0.08, 0.05];
const ORG_TRAIL_ACCOUNTS = Array.from({ length: 40 }, (_, index) => String(100_000_000_000 + index * 7_919_311));

export interface OrgTrailShape {
  accounts: number;
  regions: number;
  /** Five-minute deliveries the files span. */
  slots: number;
}

/**
 * What an organization trail delivers: one file per account, region and five minutes in which
 * there were events, in `AWSLogs/o-.../ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/`, named as
 * CloudTrail names them. Most files are a few KB (under 100 KB compressed almost always), so a
 * day of a 40-account Organization is tens of thousands of files.
 */
export async function generateOrgTrail(dir: string, sizeMb: number): Promise<Generated & OrgTrailShape> {
  const random = seededRandom(20_261_123);
  const target = sizeMb * 1024 * 1024;
  const generated: Generated = { files: [], rawBytes: 0, gzBytes: 0 };
  const pending: Array<Promise<void>> = [];
  let record = 0;
  let slot = 0;
  for (; generated.rawBytes < target; slot += 1) {
    const minute = slot * 5;
    const day = `2025-03-${String(Math.floor(minute / 1440) + 1).padStart(2, '0')}`;
    const stamp = `${day.replace(/-/g, '')}T${String(Math.floor((minute % 1440) / 60)).padStart(2, '0')}${String(minute % 60).padStart(2, '0')}Z`;
    for (const account of ORG_TRAIL_ACCOUNTS) {
      for (const [regionIndex, region] of REGIONS.entries()) {
        const count = recordsInSlot(random, REGION_WEIGHTS[regionIndex] ?? 0.05);
        if (count === 0 || generated.rawBytes >= target) continue;
        const records = Array.from({ length: count }, (_, offset) =>
          syntheticRecord(record + offset, day, account, region, ((minute % 1440) + (offset % 5)) * 60 + (offset % 60)),
        );
        record += count;
        const text = JSON.stringify({ Records: records });
        generated.rawBytes += Buffer.byteLength(text);
        const path = join(
          dir,
          `AWSLogs/o-benchmark01/${account}/CloudTrail/${region}/${day.replace(/-/g, '/')}/${account}_CloudTrail_${region}_${stamp}_${randomBytes(8).toString('hex')}.json.gz`,
        );
        generated.files.push(path);
        pending.push(writeGzipped(path, text, generated));
        if (pending.length >= 8) await Promise.all(pending.splice(0));
      }
    }
  }
  await Promise.all(pending);
  return { ...generated, accounts: ORG_TRAIL_ACCOUNTS.length, regions: REGIONS.length, slots: slot };
}

async function writeGzipped(path: string, text: string, generated: Generated): Promise<void> {
  const bytes = await gzipAsync(text);
  generated.gzBytes += bytes.length;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}
