/**
 * `npm run bench -- activity [--size-mb N] [--dir DIR] [--keep] [--floors]`
 *
 * Synthetic CloudTrail (realistic record shapes: unique ids, session names, request parameters,
 * TLS details; about 10-15:1 gzip, not the 40:1 of repeated records) in the delivery layout,
 * then, on the same files: parallel zcat (the decompression limit), a naive Node loop (gunzip +
 * JSON.parse + a Map), and roleshift (ingestion into DuckDB, then the usage queries). Each
 * contender runs in its own process so its peak RSS is its own. `--floors` adds what bounds any
 * DuckDB design from below on the same files: reading the fields usage needs and computing
 * nothing, flattening them and storing nothing, and a one-pass aggregate that keeps no
 * per-event rows at all (a prototype of the alternative design, not what roleshift runs).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzip } from 'node:zlib';
import { promisify } from 'node:util';

const gzipAsync = promisify(gzip);

interface Flags {
  sizeMb: number;
  dir: string | null;
  keep: boolean;
  floors: boolean;
}

function parseFlags(args: string[]): Flags {
  const flags: Flags = { sizeMb: 1024, dir: null, keep: false, floors: false };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--size-mb') {
      i += 1;
      flags.sizeMb = Number(args[i]);
    } else if (arg === '--dir') {
      i += 1;
      flags.dir = args[i] ?? null;
    } else if (arg === '--keep') flags.keep = true;
    else if (arg === '--floors') flags.floors = true;
    else throw new Error(`unknown flag ${arg}; use --size-mb N, --dir DIR, --keep, --floors`);
  }
  if (!Number.isFinite(flags.sizeMb) || flags.sizeMb <= 0) throw new Error('--size-mb must be a positive number');
  return flags;
}

// ---------- generator ----------

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

/** Who made a synthetic call: an IAM user with its long-lived key, or a role session. */
function syntheticIdentity(call: {
  account: string;
  userIndex: number;
  session: string;
  keyId: string;
  time: string;
  isUser: boolean;
}): Record<string, unknown> {
  const { account, userIndex, session, keyId, time } = call;
  if (call.isUser)
    return {
      type: 'IAMUser',
      principalId: `AIDA${String(userIndex).padStart(17, '0')}`,
      arn: `arn:aws:iam::${account}:user/svc-${userIndex}`,
      accountId: account,
      accessKeyId: `AKIAUSER${String(userIndex).padStart(12, '0')}`,
      userName: `svc-${userIndex}`,
    };
  return {
    type: 'AssumedRole',
    principalId: `AROA${String(userIndex).padStart(17, '0')}:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/app-role-${userIndex}/${session}`,
    accountId: account,
    accessKeyId: keyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: `AROA${String(userIndex).padStart(17, '0')}`,
        arn: `arn:aws:iam::${account}:role/app-role-${userIndex}`,
        accountId: account,
        userName: `app-role-${userIndex}`,
      },
      attributes: { creationDate: time, mfaAuthenticated: 'false' },
    },
  };
}

