import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CFN_LINT_AVAILABLE, cfnLint } from '../harness/cfn-lint.js';

const deployDir = fileURLToPath(new URL('../../deploy/', import.meta.url));
const templates = readdirSync(deployDir).filter((name) => name.endsWith('.yaml'));

describe.skipIf(!CFN_LINT_AVAILABLE && process.env.CI !== 'true')('shipped CloudFormation templates', () => {
  it('given the deploy folder, when listed, then the audit role template is there', () => {
    expect(templates).toContain('audit-role.yaml');
  });

  it.each(templates)('given %s, when cfn-lint checks it, then it reports nothing', async (name) => {
    const { status, output } = await cfnLint([`${deployDir}${name}`]);
    expect(output).toBe('');
    expect(status).toBe(0);
  });
});
