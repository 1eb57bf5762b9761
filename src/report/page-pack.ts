/**
 * The report data as the page carries it: what repeats is stored once. At 100,000 users plain JSON
 * of ReportData is over 400 MB, close to the longest string V8 can build, and most of it repeats:
 * the same keys in every object, the same finding titles, remediation texts and references, the
 * same evidence, paths, groups, plan steps and tags, user after user. Here every user is a tuple,
 * and the parts that repeat sit in tables the tuples point into.
 *
 * packReport (the server) and unpackReport (the page's script) are each other's inverse:
 * unpackReport(packReport(data)) equals data. Pure: no DOM, no Node.
 */
import type { Evidence } from '../model/classification.js';
import type { When } from '../model/snapshot.js';
import type { ProofCheck, ReplacementProof } from '../plan/types.js';
import {
  userKey,
  type ReportArtifact,
  type ReportData,
  type ReportExtras,
  type ReportFinding,
  type ReportKey,
  type ReportUser,
  type ReportUserExtras,
  type UserExtrasSource,
} from './page-model.js';

export const PAGE_PACK_FORMAT = 'roleshift-report-pack/2';

/** An index into `PagePack.texts`. */
type TextRef = number;
/** An instant as itself, 0 for never, null for unknown. */
type PackedWhen = string | 0 | null;

type PackedKey = [
  slot: 1 | 2,
  id: string | null,
  active: boolean,
  lastRotated: PackedWhen,
  ageDays: number | null,
  lastUsed: PackedWhen,
  lastUsedDays: number | null,
  unusedDays: number | null,
  service: TextRef | null,
  region: TextRef | null,
];

type PackedCheck = [status: TextRef, checked: number, failures: TextRef[], notes: TextRef[]];

/** The same notes repeat for most users (a mirror is the user): text refs, not strings. */
type PackedProof = [verdict: TextRef, observedAllowed: PackedCheck, withinCurrent: PackedCheck, trust: PackedCheck];

type PackedPlan = [
  strategy: TextRef,
  target: TextRef,
  risk: TextRef,
  steps: TextRef[],
  blockers: TextRef[],
  artifacts: number[],
  proof: PackedProof | null,
];

type PackedUserExtras = [
  userClass: TextRef,
  confidence: number,
  evidence: number[],
  findings: Array<[finding: number, message: TextRef]>,
  worstSeverity: ReportUserExtras['worstSeverity'],
  plan: PackedPlan | null,
  exception: ReportUserExtras['exception'],
  remediation: [stage: TextRef, at: string | null, lastError: string | null],
];

type PackedUser = [
  account: number,
  name: string,
  arn: string,
  path: TextRef,
  groups: TextRef[],
  /** Key, value, key, value... */
  tags: TextRef[],
  password: boolean,
  passwordLastUsed: PackedWhen,
  passwordLastUsedDays: number | null,
  mfa: boolean,
  mfaKinds: ReportUser['mfa']['kinds'],
  keys: PackedKey[],
  longLived: boolean,
  extras: PackedUserExtras | null,
];

/** A finding without its message: what one check says to every user it flags. */
type FindingTemplate = Omit<ReportFinding, 'message'>;

export interface PagePack {
  format: typeof PAGE_PACK_FORMAT;
  /** Everything but the users and their extras, as ReportData has it. */
  report: Omit<ReportData, 'users' | 'extras'> & { extras: Omit<ReportExtras, 'users'> | null };
  texts: string[];
  accounts: Array<[accountId: string, alias: string | null]>;
  findings: FindingTemplate[];
  evidence: Evidence[];
  artifacts: ReportArtifact[];
  users: PackedUser[];
}

/** Distinct strings, each stored once. */
class Texts {
  readonly rows: string[] = [];
  private readonly index = new Map<string, number>();

  add(text: string): TextRef {
    const known = this.index.get(text);
    if (known !== undefined) return known;
    const at = this.rows.push(text) - 1;
    this.index.set(text, at);
    return at;
  }
}

