import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
  TagUserCommand,
  CreateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeWithMoto } from '../harness/moto.js';
import { startGapProxy } from '../remediate/moto-gap-proxy.js';
import { HAVE_CHROMIUM, openWatchedPage } from './browser.js';
import { BUILT_CLI, runCli } from './run-cli.js';

const PAYLOADS = [
  '</script><img src=x onerror=alert(1)>',
  '"><svg onload=alert(2)>',
  'javascript:alert(3)',
  "'-alert(4)-'<!--",
  'line\u2028break\u2029<b>x</b>',
];

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'roleshift-xss-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!HAVE_CHROMIUM)('the HTML report against hostile AWS data', () => {
  describeWithMoto('roleshift scan (live, moto) then roleshift report', (moto) => {
    it('Given tags, a role description and a policy Sid holding script payloads, When scanned and rendered, Then they show as text, no script runs and no request leaves the page', async () => {
      const iam = new IAMClient({ endpoint: moto().endpoint, region: moto().region, credentials: moto().credentials });
      await iam.send(
        new CreateUserCommand({
          UserName: 'mallory',
          Tags: PAYLOADS.map((value, i) => ({ Key: `payload${i}`, Value: value })),
        }),
      );
      await iam.send(new TagUserCommand({ UserName: 'mallory', Tags: [{ Key: 'owner', Value: PAYLOADS[0] ?? '' }] }));
      await iam.send(new CreateAccessKeyCommand({ UserName: 'mallory' }));
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'mallory',
          PolicyName: 'inline',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Sid: 'x</script><img src=x onerror=alert(5)>', Effect: 'Allow', Action: '*', Resource: '*' }],
          }),
        }),
      );
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'open-trust',
          Description: PAYLOADS[0],
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'x</script><svg onload=alert(6)>',
                Effect: 'Allow',
                Principal: { AWS: '*' },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      );

      const scan = await runCli(['scan', '--store', 'rs.duckdb', '-o', 'snapshot.json'], {
        cwd: work,
        env: moto().env(),
      });
      expect(scan.stderr).not.toMatch(/internal error/);
      expect([0, 3]).toContain(scan.status);
      // The payloads did reach the snapshot (tags and the policy Sids), so the page really had to render them.
      const snapshotText = readFileSync(join(work, 'snapshot.json'), 'utf8');
      expect(snapshotText).toContain('onerror=alert(1)');
      expect(snapshotText).toContain('onerror=alert(5)');
      expect(snapshotText).toContain('onload=alert(6)');

      const report = await runCli(['report', '--store', 'rs.duckdb', '-o', 'report.html'], {
        cwd: work,
        env: moto().env(),
      });
      expect(report.stderr).not.toMatch(/internal error/);
      expect(report.status).toBe(0);
      const html = readFileSync(join(work, 'report.html'), 'utf8');
      // The raw payloads never reach the HTML parser: every `<` in the data is \u003c.
      expect(html).not.toContain('<img src=x');
      expect(html).not.toContain('<svg onload');
      expect(html).not.toMatch(/[\u2028\u2029]/);

      const reportUrl = pathToFileURL(join(work, 'report.html')).href;
      const watched = await openWatchedPage((url) => url === reportUrl);
      try {
        const { page } = watched;
        await page.goto(reportUrl);
        await page.locator('#users-search').fill('mallory');
        await expect.poll(() => page.locator('#users-table tbody tr.user-row').count()).toBe(1);
        await page.locator('#users-table button.link', { hasText: 'mallory' }).click();
        const detail = page.locator('#users-table tr.detail-row');
        await detail.waitFor();
        const text = await detail.innerText();
        for (const payload of PAYLOADS.slice(0, 4)) expect(text).toContain(payload);
        const roles = await page.locator('#roles').innerText();
        expect(roles).toContain('open-trust');
        // Nothing the data describes became an element or an event handler.
        expect(await page.locator('img').count()).toBe(0);
        expect(await page.locator('svg[onload], [onerror], [onload], [onclick], a[href^="javascript:"]').count()).toBe(
          0,
        );
        expect(await page.locator('script').count()).toBe(2);
        expect(watched.problems).toEqual([]);
        expect(watched.blocked).toEqual([]);
      } finally {
        await watched.close();
      }
    }, 120_000);

    it('Given a user switched off by remediate, When reported, Then the page shows its stage and the journal entry', async () => {
      const iam = new IAMClient({ endpoint: moto().endpoint, region: moto().region, credentials: moto().credentials });
      await iam.send(
        new CreateUserCommand({
          UserName: 'ci-deploy',
          Tags: [{ Key: 'purpose', Value: 'deploy from GitHub Actions' }],
        }),
      );
      await iam.send(new CreateAccessKeyCommand({ UserName: 'ci-deploy' }));
      await iam.send(new CreateUserCommand({ UserName: 'bob' }));
      await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
      expect([0, 3]).toContain(
        (await runCli(['scan', '--store', 'rs.duckdb'], { cwd: work, env: moto().env() })).status,
      );
      // --force: no replacement role exists in this bare account, and the test is about the report.
      // moto lacks ListServiceSpecificCredentials; the proxy answers it (see moto-gap-proxy.ts).
      const proxy = await startGapProxy(moto().endpoint);
      let start: { status: number | null; stderr: string };
      try {
        start = await new Promise<{ status: number | null; stderr: string }>((resolvePromise, reject) => {
          const child = spawn(
            process.execPath,
            [
              BUILT_CLI,
              'remediate',
              'start',
              '123456789012/ci-deploy',
              '--apply',
              '--yes',
              '--force',
              '--store',
              'rs.duckdb',
            ],
            {
              cwd: work,
              env: moto().env({ AWS_ENDPOINT_URL: proxy.endpoint }),
            },
          );
          let stderr = '';
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
          child.on('error', reject);
          child.on('exit', (status) => resolvePromise({ status, stderr }));
        });
      } finally {
        await proxy.close();
      }
      expect(start.stderr).not.toMatch(/internal error/);
      expect(start.status).toBe(0);
      expect(
        (await runCli(['report', '--store', 'rs.duckdb', '-o', 'report.html'], { cwd: work, env: moto().env() }))
          .status,
      ).toBe(0);

      const reportUrl = pathToFileURL(join(work, 'report.html')).href;
      const watched = await openWatchedPage((url) => url === reportUrl);
      try {
        const { page } = watched;
        await page.goto(reportUrl);
        const stages = await page.locator('#remediation-stages').innerText();
        expect(stages).toMatch(/1\s+switched off/);
        expect(stages).toMatch(/1\s+not started/);
        expect(await page.locator('#operations-table tbody tr').count()).toBe(1);
        expect(await page.locator('#operations-table tbody tr').first().innerText()).toMatch(
          /ci-deploy[\s\S]*start[\s\S]*done/,
        );
        await page.locator('#filter-account').selectOption('123456789012');
        expect(
          await page.locator('#users-table tr.user-row', { hasText: 'ci-deploy' }).locator('td').last().innerText(),
        ).toBe('switched off');
        expect(watched.problems).toEqual([]);
        expect(watched.blocked).toEqual([]);
      } finally {
        await watched.close();
      }
    }, 120_000);
  });
});
