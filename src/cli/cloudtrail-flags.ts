/** The CloudTrail flags `scan` and `activity` share. */
import { Option, type Command } from 'commander';
import type { CloudTrailRequest } from '../app/cloudtrail.js';

export interface CloudTrailFlags extends CloudTrailRequest {
  store?: string;
}

export function addCloudTrailOptions(command: Command): Command {
  return command
    .option(
      '--cloudtrail <path|s3-url>',
      'read CloudTrail logs (a file, a folder, or s3://BUCKET/PREFIX) for usage facts',
    )
    .option('--since <date>', 'only CloudTrail events from this day or instant on (YYYY-MM-DD or ISO-8601)')
    .option('--until <date>', 'only CloudTrail events up to this day (inclusive) or instant')
    .addOption(
      new Option('--engine <engine>', 'where the CloudTrail queries run')
        .choices(['duckdb', 'athena'])
        .default('duckdb'),
    )
    .option('--athena-database <name>', 'Athena database of the CloudTrail table (see `roleshift activity athena-ddl`)')
    .option('--athena-table <name>', 'Athena CloudTrail table')
    .option('--athena-workgroup <name>', 'Athena workgroup')
    .option('--athena-output <s3-url>', 'Athena query result location (unless the workgroup sets one)')
    .option('--athena-region <region>', 'region of the Athena table');
}
