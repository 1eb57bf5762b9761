/**
 * Who or what each IAM user is. Every rule is a small pure function that turns one kind of fact
 * into weighted evidence; the class is the one with the most weight, and the confidence says how
 * clear the lead is. No rule decides alone except the explicit override tag, so a new kind of
 * fact (activity, a new tag) is one more rule, not another branch in a chain of ifs.
 */
import type { RoleshiftConfig } from '../config.js';
import {
  USER_CLASSES,
  type CiProvider,
  type Classification,
  type Evidence,
  type RunsOn,
  type UserClass,
} from '../model/classification.js';
import type { Account, Snapshot, User } from '../model/snapshot.js';
import { daysSince } from '../model/when.js';
import {
  activityFor,
  type ActivityEvidence,
  type AddressKind,
  type UserActivity,
  type UserAgentFamily,
} from './activity-evidence.js';

/** Evidence plus the detail a class can carry (which CI, where a workload runs). */
export interface Signal {
  evidence: Evidence;
  ciProvider?: CiProvider;
  runsOn?: RunsOn;
}

export interface RuleInput {
  user: User;
  account: Account;
  config: RoleshiftConfig;
  activity: UserActivity | null;
  /** The snapshot's collection time: "recent" is judged against when the data was read. */
  referenceTime: Date;
}

export type ClassificationRule = (input: RuleInput) => Signal[];

interface Pattern {
  re: RegExp;
  supports: UserClass;
  weight: number;
  label: string;
  ciProvider?: CiProvider;
  runsOn?: RunsOn;
}

/** Short words that must stand alone (`ci` in `ci-deployer`, not in `pacific`), as regex source. */
function words(alternatives: string): string {
  return `(?:^|[^a-z0-9])(?:${alternatives})(?:$|[^a-z0-9])`;
}

/**
 * Name fragments and what they suggest. Break-glass names are near-definitive (nobody calls a
 * person "break-glass"), vendor and CI-product names strong, generic words ("app", "svc") weaker.
 */
export const NAME_PATTERNS: readonly Pattern[] = [
  { re: /break-?glass|breakglass|emergency|firecall/, supports: 'break-glass', weight: 5, label: 'break-glass' },
  { re: /github/, supports: 'ci-cd', weight: 3.5, label: 'GitHub', ciProvider: 'github-actions' },
  {
    re: new RegExp(words('gha')),
    supports: 'ci-cd',
    weight: 3.5,
    label: 'GitHub Actions',
    ciProvider: 'github-actions',
  },
  { re: /gitlab/, supports: 'ci-cd', weight: 3.5, label: 'GitLab', ciProvider: 'gitlab' },
  { re: /circle-?ci/, supports: 'ci-cd', weight: 3.5, label: 'CircleCI', ciProvider: 'circleci' },
  { re: /bitbucket/, supports: 'ci-cd', weight: 3.5, label: 'Bitbucket', ciProvider: 'bitbucket' },
  { re: /jenkins/, supports: 'ci-cd', weight: 3.5, label: 'Jenkins', ciProvider: 'jenkins' },
  { re: /vercel/, supports: 'ci-cd', weight: 3.5, label: 'Vercel', ciProvider: 'vercel' },
  { re: /buildkite/, supports: 'ci-cd', weight: 3.5, label: 'Buildkite', ciProvider: 'buildkite' },
  {
    re: new RegExp(`terraform-?cloud|hashicorp|${words('tfc|tfe')}`),
    supports: 'ci-cd',
    weight: 3.5,
    label: 'Terraform Cloud',
    ciProvider: 'terraform-cloud',
  },
  {
    re: new RegExp(`cicd|ci-cd|pipeline|deploy|codebuild|terraform|argocd|spinnaker|${words('ci|cd|build|release')}`),
    supports: 'ci-cd',
    weight: 2,
    label: 'CI/CD',
  },
  {
    re: /datadog|new-?relic|snowflake|sentry|pagerduty|splunk|sumo-?logic|vendor|partner|third-?party|3rd-?party|external|fivetran|segment|looker|cloudflare|okta|lacework|crowdstrike|dynatrace|grafana|twilio|auth0|heroku|netlify|mongodb|stitch|rudderstack|integration/,
    supports: 'third-party',
    weight: 3,
    label: 'third-party product or integration',
  },
  {
    re: new RegExp(`contractor|consultant|freelance|${words('intern')}`),
    supports: 'human',
    weight: 2,
    label: 'a person (contractor)',
  },
  { re: /ec2|instance/, supports: 'workload', weight: 2, label: 'EC2', runsOn: 'ec2' },
  { re: /ecs|fargate/, supports: 'workload', weight: 2, label: 'ECS', runsOn: 'ecs' },
  { re: /eks|k8s|kubernetes/, supports: 'workload', weight: 2, label: 'Kubernetes', runsOn: 'eks' },
  { re: /lambda/, supports: 'workload', weight: 2, label: 'Lambda', runsOn: 'lambda' },
  { re: /on-?prem|datacenter|data-center/, supports: 'workload', weight: 2, label: 'on-premises', runsOn: 'on-prem' },
  {
    re: /gcp|gke|azure|digitalocean|hetzner/,
    supports: 'workload',
    weight: 2,
    label: 'another cloud',
    runsOn: 'other-cloud',
  },
  {
    re: new RegExp(
      `service|daemon|worker|backup|cron|batch|sftp|smtp|etl|server|${words('svc|app|api|bot|job|agent|ses|sa|system')}`,
    ),
    supports: 'workload',
    weight: 2,
    label: 'service or application',
  },
];