/**
 * Distinct rows, found by a cheap key (a check id, a hash) and told apart by `matches` when
 * several share it: no row is serialised to find its twin.
 */
class Table<T> {
  readonly rows: T[] = [];
  private readonly byKey = new Map<string | number, number | number[]>();

  add(key: string | number, matches: (row: T) => boolean, make: () => T): number {
    const known = this.byKey.get(key);
    if (typeof known === 'number' && matches(this.rows[known] as T)) return known;
    if (Array.isArray(known)) for (const at of known) if (matches(this.rows[at] as T)) return at;
    const at = this.rows.push(make()) - 1;
    if (known === undefined) this.byKey.set(key, at);
    else if (typeof known === 'number') this.byKey.set(key, [known, at]);
    else known.push(at);
    return at;
  }
}

const FNV_PRIME = 16777619;
/** Enough of each string to tell artifacts apart; a collision costs one comparison, never a wrong match. */
const HASHED_CHARS = 64;

/** A 32-bit FNV-1a hash of a JSON value's content, walked in place (nothing serialised). */
function hashJson(value: unknown, seed = 0x811c9dc5): number {
  let hash = seed;
  if (typeof value === 'string') {
    hash = Math.imul(hash ^ value.length, FNV_PRIME);
    for (let i = 0; i < Math.min(value.length, HASHED_CHARS); i += 1)
      hash = Math.imul(hash ^ value.charCodeAt(i), FNV_PRIME);
    return Math.imul(hash ^ 0x22, FNV_PRIME);
  }
  if (typeof value === 'number') return Math.imul(hash ^ (value * 1024) ^ 0x6e, FNV_PRIME);
  if (value === null || typeof value !== 'object') return Math.imul(hash ^ (value ? 0x74 : 0x66), FNV_PRIME);
  if (Array.isArray(value)) {
    for (const item of value) hash = hashJson(item, Math.imul(hash ^ 0x5b, FNV_PRIME));
    return hash;
  }
  // for-in walks an object's own keys in Object.entries' order without building the pairs: at
  // 100,000 users those arrays were most of the hash's cost.
  const record = value as Record<string, unknown>;
  for (const key in record) hash = hashJson(record[key], hashJson(key, hash));
  return hash;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Equal as JSON values (what JSON.stringify would write the same way). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  return aKeys.every((key, i) => key === bKeys[i] && sameJson(aRecord[key], bRecord[key]));
}

class Packer {
  readonly texts = new Texts();
  readonly accounts = new Table<[string, string | null]>();
  readonly findings = new Table<FindingTemplate>();
  readonly evidence = new Table<Evidence>();
  readonly artifacts = new Table<ReportArtifact>();

  text(value: string): TextRef {
    return this.texts.add(value);
  }

  optionalText(value: string | null): TextRef | null {
    return value === null ? null : this.texts.add(value);
  }

  user(user: ReportUser, extras: ReportUserExtras | null): PackedUser {
    return [
      this.account(user.accountId, user.accountAlias),
      user.name,
      user.arn,
      this.text(user.path),
      user.groups.map((group) => this.text(group)),
      Object.entries(user.tags).flatMap(([key, value]) => [this.text(key), this.text(value)]),
      user.password.enabled,
      packWhen(user.password.lastUsed),
      user.password.lastUsedDays,
      user.mfa.active,
      user.mfa.kinds,
      user.keys.map((key) => this.key(key)),
      user.longLived,
      extras === null ? null : this.extras(extras),
    ];
  }

  private account(accountId: string, alias: string | null): number {
    return this.accounts.add(
      accountId,
      (row) => row[1] === alias,
      () => [accountId, alias],
    );
  }

  private key(key: ReportKey): PackedKey {
    return [
      key.slot,
      key.id,
      key.status === 'Active',
      packWhen(key.lastRotated),
      key.ageDays,
      packWhen(key.lastUsed),
      key.lastUsedDays,
      key.unusedDays,
      this.optionalText(key.lastUsedService),
      this.optionalText(key.lastUsedRegion),
    ];
  }

