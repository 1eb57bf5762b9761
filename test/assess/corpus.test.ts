import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/assess/run-checks.js';
import { collectFromFiles } from '../../src/collect/files.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import type { Finding } from '../../src/model/finding.js';
import { buildContext } from './builders.js';

const CORPUS = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));
const NOW = new Date('2026-11-20T00:00:00Z');
const dirs: string[] = [];

/** Assesses field data: the corpus files copied alone into a folder (the corpus keeps derived copies beside them). */
async function assess(files: string[]): Promise<Finding[]> {
  const dir = mkdtempSync(join(tmpdir(), 'roleshift-corpus-'));
  dirs.push(dir);
  for (const file of files) copyFileSync(join(CORPUS, file), join(dir, file.split('/').pop() ?? file));
  const snapshot = await collectFromFiles(dir, { now: () => NOW });
  return runChecks(snapshot, buildContext(snapshot, { now: NOW, config: DEFAULT_CONFIG }));
}

function failing(findings: Finding[], checkId: string): string[] {
  return findings
    .filter((f) => f.checkId === checkId)
    .map((f) => f.resourceName.split('/').pop() ?? '')
    .sort();
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('field data from the corpus', () => {
  it('Given cloudmapper demo account, When assessed, Then the root key, the never-used keys and the two-key user without MFA are found', async () => {
    const findings = await assess([
      'cloudmapper/iam-get-account-authorization-details.json',
      'cloudmapper/iam-get-credential-report.json',
    ]);
    expect(failing(findings, 'root-access-key')).toEqual(['<root>']);
    expect(failing(findings, 'console-password-without-mfa')).toEqual(['user']);
    expect(failing(findings, 'multiple-active-keys')).toEqual(['user']);
    expect(failing(findings, 'access-key-at-initial-setup')).toEqual(['user']);
    // auditor_tmp's key was created and never used: stale under CIS 1.12 (Prowler would pass it).
    expect(failing(findings, 'unused-credentials')).toEqual(['auditor_tmp', 'user']);
    expect(
      findings.find((f) => f.checkId === 'unused-credentials' && f.resourceName.endsWith('/auditor_tmp'))?.message,
    ).toContain('never used');
  });

  it('Given cloudsplaining teaching account, When assessed, Then users who get admin through a group are reported with the path', async () => {
    const findings = await assess(['cloudsplaining/example-authz-details.json']);
    // The group `admin` itself is reported too: fixing it fixes its members.
    expect(failing(findings, 'full-admin-access')).toEqual(['admin', 'obama', 'userwithlotsofpermissions']);
    expect(
      findings.find((f) => f.checkId === 'full-admin-access' && f.resourceName.endsWith('/userwithlotsofpermissions'))
        ?.message,
    ).toContain('of group admin');
    // Without a credential report the credential checks have nothing to read; the gap is said, not hidden.
    expect(failing(findings, 'stale-credential-report')).toEqual(['012345678901']);
  });
});