/** Group and path words that describe people rather than software. */
const HUMAN_GROUP_RE =
  /admin|developer|engineer|staff|employee|people|person|human|read-?only|billing|support|operator|sre|analyst|power-?user|finance|security|audit|users?(?:$|[^a-z0-9])/;

/** Any of the patterns: most texts match none, and one test rules them all out. */
const ANY_NAME_PATTERN = new RegExp(NAME_PATTERNS.map((p) => `(?:${p.re.source})`).join('|'));

const NO_PATTERNS: readonly Pattern[] = [];

function matchPatterns(text: string): readonly Pattern[] {
  const lower = text.toLowerCase();
  return ANY_NAME_PATTERN.test(lower) ? NAME_PATTERNS.filter((p) => p.re.test(lower)) : NO_PATTERNS;
}

/**
 * Signals that follow from one text alone (a path, a group, a tag value, a date), made once per
 * text and shared by every user with that text: each user's evidence is kept until the report is
 * written, and one object per text instead of one per user took what the assessment keeps at
 * 20,000 users from 84 MB to 73 MB. Callers never change a rule's signals. Paths, groups and
 * tag values repeat across thousands of users (names do not), so each is matched once. Bounded:
 * past 50,000 texts it starts again.
 */
class SharedSignals {
  private readonly byText = new Map<string, Signal[]>();

  constructor(private readonly make: (text: string) => Signal[]) {}

  of(text: string): Signal[] {
    let signals = this.byText.get(text);
    if (signals === undefined) {
      signals = this.make(text);
      if (this.byText.size >= 50_000) this.byText.clear();
      this.byText.set(text, signals);
    }
    return signals;
  }
}

function signal(source: Evidence['source'], pattern: Pattern, weight: number, detail: string): Signal {
  const out: Signal = { evidence: { source, supports: pattern.supports, weight, detail } };
  if (pattern.ciProvider) out.ciProvider = pattern.ciProvider;
  if (pattern.runsOn) out.runsOn = pattern.runsOn;
  return out;
}

function plain(source: Evidence['source'], supports: UserClass, weight: number, detail: string): Signal {
  return { evidence: { source, supports, weight, detail } };
}

function activeKeys(user: User): User['accessKeys'] {
  return user.accessKeys.filter((k) => k.status === 'Active');
}

const passwordUsedOn = new SharedSignals((at) => [
  plain('credential', 'human', 3, `console password, last used ${at.slice(0, 10)}`),
]);
const PASSWORD_NEVER_USED = [plain('credential', 'human', 1.5, 'console password set (never used)')];