function syntheticRecord(i: number, day: string, account: string, region: string): Record<string, unknown> {
  const principal = (i * 2654435761) >>> 0;
  const userIndex = principal % 400;
  const isUser = userIndex < 250;
  const [eventSource, eventName, withResource] = pick(CALLS, principal >> 5);
  const seconds = (i * 37) % 86_400;
  const time = `${day}T${String(Math.floor(seconds / 3600)).padStart(2, '0')}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}Z`;
  // A role session lives about an hour: its name and temporary key repeat within it.
  const hour = Math.floor(seconds / 3600);
  const sessionHour = hour - (hour % 6);
  const session = `${userIndex.toString(36)}-${day.slice(8)}${String(sessionHour).padStart(2, '0')}-${(userIndex * 7919 + sessionHour).toString(16)}`;
  const keyId = `ASIA${(userIndex * 1_000_003 + sessionHour * 7 + Number(day.slice(8))).toString(36).toUpperCase().padStart(16, 'Q').slice(0, 16)}`;
  const identity = syntheticIdentity({ account, userIndex, session, keyId, time, isUser });
  const bucket = `data-${account}-${userIndex % 17}`;
  const objectKey = `exports/${day}/${randomUUID()}.parquet`;
  const record: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: time,
    eventSource,
    eventName,
    awsRegion: region,
    // A workload calls from a handful of addresses: a few per principal and hour.
    sourceIPAddress: ip(userIndex * 31 + (hour % 3)),
    userAgent: pick(AGENTS, userIndex),
    requestParameters: eventSource.startsWith('s3')
      ? { bucketName: bucket, Host: `${bucket}.s3.${region}.amazonaws.com`, key: objectKey }
      : principal % 4 === 0
        ? { maxResults: (principal % 50) + 1, nextToken: randomBytes(12).toString('base64') }
        : { maxResults: (principal % 50) + 1 },
    responseElements:
      eventName === 'AssumeRole'
        ? {
            credentials: { accessKeyId: keyId, expiration: time },
            assumedRoleUser: { arn: `arn:aws:sts::${account}:assumed-role/app-role-${userIndex}/${session}` },
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

async function generate(dir: string, sizeMb: number): Promise<{ files: string[]; rawBytes: number; gzBytes: number }> {
  const target = sizeMb * 1024 * 1024;
  const perFile = 4 * 1024 * 1024;
  const files: string[] = [];
  let rawBytes = 0;
  let gzBytes = 0;
  let i = 0;
  let fileIndex = 0;
  const pending: Array<Promise<void>> = [];
  while (rawBytes < target) {
    const account = pick(ACCOUNTS, fileIndex);
    const region = pick(REGIONS, fileIndex >> 2);
    const day = `2025-03-${String((fileIndex % 28) + 1).padStart(2, '0')}`;
    const records: Array<Record<string, unknown>> = [];
    let size = 0;
    while (size < perFile && rawBytes + size < target) {
      const record = syntheticRecord(i, day, account, region);
      i += 1;
      size += JSON.stringify(record).length + 1;
      records.push(record);
    }
    const text = JSON.stringify({ Records: records });
    rawBytes += Buffer.byteLength(text);
    const path = join(
      dir,
      `AWSLogs/o-benchmark01/${account}/CloudTrail/${region}/${day.replace(/-/g, '/')}/${account}_CloudTrail_${region}_${fileIndex}.json.gz`,
    );
    mkdirSync(dirname(path), { recursive: true });
    files.push(path);
    pending.push(
      gzipAsync(text).then((bytes) => {
        gzBytes += bytes.length;
        writeFileSync(path, bytes);
      }),
    );
    if (pending.length >= 4) await Promise.all(pending.splice(0));
    fileIndex += 1;
  }
  await Promise.all(pending);
  return { files, rawBytes, gzBytes };
}

// ---------- contenders (run as child processes) ----------

interface Measure {
  seconds: number;
  maxRssMb: number | null;
  detail: string;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json.gz')) out.push(path);
    }
  };
  walk(dir);
  return out.sort();
}

async function naiveChild(dir: string): Promise<Measure> {
  const started = performance.now();
  const counts = new Map<string, number>();
  for (const file of listFiles(dir)) {
    const parsed = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as {
      Records: Array<{ userIdentity?: { arn?: string } }>;
    };
    for (const record of parsed.Records) {
      const arn = record.userIdentity?.arn ?? 'unknown';
      counts.set(arn, (counts.get(arn) ?? 0) + 1);
    }
  }
  return {
    seconds: (performance.now() - started) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    detail: `${counts.size} principals`,
  };
}

async function roleshiftChild(
  dir: string,
  work: string,
): Promise<Measure & { ingestSeconds: number; querySeconds: number }> {
  const { openStore } = await import('../src/store/store.js');
  const { ingestCloudTrail } = await import('../src/activity/ingest.js');
  const { localSource } = await import('../src/activity/source.js');
  const { queryUsage, duckdbRunner } = await import('../src/activity/usage.js');
  const { duckdbDialect } = await import('../src/activity/queries.js');
  // The store the CLI opens, with its memory limit: what a user's run would do.
  const store = await openStore(join(work, 'bench.duckdb'));
  const connection = store.connection;
  const started = performance.now();
  const source = localSource(dir);
  const ingested = await ingestCloudTrail(connection, source);
  const ingestDone = performance.now();
  const usage = await queryUsage(
    duckdbRunner(connection),
    duckdbDialect(),
    { since: null, until: null, origin: source.origin },
    {
      engine: 'duckdb',
      origin: source.origin,
      since: null,
      until: null,
      filesRead: ingested.filesRead,
      filesSkipped: 0,
      unreadable: ingested.unreadable,
      records: ingested.records,
      badRecords: ingested.badRecords,
    },
  );
  const done = performance.now();
  store.close();
  return {
    seconds: (done - started) / 1000,
    ingestSeconds: (ingestDone - started) / 1000,
    querySeconds: (done - ingestDone) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    detail: `${ingested.records} events (${ingested.filesReadNatively} of ${ingested.filesRead} files read by DuckDB natively), ${usage.principals.length} principals, ${usage.accessKeys.length} keys`,
  };
}