  private extras(extras: ReportUserExtras): PackedUserExtras {
    return [
      this.text(extras.class),
      extras.confidence,
      extras.evidence.map((item) =>
        this.evidence.add(
          item.detail,
          (row) => row.source === item.source && row.supports === item.supports && row.weight === item.weight,
          () => item,
        ),
      ),
      extras.findings.map((finding) => [this.finding(finding), this.text(finding.message)]),
      extras.worstSeverity,
      extras.plan === null ? null : this.plan(extras.plan),
      extras.exception,
      [this.text(extras.remediation.stage), extras.remediation.at, extras.remediation.lastError],
    ];
  }

  private finding(finding: ReportFinding): number {
    return this.findings.add(
      finding.checkId,
      (row) =>
        row.title === finding.title &&
        row.severity === finding.severity &&
        row.status === finding.status &&
        row.remediation === finding.remediation &&
        sameList(row.cis, finding.cis) &&
        sameList(row.securityHub, finding.securityHub),
      () => {
        const { message: _message, ...template } = finding;
        return template;
      },
    );
  }

  private plan(plan: NonNullable<ReportUserExtras['plan']>): PackedPlan {
    return [
      this.text(plan.strategy),
      this.text(plan.target),
      this.text(plan.risk),
      plan.steps.map((step) => this.text(step)),
      plan.blockers.map((blocker) => this.text(blocker)),
      // A person's artifacts (Identity Center user, CLI profiles) repeat for each of their IAM users.
      plan.artifacts.map((artifact) =>
        this.artifacts.add(
          hashJson(artifact),
          (row) => sameJson(row, artifact),
          () => artifact,
        ),
      ),
      plan.proof === null ? null : this.proof(plan.proof),
    ];
  }

  private proof(proof: ReplacementProof): PackedProof {
    const check = (c: ProofCheck): PackedCheck => [
      this.text(c.status),
      c.checked,
      c.failures.map((line) => this.text(line)),
      c.notes.map((line) => this.text(line)),
    ];
    return [this.text(proof.verdict), check(proof.observedAllowed), check(proof.withinCurrent), check(proof.trust)];
  }
}

function packWhen(when: When): PackedWhen {
  if (when.state === 'at') return when.at;
  return when.state === 'never' ? 0 : null;
}

function unpackWhen(when: PackedWhen): When {
  if (typeof when === 'string') return { state: 'at', at: when };
  return when === 0 ? { state: 'never' } : { state: 'unknown' };
}

/** A user as the page lists it, with its assessed extras (null when the report has none). */
export interface PackedUserSource {
  user: ReportUser;
  extras: ReportUserExtras | null;
}

/** The extras of a report that has them all, read as the render reads them. */
export function extrasSource(users: ReportExtras['users']): UserExtrasSource {
  return {
    count: Object.keys(users).length,
    of: (accountId, userName) => users[userKey(accountId, userName)] ?? null,
  };
}

/**
 * Each user with its extras, in the users' order; throws, once the users are through, when the
 * extras name a user the list does not have.
 */
export function* withExtras(
  users: Iterable<ReportUser>,
  extras: UserExtrasSource | null,
): Generator<PackedUserSource, void, undefined> {
  if (extras === null) {
    for (const user of users) yield { user, extras: null };
    return;
  }
  let matched = 0;
  for (const user of users) {
    const own = extras.of(user.accountId, user.name, user.arn);
    if (own !== null) matched += 1;
    yield { user, extras: own };
  }
  if (matched !== extras.count)
    throw new Error('report extras name users the snapshot does not have: assess and render the same snapshot');
}

function withoutUsers<T extends { users: unknown }>(extras: T): Omit<T, 'users'> {
  const { users: _users, ...rest } = extras;
  return rest;
}

