import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allow,
  buildAccount,
  buildContext,
  buildKey,
  buildManagedPolicy,
  buildSnapshot,
  buildUser,
  daysAgo,
  deny,
  NOW,
  policyDoc,
  registerEntry,
  verdicts,
} from '../../test/assess/builders.js';
import { InputFileError } from '../errors.js';
import type { User } from '../model/snapshot.js';
import { checkById } from './registry.js';
import { isExpired, parseExceptions, reviewOverdueDays, verifyControls, type ExceptionEntry } from './exceptions.js';

const GOOD = `# accepted IAM users
version: 1
exceptions:
  - account: "111111111111"
    user: legacy-sftp
    reason: the partner's SFTP client only takes keys
    owner: alice@example.com
    expires: 2027-03-31
    reviewEveryDays: 90
    lastReviewed: 2026-10-01
    controls:
      sourceIp: [203.0.113.0/24]
      scopedPolicy: true
      rotationDays: 90
  - account: 222222222222
    user: vendor
    reason: no OIDC yet
    owner: bob@example.com
    expires: 2026-12-31
`;

describe('parseExceptions', () => {
  it('Given a valid register, When parsed, Then every field and the line of each entry are kept', () => {
    const entries = parseExceptions(GOOD, 'ex.yaml');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toEqual({
      account: '111111111111',
      user: 'legacy-sftp',
      reason: "the partner's SFTP client only takes keys",
      owner: 'alice@example.com',
      expires: '2027-03-31',
      reviewEveryDays: 90,
      lastReviewed: '2026-10-01',
      controls: { sourceIp: ['203.0.113.0/24'], scopedPolicy: true, rotationDays: 90 },
      source: { file: 'ex.yaml', line: 4 },
    });
    expect(entries[1]).toMatchObject({
      account: '222222222222',
      reviewEveryDays: null,
      lastReviewed: null,
      controls: {},
      source: { line: 15 },
    });
  });

  it('Given an empty file, When parsed, Then the register is empty', () => {
    expect(parseExceptions('', 'ex.yaml')).toEqual([]);
  });

  const bad: Array<{ name: string; text: string; message: string }> = [
    {
      name: 'an unknown field in an entry',
      text: 'exceptions:\n  - account: "111111111111"\n    user: u\n    reason: r\n    owner: o\n    expiry: 2027-01-01\n',
      message: 'ex.yaml: line 6: exceptions[0].expiry is not a known field',
    },
    {
      name: 'an unknown control',
      text: 'exceptions:\n  - account: "111111111111"\n    user: u\n    reason: r\n    owner: o\n    expires: 2027-01-01\n    controls:\n      mfa: true\n',
      message: 'ex.yaml: line 8: exceptions[0].controls.mfa is not a known field',
    },
    {
      name: 'a missing required field',
      text: 'exceptions:\n  - account: "111111111111"\n    user: u\n    owner: o\n    expires: 2027-01-01\n',
      message: 'ex.yaml: line 2: exceptions[0].reason is required',
    },
    {
      name: 'a bad date',
      text: 'exceptions:\n  - account: "111111111111"\n    user: u\n    reason: r\n    owner: o\n    expires: next year\n',
      message: 'ex.yaml: line 6: exceptions[0].expires must be a date such as 2027-03-31',
    },
    {
      name: 'an account id that lost its leading zero',
      text: 'exceptions:\n  - account: 012345678901\n    user: u\n    reason: r\n    owner: o\n    expires: 2027-01-01\n',
      message:
        'ex.yaml: line 2: exceptions[0].account must be a 12-digit account id in quotes (a leading zero may have been lost)',
    },
    { name: 'broken YAML', text: 'exceptions:\n  - account: "1\n    user: [\n', message: 'ex.yaml: line ' },
    {
      name: 'the same user twice',
      text: 'exceptions:\n  - { account: "111111111111", user: u, reason: r, owner: o, expires: 2027-01-01 }\n  - { account: "111111111111", user: u, reason: r2, owner: o, expires: 2028-01-01 }\n',
      message: 'ex.yaml: line 3: 111111111111/u is already registered at line 2; keep one entry per user',
    },
    {
      name: 'a top-level typo',
      text: 'exception:\n  - user: u\n',
      message: 'ex.yaml: line 1: exception is not a known field',
    },
    { name: 'a list instead of a map', text: '- a\n- b\n', message: 'ex.yaml: line 1: the register' },
  ];
  it.each(bad)('Given $name, When parsed, Then a one-line error names the file and the line', ({ text, message }) => {
    let error: unknown;
    try {
      parseExceptions(text, 'ex.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputFileError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('expiry and review', () => {
  it('Given an expiry date, Then the entry is valid through that whole day and expired after', () => {
    const entry = registerEntry({ expires: '2026-11-23' });
    expect(isExpired(entry, new Date('2026-11-23T23:00:00Z'))).toBe(false);
    expect(isExpired(entry, new Date('2026-11-24T00:00:01Z'))).toBe(true);
  });

  it('Given review rhythms, Then overdue days are counted from the last review', () => {
    expect(reviewOverdueDays(registerEntry({ reviewEveryDays: 30, lastReviewed: '2026-10-01' }), NOW)).toBe(23);
    expect(reviewOverdueDays(registerEntry({ reviewEveryDays: 90, lastReviewed: '2026-10-01' }), NOW)).toBeNull();
    expect(reviewOverdueDays(registerEntry({ reviewEveryDays: 90, lastReviewed: null }), NOW)).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(reviewOverdueDays(registerEntry({ reviewEveryDays: null }), NOW)).toBeNull();
  });
});

describe('verifyControls', () => {
  const ip = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } };
  const cases: Array<{
    name: string;
    user: User;
    controls: ExceptionEntry['controls'];
    verified: Record<string, boolean>;
  }> = [
    {
      name: 'every allow restricted to the claimed range',
      user: buildUser('legacy', {
        inlinePolicies: [
          { name: 'p', document: policyDoc(allow('s3:GetObject', 'arn:aws:s3:::b/*', { Condition: ip })) },
        ],
      }),
      controls: { sourceIp: ['203.0.113.0/24'] },
      verified: { sourceIp: true },
    },
    {
      name: 'a deny-all outside the range',
      user: buildUser('legacy', {
        inlinePolicies: [
          {
            name: 'p',
            document: policyDoc(
              allow('s3:GetObject', 'arn:aws:s3:::b/*'),
              deny('*', '*', { Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
            ),
          },
        ],
      }),
      controls: { sourceIp: true },
      verified: { sourceIp: true },
    },
    {
      name: 'one allow without the condition',
      user: buildUser('legacy', {
        inlinePolicies: [
          { name: 'p', document: policyDoc(allow('s3:GetObject', '*', { Condition: ip }), allow('sqs:SendMessage')) },
        ],
      }),
      controls: { sourceIp: true },
      verified: { sourceIp: false },
    },
    {
      name: 'a condition on another range than claimed',
      user: buildUser('legacy', {
        inlinePolicies: [{ name: 'p', document: policyDoc(allow('s3:GetObject', '*', { Condition: ip })) }],
      }),
      controls: { sourceIp: ['198.51.100.7/32'] },
      verified: { sourceIp: false },
    },
    {
      name: 'a scoped policy',
      user: buildUser('legacy', {
        inlinePolicies: [
          { name: 'p', document: policyDoc(allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::b/*')) },
        ],
      }),
      controls: { scopedPolicy: true },
      verified: { scopedPolicy: true },
    },
    {
      name: 'a service-wide wildcard on every resource',
      user: buildUser('legacy', { inlinePolicies: [{ name: 'p', document: policyDoc(allow('s3:*')) }] }),
      controls: { scopedPolicy: true },
      verified: { scopedPolicy: false },
    },
    {
      name: 'a managed policy whose document is missing',
      user: buildUser('legacy', {
        attachedPolicies: [{ arn: 'arn:aws:iam::111111111111:policy/missing', name: 'missing' }],
      }),
      controls: { scopedPolicy: true },
      verified: { scopedPolicy: false },
    },
    {
      name: 'keys within the claimed rotation',
      user: buildUser('legacy', { accessKeys: [buildKey({ lastRotated: daysAgo(30) })] }),
      controls: { rotationDays: 60 },
      verified: { rotationDays: true },
    },
    {
      name: 'a key older than the claimed rotation',
      user: buildUser('legacy', { accessKeys: [buildKey({ lastRotated: daysAgo(100) })] }),
      controls: { rotationDays: 60 },
      verified: { rotationDays: false },
    },
  ];
  it.each(cases)(
    'Given $name, When the claims are verified, Then each verdict is right',
    ({ user, controls, verified }) => {
      const account = buildAccount('111111111111', { users: [user], policies: [] });
      const verdictsByControl = Object.fromEntries(
        verifyControls(registerEntry({ controls }), {}, account, user, NOW).map((v) => [v.control, v.verified]),
      );
      expect(verdictsByControl).toEqual(verified);
    },
  );
});

describe('exception checks', () => {
  const users = [
    buildUser('legacy', { accessKeys: [buildKey({ lastRotated: daysAgo(10) })] }),
    buildUser('vendor', {
      accessKeys: [buildKey({ lastRotated: daysAgo(200) })],
      attachedPolicies: [{ arn: 'arn:aws:iam::111111111111:policy/vendor-read', name: 'vendor-read' }],
    }),
  ];
  const snapshot = buildSnapshot([
    buildAccount('111111111111', {
      users,
      policies: [buildManagedPolicy('vendor-read', policyDoc(allow('s3:GetObject', 'arn:aws:s3:::x/*')))],
    }),
  ]);
  const register = [
    registerEntry({
      user: 'legacy',
      expires: '2026-11-01',
      reviewEveryDays: 30,
      lastReviewed: '2026-11-01',
      controls: { rotationDays: 90 },
    }),
    registerEntry({
      user: 'vendor',
      expires: '2027-06-30',
      reviewEveryDays: 30,
      lastReviewed: '2026-09-01',
      controls: { rotationDays: 90, scopedPolicy: true },
    }),
    registerEntry({ user: 'gone', expires: '2027-06-30' }),
    registerEntry({ account: '999999999999', user: 'elsewhere', expires: '2027-06-30' }),
  ];
  const cases = [
    { check: 'exception-expired', pass: ['elsewhere', 'gone', 'vendor'], fail: ['legacy'] },
    { check: 'exception-review-overdue', pass: ['legacy'], fail: ['vendor'] },
    { check: 'exception-control-unverified', pass: ['legacy'], fail: ['vendor'] },
    { check: 'exception-unknown-user', pass: ['legacy', 'vendor'], fail: ['gone'] },
  ];
  it.each(cases)(
    'Given a register with expired, late, unverified and stale entries, When $check runs, Then exactly the expected entries fail',
    ({ check, pass, fail }) => {
      const results = checkById(check)?.evaluate(snapshot, buildContext(snapshot, { exceptions: register })) ?? [];
      expect(verdicts(results)).toEqual({ pass, fail });
      for (const r of results) expect(r.location).toMatchObject({ file: 'roleshift.exceptions.yaml', line: 2 });
    },
  );

  it('Given an exception without claimed controls, When checked, Then it fails at low severity', () => {
    const results =
      checkById('exception-control-unverified')?.evaluate(
        snapshot,
        buildContext(snapshot, { exceptions: [registerEntry({ user: 'legacy' })] }),
      ) ?? [];
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      status: 'fail',
      severity: 'low',
      message: 'the exception claims no compensating control',
    });
  });
});

describe('parseExceptions on arbitrary text', () => {
  it('Given any text, When parsed, Then it returns entries or throws a one-line InputFileError, never anything else', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `exceptions:\n  - ${s}\n`),
          fc.string().map((s) => `exceptions:\n  - account: ${s}\n    user: x\n`),
        ),
        (text) => {
          try {
            expect(Array.isArray(parseExceptions(text, 'ex.yaml'))).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(InputFileError);
            expect((error as Error).message).not.toContain('\n');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
