/**
 * ARNs compared the way IAM compares them in Resource elements and Arn condition operators:
 * segment by segment (partition, service, region, account, then the resource, which may itself
 * hold colons and slashes), each with its own wildcards, so a `*` in the account segment never
 * swallows part of the resource. A pattern that is not a six-part ARN (`*`, `arn:aws:s3:::*`
 * is one; `arn:*` is not) is compared as one wildcard string, as IAM does for such values.
 */
import { wildcardToRegExp } from '../document.js';

export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon: `role/path/name`, `function:name:alias`, `bucket/key`. */
  resource: string;
}

/** A request's resource, split once and compared against many patterns. */
export interface ParsedResource {
  arn: string;
  parts: ArnParts | null;
}

export function parseArn(arn: string): ArnParts | null {
  if (!arn.startsWith('arn:')) return null;
  const pieces = arn.split(':');
  if (pieces.length < 6) return null;
  const [, partition = '', service = '', region = '', account = ''] = pieces;
  return { partition, service, region, account, resource: pieces.slice(5).join(':') };
}

const parsedResources = new Map<string, ParsedResource>();

/** The resource split into its segments; the same ARNs are asked about many times, so kept. */
export function parseResource(arn: string): ParsedResource {
  let parsed = parsedResources.get(arn);
  if (parsed === undefined) {
    if (parsedResources.size > 100_000) parsedResources.clear();
    parsed = { arn, parts: parseArn(arn) };
    parsedResources.set(arn, parsed);
  }
  return parsed;
}

export type ArnMatcher = (resource: ParsedResource) => boolean;

const matchers = new Map<string, ArnMatcher>();

function segmentTest(pattern: string): (value: string) => boolean {
  if (pattern === '*') return () => true;
  if (!pattern.includes('*') && !pattern.includes('?') && !/[\uE000\uE001]/.test(pattern))
    return (value) => value === pattern;
  const regex = wildcardToRegExp(pattern, false);
  return (value) => regex.test(value);
}

function compileArnPattern(pattern: string): ArnMatcher {
  if (pattern === '*') return () => true;
  const parts = parseArn(pattern);
  if (parts === null) {
    const whole = segmentTest(pattern);
    return (resource) => whole(resource.arn);
  }
  const tests = [parts.partition, parts.service, parts.region, parts.account].map(segmentTest);
  const [partition, service, region, account] = tests as [
    (v: string) => boolean,
    (v: string) => boolean,
    (v: string) => boolean,
    (v: string) => boolean,
  ];
  const resourceTest = segmentTest(parts.resource);
  return ({ parts: target }) =>
    target !== null &&
    partition(target.partition) &&
    service(target.service) &&
    region(target.region) &&
    account(target.account) &&
    resourceTest(target.resource);
}

/** The compiled, cached matcher for one ARN pattern (with IAM wildcards). */
export function arnMatcher(pattern: string): ArnMatcher {
  let matcher = matchers.get(pattern);
  if (matcher === undefined) {
    if (matchers.size > 100_000) matchers.clear();
    matcher = compileArnPattern(pattern);
    matchers.set(pattern, matcher);
  }
  return matcher;
}

/** Where the five colons of a six-part ARN are, or null when the value is not one. */
function colonsOf(value: string): number[] | null {
  if (!value.startsWith('arn:')) return null;
  const colons = [3];
  while (colons.length < 5) {
    const next = value.indexOf(':', (colons[colons.length - 1] as number) + 1);
    if (next < 0) return null;
    colons.push(next);
  }
  return colons;
}

/** `segmentTest(pattern.slice(from, to))(value.slice(vFrom, vTo))`, without compiling a test or copying a literal segment. */
function segmentMatches(pattern: string, from: number, to: number, value: string, vFrom: number, vTo: number): boolean {
  const segment = pattern.slice(from, to);
  if (segment === '*') return true;
  if (!segment.includes('*') && !segment.includes('?') && !/[\uE000\uE001]/.test(segment))
    return to - from === vTo - vFrom && value.startsWith(segment, vFrom);
  return wildcardToRegExp(segment, false).test(value.slice(vFrom, vTo));
}

/**
 * Whether an ARN pattern covers an ARN, for a pattern asked about once (one user's resolved
 * `user/${aws:username}`): compared segment by segment in place, so ten thousand such patterns
 * leave no matcher behind and build none.
 */
export function arnMatchesOnce(pattern: string, arn: string): boolean {
  const matcher = matchers.get(pattern);
  if (matcher !== undefined) return matcher({ arn, parts: parseArn(arn) });
  if (pattern === '*') return true;
  const patternColons = colonsOf(pattern);
  if (patternColons === null) return segmentMatches(pattern, 0, pattern.length, arn, 0, arn.length);
  const arnColons = colonsOf(arn);
  if (arnColons === null) return false;
  // Partition, service, region and account, then the resource after the fifth colon.
  for (let i = 0; i < 4; i += 1) {
    const from = (patternColons[i] as number) + 1;
    const vFrom = (arnColons[i] as number) + 1;
    if (!segmentMatches(pattern, from, patternColons[i + 1] as number, arn, vFrom, arnColons[i + 1] as number))
      return false;
  }
  return segmentMatches(
    pattern,
    (patternColons[4] as number) + 1,
    pattern.length,
    arn,
    (arnColons[4] as number) + 1,
    arn.length,
  );
}

/** Whether an ARN pattern covers an ARN, segment by segment. */
export function arnMatches(pattern: string, arn: string): boolean {
  return arnMatcher(pattern)(parseResource(arn));
}

/** The account segment of an ARN, or null for a value that is not an ARN. */
export function accountOfArn(arn: string): string | null {
  return parseArn(arn)?.account ?? null;
}