/** Everything but the users, as the pack carries it. */
export function packedReport(
  data: Omit<ReportData, 'users' | 'extras'> & { extras: (Omit<ReportExtras, 'users'> & { users: unknown }) | null },
): PagePack['report'] {
  const { extras, ...report } = data;
  return { ...report, extras: extras === null ? null : withoutUsers(extras) };
}

function tablesOf(packer: Packer, report: PagePack['report']): Omit<PagePack, 'users'> {
  return {
    format: PAGE_PACK_FORMAT,
    report,
    texts: packer.texts.rows,
    accounts: packer.accounts.rows,
    findings: packer.findings.rows,
    evidence: packer.evidence.rows,
    artifacts: packer.artifacts.rows,
  };
}

/** ReportData with what repeats stored once; `unpackReport` gives it back. */
export function packReport(data: ReportData): PagePack {
  const packer = new Packer();
  const { users: list, ...rest } = data;
  const source = data.extras === null ? null : extrasSource(data.extras.users);
  const users = [...withExtras(list, source)].map(({ user, extras }) => packer.user(user, extras));
  return { ...tablesOf(packer, packedReport(rest)), users };
}

/**
 * Users per chunk of `packReportJson`: each chunk is one string of about 200 KB, above the size
 * V8 allocates outside the young generation, so the page's text is never copied by the garbage
 * collector.
 */
const USERS_PER_CHUNK = 500;

/**
 * `JSON.stringify(packReport(data))`, byte for byte, as a list of chunks, packed one user at a
 * time: each user's page row, extras and tuple are garbage as soon as its JSON is written, so
 * the heap holds the tables and the text, never all users' objects at once (at 100,000 users
 * that heap made garbage collection most of the render's time).
 */
export function packReportJson(
  report: PagePack['report'],
  users: Iterable<PackedUserSource>,
  usersPerChunk = USERS_PER_CHUNK,
): string[] {
  const packer = new Packer();
  // Separators are chunks of their own: a chunk is never a concatenation V8 must copy to read.
  const chunks: string[] = [];
  let batch: string[] = [];
  const flush = () => {
    if (chunks.length > 0) chunks.push(',');
    chunks.push(batch.join(','));
    batch = [];
  };
  for (const { user, extras } of users) {
    batch.push(JSON.stringify(packer.user(user, extras)));
    if (batch.length === usersPerChunk) flush();
  }
  if (batch.length > 0) flush();
  const tables = JSON.stringify(tablesOf(packer, report));
  // The tables' object without its closing brace, then the users: the key order packReport has.
  return [tables.slice(0, -1), ',"users":[', ...chunks, ']}'];
}

/** Reads the tables of one pack; a reference outside them is a broken pack, never silently undefined. */
class Unpacker {
  constructor(private readonly pack: PagePack) {}

  private row<T>(table: readonly T[], index: number, name: string): T {
    const row = table[index];
    if (row === undefined) throw new Error(`report data: ${name} ${index} is missing`);
    return row;
  }

  text(ref: TextRef): string {
    return this.row(this.pack.texts, ref, 'text');
  }

  user(packed: PackedUser): { user: ReportUser; extras: ReportUserExtras | null } {
    const [
      account,
      name,
      arn,
      path,
      groups,
      tags,
      password,
      lastUsed,
      lastUsedDays,
      mfa,
      mfaKinds,
      keys,
      longLived,
      x,
    ] = packed;
    const [accountId, accountAlias] = this.row(this.pack.accounts, account, 'account');
    const user: ReportUser = {
      accountId,
      accountAlias,
      name,
      arn,
      path: this.text(path),
      groups: groups.map((group) => this.text(group)),
      tags: this.tags(tags),
      password: { enabled: password, lastUsed: unpackWhen(lastUsed), lastUsedDays },
      mfa: { active: mfa, kinds: mfaKinds },
      keys: keys.map((key) => this.key(key)),
      longLived,
    };
    return { user, extras: x === null ? null : this.extras(x) };
  }

