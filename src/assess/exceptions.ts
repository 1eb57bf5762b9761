/**
 * The exceptions register: IAM users the organisation has decided to keep, each with an owner,
 * a reason, an expiry, a review rhythm and the compensating controls it claims. Claims are
 * checked against the snapshot, because a control that is only written down protects nothing.
 * Pure: the CLI reads the file and passes the text and its name.
 */
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { InputFileError } from '../errors.js';
import type { Account, User } from '../model/snapshot.js';
import { daysSince } from '../model/when.js';
import { conditionsOnKey, type NormalizedStatement } from '../policy/document.js';
import { describeSource, userPolicies, type ManagedPolicies, type UserPolicies } from './permissions.js';

const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

const DateText = z
  .string()
  .regex(DATE, 'must be a date such as 2027-03-31')
  .refine((s) => !Number.isNaN(new Date(s).getTime()), 'is not a real date');

/** YAML reads an unquoted account id as a number; accept it only when no leading zero was lost. */
const AccountId = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!/^\d{12}$/.test(text)) {
    ctx.addIssue({
      code: 'custom',
      message:
        typeof value === 'number'
          ? 'must be a 12-digit account id in quotes (a leading zero may have been lost)'
          : 'must be a 12-digit account id',
    });
    return z.NEVER;
  }
  return text;
});

const ControlsSchema = z
  .object({
    /** Claims the user's policies restrict calls to these source addresses (`aws:SourceIp`). */
    sourceIp: z.union([z.literal(true), z.array(z.string().min(1)).min(1)]).optional(),
    /** Claims the user holds no `*` on `*` and no whole-service wildcard on every resource. */
    scopedPolicy: z.boolean().optional(),
    /** Claims every active key is rotated at least this often. */
    rotationDays: z.number().int().positive().optional(),
  })
  .strict();

const EntrySchema = z
  .object({
    account: AccountId,
    user: z.string().min(1),
    reason: z.string().min(1),
    owner: z.string().min(1),
    expires: DateText,
    reviewEveryDays: z.number().int().positive().optional(),
    lastReviewed: DateText.optional(),
    controls: ControlsSchema.optional(),
  })
  .strict();

const RegisterSchema = z
  .object({ version: z.literal(1).optional(), exceptions: z.array(EntrySchema).default([]) })
  .strict();

export type ClaimedControls = z.infer<typeof ControlsSchema>;

export interface ExceptionEntry {
  account: string;
  user: string;
  reason: string;
  owner: string;
  /** ISO date (as written). */
  expires: string;
  reviewEveryDays: number | null;
  lastReviewed: string | null;
  controls: ClaimedControls;
  /** Where the entry is written, for findings that point at it. */
  source: { file: string; line: number };
}

type Path = ReadonlyArray<PropertyKey>;

/** The 1-based line of the YAML node at `path`, or of the nearest ancestor that exists. */
function lineOf(doc: Document, counter: LineCounter, path: Path, key?: string): number {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true);
    if (key !== undefined && depth === path.length && isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key);
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return counter.linePos(range[0]).line;
    }
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return counter.linePos(range[0]).line;
  }
  return 1;
}

function describePath(path: Path): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/**
 * Parses the register text. Bad YAML, an unknown field or a wrong value throws InputFileError
 * naming the file and the line, e.g. `roleshift.exceptions.yaml: line 7: exceptions[0].expiry
 * is not a known field`.
 */
