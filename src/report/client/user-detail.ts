import type { ReportArtifact, ReportKey, ReportUser, ReportUserExtras } from '../page-model.js';
import { h } from './dom.js';
import { minutes, plural, usage } from './format.js';
import { copyButton, referencesCell, severityBadge } from './widgets.js';

function keyLine(key: ReportKey): HTMLElement {
  const age = key.ageDays === null ? 'age unknown' : `${plural(key.ageDays, 'day')} old`;
  const where = key.lastUsedService
    ? ` (${key.lastUsedService}${key.lastUsedRegion ? `, ${key.lastUsedRegion}` : ''})`
    : '';
  return h('li', {}, [
    h('span', { class: 'mono', text: `${key.id || `key ${key.slot}`} ` }),
    `${key.status}, ${age}, ${usage('used', key.lastUsed, key.lastUsedDays)}${where}`,
  ]);
}

function passwordLine(user: ReportUser): string {
  if (!user.password.enabled) return 'no console password';
  const mfa = user.mfa.active ? `, MFA ${user.mfa.kinds.join(', ') || 'on'}` : ', no MFA';
  return `console password, ${usage('used', user.password.lastUsed, user.password.lastUsedDays)}${mfa}`;
}

function identity(user: ReportUser): HTMLElement {
  const tagKeys = Object.keys(user.tags);
  return h('div', {}, [
    h('h3', { text: 'Identity' }),
    h('div', { class: 'mono small', text: user.arn }),
    h('div', {
      class: 'muted',
      text: `path ${user.path}${user.groups.length ? ` \u00b7 groups ${user.groups.join(', ')}` : ''}`,
    }),
    tagKeys.length
      ? h(
          'div',
          { class: 'tags' },
          tagKeys.map((key) => h('span', { class: 'badge', text: `${key}=${user.tags[key]}` })),
        )
      : null,
    h('h3', { text: 'Credentials' }),
    h('ul', {}, [h('li', { text: passwordLine(user) }), ...user.keys.map(keyLine)]),
  ]);
}

function assessment(x: ReportUserExtras): HTMLElement {
  const remediation = x.remediation;
  return h('div', {}, [
    h('h3', { text: `Why ${x.class} (${Math.round(x.confidence * 100)}% confidence)` }),
    x.evidence.length
      ? h(
          'ul',
          { class: 'evidence' },
          x.evidence.map((e) =>
            h('li', {}, [
              h('span', { class: 'badge', text: e.source }),
              ' ',
              `${e.weight >= 0 ? '+' : ''}${e.weight.toFixed(2)} ${e.supports}: `,
              h('span', { text: e.detail }),
            ]),
          ),
        )
      : h('p', { class: 'muted', text: 'No evidence either way.' }),
    x.exception
      ? h('p', {}, [
          h('strong', { text: 'Exception: ' }),
          `${x.exception.reason} (owner ${x.exception.owner}, ${x.exception.expired ? 'expired ' : 'expires '}${x.exception.expires})`,
        ])
      : null,
    h('p', {}, [
      h('strong', { text: 'Remediation: ' }),
      `${remediation.stage}${remediation.at ? ` since ${minutes(remediation.at)}` : ''}`,
      remediation.lastError ? h('div', { class: 'notice gap', text: remediation.lastError }) : null,
    ]),
  ]);
}

function findingsTable(x: ReportUserExtras): HTMLElement {
  if (x.findings.length === 0) return h('p', { class: 'muted', text: 'No findings.' });
  return h('table', { class: 'findings' }, [
    h(
      'tbody',
      {},
      x.findings.map((f) =>
        h('tr', {}, [
          h('td', {}, [severityBadge(f.severity)]),
          h('td', {}, [
            h('strong', { text: f.title }),
            h('div', { text: f.message }),
            h('div', { class: 'muted small', text: `Fix: ${f.remediation}` }),
          ]),
          referencesCell(f),
        ]),
      ),
    ),
  ]);
}

/** Pretty-printed only when a detail opens: indenting every user's policies up front would double the file. */
function artifactBlock(artifact: ReportArtifact): HTMLElement {
  const text = artifact.text !== null ? artifact.text : JSON.stringify(artifact.value, null, 2);
  return h('div', { class: 'artifact' }, [
    h('div', { class: 'artifact-head' }, [
      h('strong', { text: artifact.title }),
      h('span', { class: 'muted', text: ` ${artifact.kind}` }),
      copyButton(text),
    ]),
    h('pre', { text }),
  ]);
}

type Proof = NonNullable<NonNullable<ReportUserExtras['plan']>['proof']>;

const PROOF_CHECKS: ReadonlyArray<[keyof Omit<Proof, 'verdict'>, string]> = [
  ['observedAllowed', 'observed calls and what they imply are allowed'],
  ['withinCurrent', 'nothing allowed that the user is denied today'],
  ['trust', "trust policy passes roleshift's trust analysis"],
];

/** The replacement's three checks, each with what failed and what it could not cover. */
function proofPart(proof: Proof): HTMLElement {
  return h('div', { class: 'proof' }, [
    h('strong', { text: `Proof: ${proof.verdict}` }),
    h(
      'ul',
      {},
      PROOF_CHECKS.map(([key, title]) => {
        const check = proof[key];
        return h('li', {}, [
          `${title}: ${check.status} (${plural(check.checked, 'check')})`,
          ...check.failures.map((line) => h('div', { class: 'notice', text: line })),
          ...check.notes.map((line) => h('div', { class: 'muted', text: line })),
        ]);
      }),
    ),
  ]);
}

function planParts(plan: NonNullable<ReportUserExtras['plan']>): HTMLElement[] {
  return [
    h('h3', { text: `Plan: ${plan.target} (${plan.risk} risk)` }),
    ...(plan.proof ? [proofPart(plan.proof)] : []),
    ...(plan.blockers.length
      ? [
          h(
            'div',
            {},
            plan.blockers.map((blocker) => h('div', { class: 'notice', text: `Blocker: ${blocker}` })),
          ),
        ]
      : []),
    h(
      'ol',
      {},
      plan.steps.map((step) => h('li', { text: step })),
    ),
    ...plan.artifacts.map(artifactBlock),
  ];
}

/** Everything about one user: identity and credentials, why its class, findings, plan and artifacts. */
export function renderDetail(user: ReportUser, x: ReportUserExtras | null): HTMLElement {
  const parts: HTMLElement[] = [h('div', { class: 'detail-grid' }, [identity(user), x ? assessment(x) : null])];
  if (x) {
    parts.push(h('h3', { text: 'Findings' }), findingsTable(x));
    if (x.plan) parts.push(...planParts(x.plan));
  }
  return h('div', { class: 'detail' }, parts);
}