  private tags(pairs: readonly TextRef[]): Record<string, string> {
    const tags: Record<string, string> = {};
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const key = this.text(pairs[i] as TextRef);
      const value = this.text(pairs[i + 1] as TextRef);
      // `__proto__` is a legal tag key: define it, never set the object's prototype.
      if (key === '__proto__') Object.defineProperty(tags, key, { value, enumerable: true, writable: true });
      else tags[key] = value;
    }
    return tags;
  }

  private key(packed: PackedKey): ReportKey {
    const [slot, id, active, lastRotated, ageDays, lastUsed, lastUsedDays, unusedDays, service, region] = packed;
    return {
      slot,
      id,
      status: active ? 'Active' : 'Inactive',
      lastRotated: unpackWhen(lastRotated),
      ageDays,
      lastUsed: unpackWhen(lastUsed),
      lastUsedDays,
      unusedDays,
      lastUsedService: service === null ? null : this.text(service),
      lastUsedRegion: region === null ? null : this.text(region),
    };
  }

  private extras(packed: PackedUserExtras): ReportUserExtras {
    const [userClass, confidence, evidence, findings, worstSeverity, plan, exception, remediation] = packed;
    const [stage, at, lastError] = remediation;
    return {
      class: this.text(userClass) as ReportUserExtras['class'],
      confidence,
      evidence: evidence.map((index) => this.row(this.pack.evidence, index, 'evidence')),
      findings: findings.map(([template, message]) => this.finding(template, message)),
      worstSeverity,
      plan: plan === null ? null : this.plan(plan),
      exception,
      remediation: { stage: this.text(stage) as ReportUserExtras['remediation']['stage'], at, lastError },
    };
  }

  /** Fields in ReportFinding's order, so the finding equals the one packed. */
  private finding(template: number, message: TextRef): ReportFinding {
    const { checkId, title, severity, status, remediation, cis, securityHub } = this.row(
      this.pack.findings,
      template,
      'finding',
    );
    return { checkId, title, severity, status, message: this.text(message), remediation, cis, securityHub };
  }

  private proof(packed: PackedProof): ReplacementProof {
    const check = ([status, checked, failures, notes]: PackedCheck): ProofCheck => ({
      status: this.text(status) as ProofCheck['status'],
      checked,
      failures: failures.map((line) => this.text(line)),
      notes: notes.map((line) => this.text(line)),
    });
    const [verdict, observedAllowed, withinCurrent, trust] = packed;
    return {
      verdict: this.text(verdict) as ReplacementProof['verdict'],
      observedAllowed: check(observedAllowed),
      withinCurrent: check(withinCurrent),
      trust: check(trust),
    };
  }

  private plan(packed: PackedPlan): NonNullable<ReportUserExtras['plan']> {
    const [strategy, target, risk, steps, blockers, artifacts, proof] = packed;
    return {
      strategy: this.text(strategy) as NonNullable<ReportUserExtras['plan']>['strategy'],
      target: this.text(target),
      risk: this.text(risk) as NonNullable<ReportUserExtras['plan']>['risk'],
      steps: steps.map((step) => this.text(step)),
      blockers: blockers.map((blocker) => this.text(blocker)),
      artifacts: artifacts.map((index) => this.row(this.pack.artifacts, index, 'artifact')),
      proof: proof === null ? null : this.proof(proof),
    };
  }
}

/** The ReportData that packReport packed. Shared parts (templates, evidence, artifacts) come back as one object each. */
export function unpackReport(pack: PagePack): ReportData {
  if (pack.format !== PAGE_PACK_FORMAT) throw new Error(`report data: unknown format ${String(pack.format)}`);
  const unpacker = new Unpacker(pack);
  const users: ReportUser[] = [];
  const extrasOfUsers: Record<string, ReportUserExtras> = {};
  for (const packed of pack.users) {
    const { user, extras } = unpacker.user(packed);
    users.push(user);
    if (extras !== null) extrasOfUsers[userKey(user.accountId, user.name)] = extras;
  }
  const { extras, ...report } = pack.report;
  return { ...report, users, extras: extras === null ? null : { ...extras, users: extrasOfUsers } };
}
