import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ONE_ACCOUNT_DIR, ONE_ACCOUNT_FILES } from '../../test/fixtures/one-account-export.js';
import { MalformedLogError, parseLogText } from '../activity/parse.js';
import { UserInputError } from '../errors.js';
import { InputTextError } from '../input-text.js';
import type { Snapshot } from '../model/snapshot.js';
import { countHeadline } from '../model/headline.js';
import { CREDENTIAL_REPORT_COLUMNS } from './credential-report.js';
import { collectFromFiles } from './files.js';

/**
 * The invariant of issue 15, as a property: every input a `scan --from` can be given ends in
 * exit 0 with counts no smaller than what the files hold, exit 2 (the input is refused), or
 * exit 3 with a gap. Never a smaller count with exit 0, never exit 4 (an internal error).
 * Bounded in runs so the suite stays fast; a failure prints the seed and the shrunk input.
 */

const CORPUS = fileURLToPath(new URL('../../test/fixtures/corpus/', import.meta.url));
const NOW = new Date('2026-11-23T10:00:00Z');
const ACCOUNT = '123456789012';
/** A few seconds in the suite; `ROLESHIFT_FUZZ_RUNS=5000 npx vitest run src/collect/inputs-fuzz.test.ts` digs deeper. */
const RUNS = Number(process.env.ROLESHIFT_FUZZ_RUNS ?? 150);