/** A console password, and whether anyone signs in with it. */
export const passwordRule: ClassificationRule = ({ user }) => {
  if (!user.password.enabled) return [];
  if (user.password.lastUsed.state === 'at') return passwordUsedOn.of(user.password.lastUsed.at);
  return PASSWORD_NEVER_USED;
};

const MFA_ENABLED = [plain('credential', 'human', 1.5, 'MFA device enabled')];
const HARDWARE_MFA_ENABLED = [...MFA_ENABLED, plain('credential', 'break-glass', 0.5, 'hardware MFA device')];

/** MFA is something a person carries; hardware MFA is typical of a break-glass account. */
export const mfaRule: ClassificationRule = ({ user }) => {
  if (!user.mfaActive && user.mfaDevices.length === 0) return [];
  return user.mfaDevices.some((d) => d.kind === 'hardware') ? HARDWARE_MFA_ENABLED : MFA_ENABLED;
};

/** An access key without a console password is how software signs in; the key's use says where. */
export const accessKeyRule: ClassificationRule = ({ user }) => {
  const active = activeKeys(user);
  if (active.length === 0) return [];
  const used = active.filter((k) => k.lastUsed.state === 'at');
  const where = used
    .map((k) => [k.lastUsedService, k.lastUsedRegion].filter((x) => x !== null && x !== 'N/A').join(' in '))
    .filter((s) => s !== '');
  const detail = `${active.length} active access key${active.length > 1 ? 's' : ''}${where.length > 0 ? `, used for ${[...new Set(where)].join(', ')}` : used.length === 0 ? ', never used' : ''}`;
  if (user.password.enabled) return [plain('credential', 'human', 0.5, `${detail} beside a console password`)];
  // One text for the three signals: every user's evidence is kept until the report is written.
  const machine = `${detail}, no console password`;
  return [
    plain('credential', 'workload', 1, machine),
    plain('credential', 'ci-cd', 1, machine),
    plain('credential', 'third-party', 0.5, machine),
  ];
};

/**
 * The service a key last called hints at its user: deployments touch CloudFormation and ECR,
 * applications queues and tables, monitoring products CloudWatch. Hints only: weights stay small.
 */
const SERVICE_HINTS: Record<string, { supports: UserClass; label: string }> = {
  cloudformation: { supports: 'ci-cd', label: 'deployments' },
  ecr: { supports: 'ci-cd', label: 'image pushes' },
  codedeploy: { supports: 'ci-cd', label: 'deployments' },
  sqs: { supports: 'workload', label: 'an application' },
  sns: { supports: 'workload', label: 'an application' },
  dynamodb: { supports: 'workload', label: 'an application' },
  ses: { supports: 'workload', label: 'an application' },
  kinesis: { supports: 'workload', label: 'an application' },
  firehose: { supports: 'workload', label: 'an application' },
  monitoring: { supports: 'third-party', label: 'a monitoring product' },
  logs: { supports: 'third-party', label: 'a monitoring product' },
};

export const keyServiceRule: ClassificationRule = ({ user }) => {
  const services = new Set(
    activeKeys(user)
      .map((k) => k.lastUsedService)
      .filter((s): s is string => s !== null),
  );
  return [...services].flatMap((service) => {
    const hint = Object.hasOwn(SERVICE_HINTS, service) ? SERVICE_HINTS[service] : undefined;
    return hint
      ? [plain('credential', hint.supports, 0.75, `access key last used for ${service}, typical of ${hint.label}`)]
      : [];
  });
};

/**
 * A password that exists but is not used, behind MFA, on an account with no keys: the shape of a
 * break-glass login kept for emergencies.
 */