export function parseExceptions(text: string, file: string): ExceptionEntry[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = counter.linePos(syntax.pos[0]).line;
    throw new InputFileError(file, `line ${line}: not valid YAML (${syntax.message.split('\n')[0] ?? syntax.code})`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    // Unresolved or exploding aliases surface only when the document is turned into values.
    throw new InputFileError(
      file,
      `not a usable YAML document (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
  }
  const parsed = RegisterSchema.safeParse(raw);
  if (!parsed.success) {
    // A misspelt field also makes the real one "missing"; the misspelling is the news.
    const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0];
    if (!issue) throw new InputFileError(file, 'not a valid exceptions register');
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '';
      const where = describePath([...issue.path, key]);
      throw new InputFileError(file, `line ${lineOf(doc, counter, issue.path, key)}: ${where} is not a known field`);
    }
    const where = issue.path.length > 0 ? describePath(issue.path) : 'the register';
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    throw new InputFileError(file, `line ${lineOf(doc, counter, issue.path)}: ${where} ${message}`);
  }
  const seen = new Map<string, number>();
  for (const [index, entry] of parsed.data.exceptions.entries()) {
    const key = `${entry.account}/${entry.user}`;
    const first = seen.get(key);
    if (first !== undefined) {
      const line = lineOf(doc, counter, ['exceptions', index]);
      throw new InputFileError(
        file,
        `line ${line}: ${key} is already registered at line ${lineOf(doc, counter, ['exceptions', first])}; keep one entry per user`,
      );
    }
    seen.set(key, index);
  }
  return parsed.data.exceptions.map((entry, index) => ({
    account: entry.account,
    user: entry.user,
    reason: entry.reason,
    owner: entry.owner,
    expires: entry.expires,
    reviewEveryDays: entry.reviewEveryDays ?? null,
    lastReviewed: entry.lastReviewed ?? null,
    controls: entry.controls ?? {},
    source: { file, line: lineOf(doc, counter, ['exceptions', index]) },
  }));
}

export function findException(
  exceptions: ExceptionEntry[] | null,
  accountId: string,
  userName: string,
): ExceptionEntry | undefined {
  return exceptions?.find((e) => e.account === accountId && e.user === userName);
}

/** A date-only expiry lasts through that whole day (UTC). */
function endOf(dateText: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(dateText) ? new Date(`${dateText}T23:59:59.999Z`) : new Date(dateText);
}

export function isExpired(entry: ExceptionEntry, now: Date): boolean {
  return endOf(entry.expires).getTime() < now.getTime();
}

/** Days the review is overdue (>0), or null when no review rhythm is set or it is not due. */
export function reviewOverdueDays(entry: ExceptionEntry, now: Date): number | null {
  if (entry.reviewEveryDays === null) return null;
  if (entry.lastReviewed === null) return entry.reviewEveryDays > 0 ? Number.POSITIVE_INFINITY : null;
  const since = Math.floor((now.getTime() - new Date(entry.lastReviewed).getTime()) / 86_400_000);
  const overdue = since - entry.reviewEveryDays;
  return overdue > 0 ? overdue : null;
}

export interface ControlVerdict {
  control: 'sourceIp' | 'scopedPolicy' | 'rotationDays';
  verified: boolean;
  detail: string;
}

function restrictsSourceIp(statement: NormalizedStatement): string[] | null {
  const conditions = conditionsOnKey(statement, 'aws:SourceIp');
  const wanted = statement.effect === 'Allow' ? 'IpAddress' : 'NotIpAddress';
  const match = conditions.filter((c) => c.operator === wanted && !c.ifExists);
  return match.length > 0 ? match.flatMap((c) => c.values) : null;
}

function verifySourceIp(policies: UserPolicies, claim: true | string[]): ControlVerdict {
  const denyAll = policies.statements.find(
    ({ statement }) =>
      statement.effect === 'Deny' && (statement.actions ?? []).includes('*') && restrictsSourceIp(statement) !== null,
  );
  const allows = policies.statements.filter(({ statement }) => statement.effect === 'Allow');
  const unrestricted = allows.filter(({ statement }) => restrictsSourceIp(statement) === null);
  const values = denyAll
    ? (restrictsSourceIp(denyAll.statement) ?? [])
    : allows.flatMap(({ statement }) => restrictsSourceIp(statement) ?? []);
  if (!denyAll && (allows.length === 0 || unrestricted.length > 0)) {
    const first = unrestricted[0];
    return {
      control: 'sourceIp',
      verified: false,
      detail: first
        ? `${describeSource(first.source)} allows calls without an aws:SourceIp condition`
        : 'no policy of the user carries an aws:SourceIp condition',
    };
  }
  if (claim !== true) {
    const missing = claim.filter((cidr) => !values.includes(cidr));
    if (missing.length > 0)
      return { control: 'sourceIp', verified: false, detail: `aws:SourceIp does not list ${missing.join(', ')}` };
  }
  const unreadable = policies.unreadable[0];
  if (unreadable)
    return {
      control: 'sourceIp',
      verified: false,
      detail: `cannot read ${describeSource(unreadable.source)}: ${unreadable.reason}`,
    };
  return { control: 'sourceIp', verified: true, detail: `calls limited to ${[...new Set(values)].join(', ')}` };
}

function verifyScopedPolicy(policies: UserPolicies): ControlVerdict {
  for (const { statement, source } of policies.statements) {
    if (statement.effect !== 'Allow') continue;
    const actions = statement.actions ?? [];
    const everyResource = (statement.resources ?? []).includes('*') || statement.notResources !== null;
    if (statement.notActions !== null || actions.some((a) => a === '*' || a === '*:*')) {
      return { control: 'scopedPolicy', verified: false, detail: `${describeSource(source)} allows every action` };
    }
    const serviceWide = actions.find((a) => /^[a-z0-9-]+:\*$/i.test(a));
    if (serviceWide && everyResource) {
      return {
        control: 'scopedPolicy',
        verified: false,
        detail: `${describeSource(source)} allows ${serviceWide} on every resource`,
      };
    }
  }
  const unreadable = policies.unreadable[0];
  if (unreadable)
    return {
      control: 'scopedPolicy',
      verified: false,
      detail: `cannot read ${describeSource(unreadable.source)}: ${unreadable.reason}`,
    };
  return { control: 'scopedPolicy', verified: true, detail: 'no wildcard grants' };
}

function verifyRotation(user: User, days: number, now: Date): ControlVerdict {
  for (const key of user.accessKeys.filter((k) => k.status === 'Active')) {
    const age = daysSince(key.lastRotated, now);
    if (age === null)
      return {
        control: 'rotationDays',
        verified: false,
        detail: `key ${key.id ?? `slot ${key.slot}`} has no known rotation date`,
      };
    if (age > days)
      return {
        control: 'rotationDays',
        verified: false,
        detail: `key ${key.id ?? `slot ${key.slot}`} is ${age} days old (claimed at most ${days})`,
      };
  }
  return { control: 'rotationDays', verified: true, detail: `every active key is at most ${days} days old` };
}

/**
 * Checks each claimed control against the user as the snapshot shows it (`shared`: the snapshot's
 * AWS managed policies, which the user's policies may point at).
 */
export function verifyControls(
  entry: ExceptionEntry,
  shared: ManagedPolicies,
  account: Account,
  user: User,
  now: Date,
): ControlVerdict[] {
  const out: ControlVerdict[] = [];
  const policies = () => userPolicies(shared, account, user);
  if (entry.controls.sourceIp !== undefined) out.push(verifySourceIp(policies(), entry.controls.sourceIp));
  if (entry.controls.scopedPolicy === true) out.push(verifyScopedPolicy(policies()));
  if (entry.controls.rotationDays !== undefined) out.push(verifyRotation(user, entry.controls.rotationDays, now));
  return out;
}
