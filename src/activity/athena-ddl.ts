import { UserInputError } from '../errors.js';
import { sqlString } from './queries.js';

export interface AthenaDdlOptions {
  database: string;
  table: string;
  /** s3://BUCKET[/PREFIX] of the trail (before AWSLogs/). */
  location: string;
  /** Organization trail: `o-xxxxxxxxxx`; omit for an account trail. */
  orgId?: string;
  accounts: string[];
  regions: string[];
  /** First day to project, YYYY/MM/DD. */
  startDay: string;
}

export const DEFAULT_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'ap-south-1',
  'ap-south-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-east-1',
  'me-south-1',
  'me-central-1',
  'af-south-1',
  'il-central-1',
];

/** Athena/Glue names: lower-case letters, digits and underscores (and they end up unquoted in DDL). */
function assertName(flag: string, value: string): string {
  if (!/^[a-z0-9_]{1,255}$/.test(value))
    throw new UserInputError(`${flag} ${value}: use lower-case letters, digits and underscores only`);
  return value;
}

/**
 * CREATE TABLE for a CloudTrail bucket with partition projection: no crawler, no MSCK REPAIR,
 * and queries that name a day range read only those days. The columns are the documented
 * CloudTrail table plus `useridentity.identityprovider`, which web-identity and SAML events carry.
 */
export function renderAthenaDdl(options: AthenaDdlOptions): string {
  const database = assertName('--athena-database', options.database);
  const table = assertName('--athena-table', options.table);
  const location = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^'\\]*)?$/.exec(options.location.replace(/\/+$/, ''));
  if (location === null)
    throw new UserInputError(
      `--bucket ${options.location}: write s3://BUCKET or s3://BUCKET/PREFIX (where AWSLogs/ is)`,
    );
  if (options.orgId !== undefined && !/^o-[a-z0-9]{10,32}$/.test(options.orgId))
    throw new UserInputError(`--org-id ${options.orgId}: an organization id looks like o-a1b2c3d4e5`);
  if (options.accounts.length === 0 || options.accounts.some((account) => !/^\d{12}$/.test(account))) {
    throw new UserInputError('--accounts: give the 12-digit account ids whose logs are in the bucket, comma-separated');
  }
  if (options.regions.some((region) => !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)))
    throw new UserInputError('--regions: give region names such as us-east-1, comma-separated');
  if (!/^\d{4}\/\d{2}\/\d{2}$/.test(options.startDay))
    throw new UserInputError(`--start ${options.startDay}: write the first day as YYYY/MM/DD`);
  const root = `${location[0]}/AWSLogs/${options.orgId === undefined ? '' : `${options.orgId}/`}`;
  return `CREATE EXTERNAL TABLE IF NOT EXISTS ${database}.${table} (
  eventversion STRING,
  useridentity STRUCT<
    type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING,
    accesskeyid: STRING, username: STRING, identityprovider: STRING,
    onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
    sessioncontext: STRUCT<
      attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
      sourceidentity: STRING, ec2roledelivery: STRING,
      webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING, STRING>>>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  readonly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING,
  apiversion STRING,
  recipientaccountid STRING,
  serviceeventdetails STRING,
  sharedeventid STRING,
  vpcendpointid STRING,
  eventcategory STRING,
  tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>
)
PARTITIONED BY (account STRING, region STRING, \`timestamp\` STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION ${sqlString(root)}
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.account.type' = 'enum',
  'projection.account.values' = ${sqlString(options.accounts.join(','))},
  'projection.region.type' = 'enum',
  'projection.region.values' = ${sqlString(options.regions.join(','))},
  'projection.timestamp.type' = 'date',
  'projection.timestamp.format' = 'yyyy/MM/dd',
  'projection.timestamp.range' = ${sqlString(`${options.startDay},NOW`)},
  'projection.timestamp.interval' = '1',
  'projection.timestamp.interval.unit' = 'DAYS',
  'storage.location.template' = ${sqlString(`${root}\${account}/CloudTrail/\${region}/\${timestamp}`)}
);
`;
}