const FLOORS = ['read', 'flatten', 'one-pass'] as const;
type Floor = (typeof FLOORS)[number];

const FLOOR_NAMES: Record<Floor, string> = {
  read: 'floor: DuckDB reads the fields usage needs, computes nothing',
  flatten: 'floor: ... and flattens them as ct_events has them, stores nothing',
  'one-pass': 'floor: one-pass aggregate of every facet, no per-event rows, stores nothing',
};

/**
 * The one-pass prototype groups every facet the usage queries produce in one GROUPING SETS
 * pass, over all time (no window), with events that name resources unnested and weighted so
 * counts stay per event, and the first distinct ARNs per action as the resource query keeps them.
 */
function floorQuery(
  floor: Floor,
  sql: { records: string; columns: string; principal: string; key: string; perAction: number },
): string {
  const flat = `(SELECT ${sql.columns} FROM ${sql.records})`;
  if (floor === 'read') return `SELECT count(*) FROM ${sql.records}`;
  if (floor === 'flatten')
    return `SELECT count(*), max(event_time), max(principal_arn), max(user_agent), max(len(resources)) FROM ${flat}`;
  const keyed = `(SELECT *, ${sql.principal} AS principal, ${sql.key} AS access_key, list_distinct(resources) AS arns FROM ${flat})`;
  const unnested = `(SELECT *, unnest(CASE WHEN len(arns) > 0 THEN arns ELSE [NULL] END) AS resource_arn FROM ${keyed})`;
  const weighted = `(SELECT *, CASE WHEN resource_arn IS NULL OR resource_arn = arns[1] THEN 1 ELSE 0 END AS weight FROM ${unnested})`;
  return `SELECT count(*), sum(events) FROM (
  SELECT sum(weight) AS events, sum(weight) FILTER (WHERE error_code IS NOT NULL) AS errors, min(event_time) AS first_seen, max(event_time) AS last_seen,
    max(identity_type), max(account_id), max(user_name), max(session_issuer_arn), min(DISTINCT resource_arn, ${sql.perAction + 1})
  FROM ${weighted}
  GROUP BY GROUPING SETS ((file_key), (principal, access_key), (principal, access_key, event_source, event_name), (principal, access_key, error_code),
    (principal, access_key, user_agent), (principal, access_key, source_ip), (principal, access_key, aws_region),
    (principal, event_name, mfa_used, login_succeeded), (event_name, federation_provider, federation_subject, role_arn)))`;
}

async function floorChild(floor: Floor, dir: string): Promise<Measure> {
  const { openStore } = await import('../src/store/store.js');
  const { nativeRecords, flattenedColumns } = await import('../src/activity/native.js');
  const { duckdbDialect, longLivedKey, principalKey, RESOURCES_PER_ACTION } = await import(
    '../src/activity/queries.js'
  );
  const store = await openStore(':memory:');
  const files = listFiles(dir);
  const column = duckdbDialect().column;
  const query = floorQuery(floor, {
    records: nativeRecords(files),
    columns: flattenedColumns(),
    principal: principalKey(column),
    key: longLivedKey(column),
    perAction: RESOURCES_PER_ACTION,
  });
  const started = performance.now();
  const reader = await store.connection.runAndReadAll(query);
  const seconds = (performance.now() - started) / 1000;
  const [first] = reader.getRowsJS();
  store.close();
  return {
    seconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    detail: floor === 'one-pass' ? `${String(first?.[0])} aggregate rows` : `${String(first?.[0])} events`,
  };
}