export const dormantLoginRule: ClassificationRule = ({ user, referenceTime, config }) => {
  if (!user.password.enabled || !user.mfaActive || activeKeys(user).length > 0) return [];
  const idle = daysSince(user.password.lastUsed, referenceTime);
  const dormant = config.classification.dormantLoginDays;
  if (user.password.lastUsed.state === 'never' || (idle !== null && idle > dormant)) {
    return [
      plain('credential', 'break-glass', 1.5, `MFA-protected password, no keys, unused for over ${dormant} days`),
    ];
  }
  return [];
};

/** Name fragments; a name that reads like a person's (an e-mail, first.last) supports human. */
export const nameRule: ClassificationRule = ({ user }) => {
  const matches = matchPatterns(user.name);
  if (matches.length > 0)
    return matches.map((p) => signal('name', p, p.weight, `user name "${user.name}" suggests ${p.label}`));
  if (/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(user.name))
    return [plain('name', 'human', 2, `user name "${user.name}" is an e-mail address`)];
  if (/^[a-z]{2,}[._][a-z]{2,}$/i.test(user.name))
    return [plain('name', 'human', 1, `user name "${user.name}" reads like first.last`)];
  return [];
};

const pathSignals = new SharedSignals((path) => {
  const matches = matchPatterns(path);
  if (matches.length > 0)
    return matches.map((p) => signal('path', p, p.weight * 0.75, `path ${path} suggests ${p.label}`));
  if (HUMAN_GROUP_RE.test(path.toLowerCase())) return [plain('path', 'human', 1.5, `path ${path} is for people`)];
  return [];
});

export const pathRule: ClassificationRule = ({ user }) => (user.path === '/' ? [] : pathSignals.of(user.path));

/** Group membership: each group counts once, and groups weigh less than the user's own name. */
const groupSignals = new SharedSignals((group) => {
  const matches = matchPatterns(group);
  if (matches.length > 0)
    return matches.map((p) => signal('group', p, p.weight * 0.5, `member of group "${group}" (${p.label})`));
  if (HUMAN_GROUP_RE.test(group.toLowerCase())) return [plain('group', 'human', 1, `member of group "${group}"`)];
  return [];
});

export const groupRule: ClassificationRule = ({ user }) => user.groups.flatMap((group) => groupSignals.of(group));

const purposeSignalsByKey = new Map<string, SharedSignals>();

/** The signals of one purpose tag's values, by value. */
function purposeSignals(key: string): SharedSignals {
  let signals = purposeSignalsByKey.get(key);
  if (signals === undefined) {
    signals = new SharedSignals((value) =>
      matchPatterns(value).map((p) => signal('tag', p, p.weight + 1, `tag ${key}=${value} suggests ${p.label}`)),
    );
    purposeSignalsByKey.set(key, signals);
  }
  return signals;
}

/**
 * Tags are the owner's own statement: the override tag decides alone (see classifyUser), purpose
 * tags weigh more than a name, and an e-mail owner tag matching the user name says it is that person.
 */
export const tagRule: ClassificationRule = ({ user, config }) => {
  const out: Signal[] = [];
  for (const key of config.classification.purposeTagKeys) {
    const value = user.tags[key];
    if (value === undefined) continue;
    out.push(...purposeSignals(key).of(value));
  }
  for (const key of config.classification.ownerTagKeys) {
    const value = user.tags[key];
    if (value === undefined || !value.includes('@')) continue;
    const local = value.split('@')[0]?.toLowerCase() ?? '';
    const name = user.name.toLowerCase().split('@')[0] ?? '';
    if (local !== '' && (local === name || local.replace(/[._-]/g, '') === name.replace(/[._-]/g, ''))) {
      out.push(plain('tag', 'human', 2, `tag ${key}=${value} names the user itself`));
    }
  }
  return out;
};

type WeightedHint = Omit<Signal, 'evidence'> & { supports: UserClass; weight: number };

