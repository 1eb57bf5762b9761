import { UserInputError } from '../errors.js';
import type { Gap } from '../model/snapshot.js';

/**
 * What went wrong in an AWS call, said so a user can act on it: which call, in which account and
 * region, the HTTP status, and what to do. The client factory (clients.ts) tags every failed
 * call's error with the call; everything that reports a failure reads it through here.
 */
export interface AwsCall {
  /** `service:Operation`, e.g. `iam:GetUser`. */
  api: string;
  accountId: string | null;
  region: string | null;
}

const CALL = Symbol.for('roleshift.awsCall');

/** Remembers on the error itself which call failed (errors cross many layers before they are shown). */
export function tagCall(error: unknown, call: AwsCall): void {
  if (error === null || typeof error !== 'object' || CALL in error) return;
  Object.defineProperty(error, CALL, { value: call, enumerable: false });
}

export function callOf(error: unknown): AwsCall | undefined {
  return error !== null && typeof error === 'object' && CALL in error
    ? ((error as Record<symbol, AwsCall>)[CALL] as AwsCall)
    : undefined;
}

interface SdkErrorShape {
  Code?: unknown;
  code?: unknown;
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { statusCode?: unknown; body?: unknown };
}

function shapeOf(error: unknown): SdkErrorShape {
  return error !== null && typeof error === 'object' ? (error as SdkErrorShape) : {};
}

export function httpStatusOf(error: unknown): number | undefined {
  const shape = shapeOf(error);
  const status = shape.$metadata?.httpStatusCode ?? shape.$response?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The SDK could not read the answer as AWS's (an HTML error page, a proxy's answer, an API the
 * endpoint does not implement): it throws a parse error that carries the raw response instead of
 * an AWS error code.
 */
function isUnreadableAnswer(error: unknown): boolean {
  const shape = shapeOf(error);
  return (
    shape.$response !== undefined &&
    typeof shape.Code !== 'string' &&
    /Deserialization error/.test(String(shape.message ?? ''))
  );
}

/** AWS error name or code, e.g. AccessDenied, NoSuchEntity, Throttling. */
export function errorCodeOf(error: unknown): string {
  // Our own parsers throw input errors: for a live answer that means AWS sent what we cannot read.
  if (error instanceof UserInputError || isUnreadableAnswer(error)) return 'MalformedResponse';
  const shape = shapeOf(error);
  for (const value of [shape.Code, shape.name, shape.code]) {
    if (typeof value === 'string' && value !== '' && value !== 'Error') return value;
  }
  return 'Error';
}

export function hasErrorCode(error: unknown, ...codes: string[]): boolean {
  const shape = shapeOf(error);
  return [shape.Code, shape.name, shape.code].some((value) => typeof value === 'string' && codes.includes(value));
}

const THROTTLING = [
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
];

export function isThrottlingError(error: unknown): boolean {
  return hasErrorCode(error, ...THROTTLING) || httpStatusOf(error) === 429;
}

/** The error's own first line, without the SDK's pointer to a hidden field a user cannot see. */
export function firstLineOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0]?.trim() ?? '';
  return line === '' ? errorCodeOf(error) : line;
}

/** Control characters from an answer (or a hostile endpoint) shown escaped, never sent to a terminal. */
function printable(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

const RAW_LIMIT = 2000;

/** The raw body of the failed answer (the client factory keeps it), cut to a readable length. */
export function rawResponseOf(error: unknown): string | undefined {
  const body = shapeOf(error).$response?.body;
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) text = new TextDecoder().decode(body);
  if (text === undefined || text === '') return undefined;
  return printable(text.length > RAW_LIMIT ? `${text.slice(0, RAW_LIMIT)}... (${text.length} characters)` : text);
}

const DENIED = [
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
];
const BAD_CREDENTIALS = [
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'InvalidToken',
];
const UNREACHABLE = [
  'ECONNREFUSED',
  'ENOTFOUND',
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'TimeoutError',
  'EHOSTUNREACH',
];

/**
 * What the user can do about it. `permissions` says where the needed permissions are listed
 * (the audit role for a scan, the remediation role for remediate).
 */
export function adviceFor(error: unknown, api: string, permissions: string): string {
  if (hasErrorCode(error, ...DENIED)) return `allow ${api} to the credentials in use (${permissions})`;
  if (hasErrorCode(error, ...BAD_CREDENTIALS))
    return 'the credentials are invalid or expired: refresh them (for example `aws sso login`) and run again';
  if (isThrottlingError(error))
    return 'AWS still throttled after every retry: run again later or with a lower --concurrency';
  if (hasErrorCode(error, 'NoSuchEntity', 'NoSuchEntityException', 'ResourceNotFoundException'))
    return 'it does not exist (any more): scan again to see the current state';
  if (hasErrorCode(error, ...UNREACHABLE))
    return 'the endpoint could not be reached: check the network, proxy settings and AWS_ENDPOINT_URL';
  if (isUnreadableAnswer(error))
    return `the endpoint did not answer as AWS does; if AWS_ENDPOINT_URL points at an emulator, it may not implement ${api}; --debug shows the raw response`;
  const status = httpStatusOf(error);
  if (status !== undefined && status >= 500) return 'AWS failed after every retry: run again later';
  return 'run again with --debug to see the raw response';
}

export interface FailureOptions {
  /** Where the permissions a call needs are listed; the audit role by default. */
  permissions?: string;
  /** Adds the raw answer on the lines after the message. */
  debug?: boolean;
}

const AUDIT_ROLE_PERMISSIONS = 'deploy/audit-role.yaml lists what the scan reads';

/** `HTTP 403: User ... is not authorized ...; allow iam:X to ...`: the status, the message, what to do. */
function detailOf(error: unknown, api: string | null, permissions: string): string {
  const status = httpStatusOf(error);
  const advice = api === null ? null : adviceFor(error, api, permissions);
  return `${status === undefined ? '' : `HTTP ${status}: `}${firstLineOf(error).replace(/\.$/, '')}${advice === null ? '' : `; ${advice}`}`;
}

/**
 * One line for a failed AWS call: `iam:GetUser in account 111111111111, us-east-1 failed
 * (MalformedResponse): HTTP 500: ...; what to do`, and with `debug` the raw answer after it.
 * An error that did not come from an AWS call is its own first line.
 */
export function describeAwsFailure(error: unknown, options: FailureOptions = {}): string {
  const call = callOf(error);
  if (call === undefined) return firstLineOf(error);
  const where = [call.accountId === null ? null : `account ${call.accountId}`, call.region].filter(
    (part): part is string => part !== null,
  );
  const line = `${call.api}${where.length === 0 ? '' : ` in ${where.join(', ')}`} failed (${errorCodeOf(error)}): ${detailOf(error, call.api, options.permissions ?? AUDIT_ROLE_PERMISSIONS)}`;
  const raw = options.debug ? rawResponseOf(error) : undefined;
  return raw === undefined ? line : `${line}\nraw response:\n${raw}`;
}

/**
 * A failure as a gap of the snapshot. The call the error names wins over `fallback.api` (a
 * listing of several calls fails in one of them); the message keeps the status and the advice.
 */
export function gapOf(error: unknown, fallback: Pick<Gap, 'accountId' | 'region' | 'api'>): Gap {
  const api = callOf(error)?.api ?? fallback.api;
  const aws = callOf(error) !== undefined || httpStatusOf(error) !== undefined;
  return {
    accountId: fallback.accountId,
    region: fallback.region,
    api,
    errorCode: errorCodeOf(error),
    message: detailOf(error, aws ? api : null, AUDIT_ROLE_PERMISSIONS),
  };
}
