import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { UserInputError } from '../errors.js';
import { isEventLogKey } from './parse.js';
import type { LogObject, LogSource } from './source.js';

export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (match === null || match[1] === undefined) {
    throw new UserInputError(
      `--cloudtrail ${url}: not an S3 URL; write s3://BUCKET/PREFIX (for example s3://my-trail/AWSLogs/o-a1b2c3d4e5/)`,
    );
  }
  return { bucket: match[1], prefix: match[2] ?? '' };
}

/**
 * CloudTrail logs in S3, listed page by page (one page of keys in memory at a time). Objects
 * are only opened when the ingester wants them: files outside --since/--until by their key date,
 * and files already ingested (same key, size and ETag), cost a listing entry and nothing more.
 */
export function s3Source(url: string, config: S3ClientConfig = {}): LogSource {
  const { bucket, prefix } = parseS3Url(url);
  const client = new S3Client({ forcePathStyle: config.endpoint !== undefined, ...config });
  return {
    origin: url,
    async *list() {
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          const key = object.Key;
          if (key === undefined || !isEventLogKey(key)) continue;
          const entry: LogObject = {
            key: `s3://${bucket}/${key}`,
            size: object.Size ?? 0,
            version: object.ETag ?? '',
            open: async () => {
              const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
              if (!(response.Body instanceof Readable)) throw new Error(`s3://${bucket}/${key}: no body`);
              return response.Body;
            },
          };
          yield entry;
        }
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    },
  };
}