const AGENT_SIGNALS: Record<UserAgentFamily, WeightedHint[]> = {
  console: [{ supports: 'human', weight: 3 }],
  'aws-cli': [
    { supports: 'human', weight: 0.5 },
    { supports: 'workload', weight: 0.5 },
  ],
  'aws-sdk': [{ supports: 'workload', weight: 1.5 }],
  boto3: [{ supports: 'workload', weight: 1.5 }],
  terraform: [{ supports: 'ci-cd', weight: 1 }],
  'github-actions': [{ supports: 'ci-cd', weight: 4, ciProvider: 'github-actions' }],
  gitlab: [{ supports: 'ci-cd', weight: 4, ciProvider: 'gitlab' }],
  circleci: [{ supports: 'ci-cd', weight: 4, ciProvider: 'circleci' }],
  bitbucket: [{ supports: 'ci-cd', weight: 4, ciProvider: 'bitbucket' }],
  jenkins: [{ supports: 'ci-cd', weight: 4, ciProvider: 'jenkins' }],
  vercel: [{ supports: 'ci-cd', weight: 4, ciProvider: 'vercel' }],
  'terraform-cloud': [{ supports: 'ci-cd', weight: 4, ciProvider: 'terraform-cloud' }],
  buildkite: [{ supports: 'ci-cd', weight: 4, ciProvider: 'buildkite' }],
};

/** Private and public addresses say nothing about the class on their own. */
const ADDRESS_SIGNALS: Partial<Record<AddressKind, WeightedHint[]>> = {
  'github-hosted': [{ supports: 'ci-cd', weight: 3, ciProvider: 'github-actions' }],
  'gitlab-hosted': [{ supports: 'ci-cd', weight: 3, ciProvider: 'gitlab' }],
  aws: [{ supports: 'workload', weight: 2, runsOn: 'aws-other' }],
  vpc: [{ supports: 'workload', weight: 2, runsOn: 'aws-other' }],
  'other-cloud': [{ supports: 'workload', weight: 1.5, runsOn: 'other-cloud' }],
};

const COMPUTE_HINTS: Record<string, RunsOn> = { ec2: 'ec2', ecs: 'ecs', eks: 'eks', lambda: 'lambda' };

/** CloudTrail facts: who calls (user agent) and from where (address kind). */
export const activityRule: ClassificationRule = ({ activity }) => {
  if (!activity) return [];
  const out: Signal[] = [];
  for (const agent of new Set(activity.userAgents)) {
    for (const s of Object.hasOwn(AGENT_SIGNALS, agent) ? AGENT_SIGNALS[agent as UserAgentFamily] : []) {
      const { supports, weight, ...extra } = s;
      out.push({
        ...extra,
        evidence: { source: 'activity', supports, weight, detail: `calls made with user agent ${agent}` },
      });
    }
  }
  for (const address of new Set(activity.addresses)) {
    for (const s of Object.hasOwn(ADDRESS_SIGNALS, address) ? (ADDRESS_SIGNALS[address as AddressKind] ?? []) : []) {
      const { supports, weight, ...extra } = s;
      out.push({
        ...extra,
        evidence: { source: 'activity', supports, weight, detail: `calls made from ${address} addresses` },
      });
    }
  }
  for (const hint of new Set(activity.computeHints ?? [])) {
    const runsOn = Object.hasOwn(COMPUTE_HINTS, hint) ? COMPUTE_HINTS[hint] : undefined;
    if (runsOn)
      out.push({
        runsOn,
        evidence: { source: 'activity', supports: 'workload', weight: 2.5, detail: `calls made from ${hint}` },
      });
  }
  return out;
};

/** The rules in the order their evidence is listed. */
export const CLASSIFICATION_RULES: readonly ClassificationRule[] = [
  tagRule,
  nameRule,
  pathRule,
  groupRule,
  passwordRule,
  mfaRule,
  accessKeyRule,
  keyServiceRule,
  dormantLoginRule,
  activityRule,
];

/** Below this much weight the leader is a guess, and the class is `unknown`. */
const MIN_WINNING_WEIGHT = 1.5;