const scratch = mkdtempSync(join(tmpdir(), 'roleshift-fuzz-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

type Outcome = { exit: 0 | 3; snapshot: Snapshot } | { exit: 2 | 4; error: unknown };

/** What `scan --from` would exit with: main's rule is UserInputError → 2, anything else → 4. */
async function scanOutcome(files: Record<string, string | Uint8Array>): Promise<Outcome> {
  const dir = join(scratch, `case-${++counter}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  try {
    const snapshot = await collectFromFiles(dir, { now: () => NOW });
    return { exit: snapshot.gaps.length > 0 ? 3 : 0, snapshot };
  } catch (error) {
    return { exit: error instanceof UserInputError ? 2 : 4, error };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const USER_ARN = /arn:aws[\w-]*:iam::\d{12}:user\/[^,"\s\\]+/g;

/** Objects that look like a user entry, wherever they sit under UserDetailList. */
function userArnsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) userArnsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    const entry = value as Record<string, unknown>;
    if (typeof entry.UserName === 'string' && typeof entry.Arn === 'string') found.add(entry.Arn);
    for (const child of Object.values(entry)) userArnsIn(child, found);
  }
  return found;
}

/**
 * The users the files hold, counted without roleshift's reader: a lower bound for exit 0. Every
 * entry of a UserDetailList array counts (a reader must read it as a user or refuse the file),
 * and so does every user-shaped object anywhere under UserDetailList.
 */
function usersInFiles(files: Record<string, string | Uint8Array>): number {
  const arns = new Set<string>();
  let entries = 0;
  for (const [name, content] of Object.entries(files)) {
    const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
    if (name.includes('authorization')) {
      try {
        const list = (JSON.parse(text) as Record<string, unknown>).UserDetailList;
        if (Array.isArray(list)) entries = Math.max(entries, list.length);
        userArnsIn(list, arns);
      } catch {
        // Not JSON: the reader must refuse it, which the invariant checks separately.
      }
    } else if (name.includes('credential')) {
      for (const match of text.matchAll(USER_ARN)) arns.add(match[0]);
    }
  }
  return Math.max(arns.size, entries);
}

/** The property itself. `longLived` is the truth when the generator knows it. Returns the exit code. */
async function holdsInvariant(files: Record<string, string | Uint8Array>, longLived?: number): Promise<number> {
  const outcome = await scanOutcome(files);
  if (outcome.exit === 4) throw outcome.error;
  expect([0, 2, 3]).toContain(outcome.exit);
  if (outcome.exit !== 0) {
    if (outcome.exit === 2) expect(String((outcome.error as Error).message)).not.toContain('\n');
    return outcome.exit;
  }
  const counts = countHeadline(outcome.snapshot);
  expect(counts.users).toBeGreaterThanOrEqual(usersInFiles(files));
  if (longLived !== undefined) expect(counts.usersWithLongLivedCredentials).toBeGreaterThanOrEqual(longLived);
  return outcome.exit;
}

const corpusText = (path: string) => readFileSync(join(CORPUS, path), 'utf8');
const exportText = (name: string) => readFileSync(join(ONE_ACCOUNT_DIR, name), 'utf8');
const COMPLETE_EXPORT: Record<string, string> = Object.fromEntries(
  ONE_ACCOUNT_FILES.map((name) => [name, exportText(name)]),
);

const junk = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.boolean(),
  fc.constant({ member: [] }),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A JSON value with one node replaced, deleted or wrapped, chosen by `path` (indices wrap around). */
function mutate(value: unknown, path: readonly number[], action: number, replacement: unknown): unknown {
  if (value === null || typeof value !== 'object') return replacement;
  const keys = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
  if (keys.length === 0 || path.length === 0) {
    return action === 0 ? replacement : action === 1 ? { member: value } : Array.isArray(value) ? 'x' : [value];
  }
  const key = keys[(path[0] as number) % keys.length] as string | number;
  const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string | number, unknown>;
  if (path.length === 1 && action === 3 && !Array.isArray(value)) delete copy[key];
  else copy[key] = mutate(copy[key], path.slice(1), action, replacement);
  return copy;
}

const mutation = fc.record({
  path: fc.array(fc.nat(40), { minLength: 0, maxLength: 6 }),
  action: fc.integer({ min: 0, max: 3 }),
  replacement: junk,
});

describe('scan --from never gives a false zero (fuzz, issue 15 point 6)', () => {
  it('Given mutations of a complete export (any node of the GAAD), When scanned, Then the invariant holds', async () => {
    const gaad = JSON.parse(COMPLETE_EXPORT['get-account-authorization-details.json'] as string) as unknown;
    await fc.assert(
      fc.asyncProperty(mutation, async ({ path, action, replacement }) => {
        const mutated = JSON.stringify(mutate(gaad, path, action, replacement));
        await holdsInvariant({ ...COMPLETE_EXPORT, 'get-account-authorization-details.json': mutated });
      }),
      { numRuns: RUNS },
    );
  });

  it('Given mutations of real GAAD files from the public corpus, When scanned alone, Then the invariant holds', async () => {
    const corpus = [
      'cloudsplaining/example-authz-details.json',
      'cloudmapper/iam-get-account-authorization-details.json',
    ]
      .map(corpusText)
      .map((text) => JSON.parse(text) as unknown);
    await fc.assert(
      fc.asyncProperty(fc.nat(corpus.length - 1), mutation, async (which, { path, action, replacement }) => {
        const mutated = JSON.stringify(mutate(corpus[which], path, action, replacement));
        await holdsInvariant({ 'get-account-authorization-details.json': mutated });
      }),
      { numRuns: RUNS },
    );
  });

  it('Given the files of a complete export cut, padded or with bytes changed, When scanned, Then the invariant holds', async () => {
    const names = Object.keys(COMPLETE_EXPORT);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(names.length - 1),
        fc.nat(),
        fc.constantFrom('cut', 'flip', 'bom', 'utf16', 'latin1'),
        async (which, at, how) => {
          const name = names[which] as string;
          const bytes = Buffer.from(COMPLETE_EXPORT[name] as string, 'utf8');
          const offset = at % bytes.length;
          const changed =
            how === 'cut'
              ? bytes.subarray(0, offset)
              : how === 'flip'
                ? Buffer.concat([
                    bytes.subarray(0, offset),
                    Buffer.from([(bytes[offset] ?? 0) ^ 0x80]),
                    bytes.subarray(offset + 1),
                  ])
                : how === 'bom'
                  ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes])
                  : how === 'utf16'
                    ? Buffer.from(`\uFEFF${bytes.toString('utf8')}`, 'utf16le')
                    : Buffer.concat([bytes, Buffer.from([0xe9])]);
          await holdsInvariant({ ...COMPLETE_EXPORT, [name]: changed });
        },
      ),
      { numRuns: RUNS },
    );
  });

  const flag = fc.constantFrom('true', 'false', 'N/A', 'not_supported', 'maybe', '');
  const date = fc.constantFrom('2025-01-01T00:00:00+00:00', 'N/A', 'no_information', 'not_supported', 'yesterday');
  const row = fc.record({
    name: fc.stringMatching(/^[a-z][a-z0-9.-]{0,10}$/),
    password: flag,
    key1: flag,
    key2: flag,
    when: date,
  });

  it('Given generated credential reports beside a GAAD that names the same users, When scanned, Then no long-lived user goes uncounted with exit 0', async () => {
    const reached = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(row, { selector: (r) => r.name, maxLength: 6 }),
        fc.constantFrom('plain', 'quoted', 'crlf', 'bom'),
        async (rows, style) => {
          const cells = (r: (typeof rows)[number]) =>
            CREDENTIAL_REPORT_COLUMNS.map((column) => {
              if (column === 'user') return r.name;
              if (column === 'arn') return `arn:aws:iam::${ACCOUNT}:user/${r.name}`;
              if (column === 'password_enabled') return r.password;
              if (column === 'access_key_1_active') return r.key1;
              if (column === 'access_key_2_active') return r.key2;
              if (column.endsWith('_active') || column === 'mfa_active') return 'false';
              return r.when;
            });
          const lines = [[...CREDENTIAL_REPORT_COLUMNS], ...rows.map(cells)].map((line) =>
            line.map((cell) => (style === 'quoted' ? `"${cell}"` : cell)).join(','),
          );
          const csv = `${style === 'bom' ? '\uFEFF' : ''}${lines.join(style === 'crlf' ? '\r\n' : '\n')}`;
          const gaad = {
            UserDetailList: rows.map((r) => ({ UserName: r.name, Arn: `arn:aws:iam::${ACCOUNT}:user/${r.name}` })),
          };
          const longLived = rows.filter((r) => [r.password, r.key1, r.key2].includes('true')).length;
          const { 'get-credential-report.json': _json, ...others } = COMPLETE_EXPORT;
          const summary = { SummaryMap: { Users: rows.length, Groups: 0, Roles: 0 } };
          const outcome = await holdsInvariant(
            {
              ...others,
              'get-account-authorization-details.json': JSON.stringify(gaad),
              'get-account-summary.json': JSON.stringify(summary),
              'get-credential-report.csv': csv,
            },
            longLived,
          );
          reached.add(outcome);
        },
      ),
      { numRuns: RUNS },
    );
    // The generator is only worth its runs if valid reports get through and bad ones are refused.
    expect([...reached].sort()).toEqual([0, 2]);
  });
});

describe('CloudTrail parsing never drops a record in silence (fuzz, issue 15 point 6)', () => {
  const event = fc.record({
    eventVersion: fc.constant('1.08'),
    eventTime: fc.constantFrom('2025-03-06T10:00:00Z', 'not a time'),
    eventSource: fc.constantFrom('s3.amazonaws.com', 'iam.amazonaws.com'),
    eventName: fc.constantFrom('GetObject', 'CreateUser'),
    userIdentity: fc.oneof(
      fc.record({ type: fc.constant('IAMUser'), arn: fc.constant(`arn:aws:iam::${ACCOUNT}:user/u`) }),
      junk,
    ),
  });
  const record = fc.oneof({ weight: 3, arbitrary: event }, { weight: 1, arbitrary: junk });

  it('Given logs in every shape CloudTrail comes in, with junk records, When parsed, Then each record is an event or a bad record, or the file is unreadable', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 6 }),
        fc.constantFrom('records', 'array', 'lines'),
        fc.nat(),
        fc.boolean(),
        (records, shape, cut, truncate) => {
          // One event per line means one object per line: other junk is wrapped, still not an event.
          const lines = records.map((r) =>
            JSON.stringify(r !== null && typeof r === 'object' && !Array.isArray(r) ? r : { junk: r }),
          );
          const full =
            shape === 'records'
              ? JSON.stringify({ Records: records })
              : shape === 'array'
                ? JSON.stringify(records)
                : lines.join('\n');
          const text = truncate ? full.slice(0, cut % (full.length + 1)) : full;
          let parsed: ReturnType<typeof parseLogText>;
          try {
            parsed = parseLogText(text);
          } catch (error) {
            // An unreadable file is reported as such (a CloudTrail gap in the scan), never a crash.
            expect(error instanceof MalformedLogError || error instanceof InputTextError).toBe(true);
            return;
          }
          if (!truncate && shape !== 'lines') expect(parsed.events.length + parsed.badRecords).toBe(records.length);
          if (!truncate && shape === 'lines') expect(parsed.events.length + parsed.badRecords).toBe(lines.length);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});