function runChild(mode: string, args: string[]): Promise<Measure & Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--bench-child', mode, ...args],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as Measure & Record<string, unknown>)
        : reject(new Error(`${mode} exited with ${code}`)),
    );
  });
}

function parallelZcat(files: string[]): Promise<Measure> {
  const workers = cpus().length;
  const groups: string[][] = Array.from({ length: workers }, () => []);
  files.forEach((file, index) => {
    groups[index % workers]?.push(file);
  });
  const started = performance.now();
  return Promise.all(
    groups
      .filter((group) => group.length > 0)
      .map(
        (group) =>
          new Promise<void>((resolve, reject) => {
            // File names come from our own generator; passed as argv, never through a shell.
            const child = spawn('zcat', group, { stdio: ['ignore', 'ignore', 'inherit'] });
            child.on('error', reject);
            child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`zcat exited with ${code}`))));
          }),
      ),
  ).then(() => ({ seconds: (performance.now() - started) / 1000, maxRssMb: null, detail: `${workers} processes` }));
}

export async function run(args: string[]): Promise<void> {
  const flags = parseFlags(args);
  const dir = flags.dir ?? mkdtempSync(join(tmpdir(), 'roleshift-bench-ct-'));
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'roleshift-bench-work-'));
  try {
    let files = listFiles(dir);
    let rawBytes: number;
    let gzBytes: number;
    if (files.length === 0) {
      process.stderr.write(`generating ${flags.sizeMb} MB of synthetic CloudTrail in ${dir}\n`);
      const generated = await generate(dir, flags.sizeMb);
      files = generated.files;
      rawBytes = generated.rawBytes;
      gzBytes = generated.gzBytes;
    } else {
      gzBytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
      const probe = spawnSync('sh', ['-c', 'cat "$@" | gzip -dc | wc -c', 'sh', ...files], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      rawBytes = Number(probe.stdout.trim());
    }
    const mb = rawBytes / 1024 / 1024;
    process.stderr.write(
      `${files.length} files, ${mb.toFixed(0)} MB uncompressed, ${(gzBytes / 1024 / 1024).toFixed(0)} MB gzip (${(rawBytes / gzBytes).toFixed(1)}:1)\n`,
    );

    const zcat = await parallelZcat(files);
    const naive = await runChild('naive', [dir]);
    const roleshift = await runChild('roleshift', [dir, work]);
    const floors: Array<[Floor, Measure]> = [];
    if (flags.floors) for (const floor of FLOORS) floors.push([floor, await runChild(`floor-${floor}`, [dir])]);

    const row = (name: string, m: Measure, note: string) =>
      `| ${name} | ${m.seconds.toFixed(1)} | ${(mb / m.seconds).toFixed(0)} | ${(zcat.seconds / m.seconds).toFixed(2)}x | ${m.maxRssMb === null ? 'n/a' : m.maxRssMb.toFixed(0)} | ${note} |`;
    const lines = [
      `input: ${files.length} files, ${mb.toFixed(0)} MB uncompressed, ${(rawBytes / gzBytes).toFixed(1)}:1 gzip, ${cpus().length} cores`,
      '',
      '| contender | seconds | MB/s (uncompressed) | vs parallel zcat | peak RSS MB | notes |',
      '|---|---|---|---|---|---|',
      row('parallel zcat (decompression limit)', zcat, zcat.detail),
      row('naive Node loop (gunzip + JSON.parse + Map)', naive, naive.detail),
      row(
        'roleshift ingest + usage queries',
        roleshift,
        `${roleshift.detail}; ingest ${Number(roleshift.ingestSeconds).toFixed(1)} s, queries ${Number(roleshift.querySeconds).toFixed(1)} s`,
      ),
      ...floors.map(([floor, measure]) => row(FLOOR_NAMES[floor], measure, measure.detail)),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (!flags.keep && flags.dir === null) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--bench-child') {
  const [mode, dir = '', work = ''] = process.argv.slice(3);
  const floor = FLOORS.find((name) => mode === `floor-${name}`);
  const result =
    mode === 'naive'
      ? await naiveChild(dir)
      : floor !== undefined
        ? await floorChild(floor, dir)
        : await roleshiftChild(dir, work);
  process.stdout.write(JSON.stringify(result));
}