function bestOf<T extends string>(signals: Signal[], pick: (s: Signal) => T | undefined): T | null {
  const totals = new Map<T, number>();
  for (const s of signals) {
    const value = pick(s);
    if (value !== undefined) totals.set(value, (totals.get(value) ?? 0) + s.evidence.weight);
  }
  let best: T | null = null;
  let bestWeight = 0;
  for (const [value, weight] of [...totals.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (weight > bestWeight) {
      best = value;
      bestWeight = weight;
    }
  }
  return best;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The classes a signal can win for, in the order ties between them are ranked. */
const CLAIMING_CLASSES: readonly UserClass[] = USER_CLASSES.filter((c) => c !== 'unknown');

/**
 * Each claiming class's summed weight, in CLAIMING_CLASSES order. An array, not a map of class to
 * weight: this runs for every user, and at 100,000 users the map and its sorted entries were a
 * good part of what the classification allocated.
 */
function claimedWeights(signals: readonly Signal[]): number[] {
  const weights = CLAIMING_CLASSES.map(() => 0);
  for (const s of signals) {
    const at = CLAIMING_CLASSES.indexOf(s.evidence.supports);
    if (at >= 0) weights[at] = (weights[at] ?? 0) + s.evidence.weight;
  }
  return weights;
}

/** The index of the largest weight; the first of equals, as a stable ranking would put it. */
function leaderOf(weights: readonly number[]): number {
  let leader = 0;
  for (let i = 1; i < weights.length; i += 1) if ((weights[i] ?? 0) > (weights[leader] ?? 0)) leader = i;
  return leader;
}

/** Weighs the signals: the class with the most weight wins; a tie or too little weight is unknown. */
export function scoreSignals(signals: Signal[]): {
  class: UserClass;
  confidence: number;
  ciProvider: CiProvider | null;
  runsOn: RunsOn | null;
} {
  const weights = claimedWeights(signals);
  const leader = leaderOf(weights);
  const weight = weights[leader] ?? 0;
  const winner = CLAIMING_CLASSES[leader];
  // Unknown claims nothing, so there is nothing to be confident about.
  if (winner === undefined || weight < MIN_WINNING_WEIGHT || weights.some((w, i) => i !== leader && w === weight))
    return { class: 'unknown', confidence: 0, ciProvider: null, runsOn: null };
  // Summed from the largest weight down, as a ranking would: the same number to the last bit.
  const total = weights
    .filter((w) => w > 0)
    .sort((a, b) => b - a)
    .reduce((sum, w) => sum + w, 0);
  // Share of the evidence times a saturating curve: a clear but thin lead is not certainty.
  const confidence = round2((weight / total) * (1 - Math.exp(-weight / 3)));
  const ciProvider =
    winner === 'ci-cd' ? bestOf(signals, (s) => (s.evidence.supports === 'ci-cd' ? s.ciProvider : undefined)) : null;
  const runsOn =
    winner === 'workload'
      ? (bestOf(signals, (s) => (s.evidence.supports === 'workload' ? s.runsOn : undefined)) ?? 'unknown')
      : null;
  return { class: winner, confidence, ciProvider, runsOn };
}

function overrideOf(user: User, config: RoleshiftConfig): UserClass | null {
  const value = user.tags[config.classification.overrideTagKey]?.trim().toLowerCase();
  if (value === undefined) return null;
  return (USER_CLASSES as readonly string[]).includes(value) ? (value as UserClass) : null;
}

/** One user's classification; `personKey` is filled in across the estate by classifyUsers. */
export function classifyUser(input: RuleInput): Classification {
  const { user, account, config } = input;
  const base = { accountId: account.accountId, userName: user.name, userArn: user.arn, personKey: null };
  const override = overrideOf(user, config);
  const signals = CLASSIFICATION_RULES.flatMap((rule) => rule(input));
  if (override !== null) {
    const key = config.classification.overrideTagKey;
    const evidence: Evidence = {
      source: 'override',
      supports: override,
      weight: 100,
      detail: `tag ${key}=${user.tags[key] ?? ''} sets the class`,
    };
    const scored = scoreSignals(signals.filter((s) => s.evidence.supports === override));
    return {
      ...base,
      class: override,
      ciProvider: override === 'ci-cd' ? scored.ciProvider : null,
      runsOn: override === 'workload' ? (scored.runsOn ?? 'unknown') : null,
      confidence: 1,
      evidence: [evidence, ...signals.map((s) => s.evidence)],
    };
  }
  const scored = scoreSignals(signals);
  return {
    accountId: base.accountId,
    userName: base.userName,
    userArn: base.userArn,
    personKey: null,
    class: scored.class,
    confidence: scored.confidence,
    ciProvider: scored.ciProvider,
    runsOn: scored.runsOn,
    evidence: signals.map((s) => s.evidence),
  };
}

/** E-mail addresses a user's tags (or name) tie it to, lower-cased. */
function emailsOf(user: User, config: RoleshiftConfig): string[] {
  const values = config.classification.ownerTagKeys
    .map((k) => user.tags[k])
    .filter((v): v is string => v !== undefined);
  values.push(user.name);
  return [...new Set(values.map((v) => v.trim().toLowerCase()).filter((v) => /^[^@\s]+@[^@\s]+$/.test(v)))];
}

/**
 * Groups the people among the users: two human users are one person when they share a user name
 * (case-insensitive), an e-mail in an owner tag, or one's name is the local part of the other's e-mail. The key is the group's smallest e-mail, else
 * its name, so it is stable across runs.
 */
export function assignPersonKeys(
  classifications: Classification[],
  users: Map<string, User>,
  config: RoleshiftConfig,
): Classification[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string): void => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb) return;
    // The smaller key becomes the root, so the grouping does not depend on the order of the pairs.
    if (ra < rb) parent.set(rb, ra);
    else parent.set(ra, rb);
  };
  const labels = new Map<string, string[]>();
  for (const c of classifications) {
    if (c.class !== 'human') continue;
    const user = users.get(c.userArn);
    if (!user) continue;
    const emails = emailsOf(user, config);
    // An e-mail's local part is the name the person would have been given elsewhere (jane.doe).
    const names = [user.name.toLowerCase(), ...emails.map((e) => e.split('@')[0] ?? e)];
    const mine = [...new Set([...names.map((n) => `name:${n}`), ...emails.map((e) => `email:${e}`)])];
    labels.set(c.userArn, mine);
    for (const label of mine) union(mine[0] ?? label, label);
  }
  const members = new Map<string, Set<string>>();
  for (const mine of labels.values()) {
    for (const label of mine) {
      const root = find(label);
      const group = members.get(root);
      if (group === undefined) members.set(root, new Set([label]));
      else group.add(label);
    }
  }
  const keyOfRoot = new Map<string, string>();
  for (const [root, group] of members) keyOfRoot.set(root, personKeyOf(group) ?? root);
  return classifications.map((c) => {
    const mine = labels.get(c.userArn);
    if (!mine || mine[0] === undefined) return c;
    return { ...c, personKey: keyOfRoot.get(find(mine[0])) ?? null };
  });
}

/** The smallest e-mail of a person's labels, else the smallest label. */
function personKeyOf(labels: ReadonlySet<string>): string | undefined {
  let smallest: string | undefined;
  let smallestEmail: string | undefined;
  for (const label of labels) {
    if (smallest === undefined || label < smallest) smallest = label;
    if (label.startsWith('email:') && (smallestEmail === undefined || label < smallestEmail)) smallestEmail = label;
  }
  return smallestEmail ?? smallest;
}

/** Classifies every IAM user of the snapshot, in snapshot order. */
export function classifyUsers(
  snapshot: Snapshot,
  options: { config: RoleshiftConfig; activity?: ActivityEvidence },
): Classification[] {
  const referenceTime = new Date(snapshot.collection.finishedAt);
  const users = new Map<string, User>();
  const out: Classification[] = [];
  for (const account of snapshot.accounts) {
    for (const user of account.users) {
      users.set(user.arn, user);
      out.push(
        classifyUser({
          user,
          account,
          config: options.config,
          activity: activityFor(options.activity, user.arn),
          referenceTime,
        }),
      );
    }
  }
  return assignPersonKeys(out, users, options.config);
}
