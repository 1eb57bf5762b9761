import { describe, expect, it } from 'vitest';
import { proofEstatePlan } from '../../test/generate/proof-estate.js';
import { renderPlanMarkdown, renderPlanTable } from './render.js';

const plan = proofEstatePlan();

describe('the plan as people read it', () => {
  it('Given replacements that pass and fail their proofs, When shown as a table, Then each row says proven or failed and the failures are blockers', () => {
    const table = renderPlanTable(plan);
    const row = (user: string) => table.split('\n').find((line) => line.includes(`/${user} `)) ?? '';
    expect(row('deployer')).toMatch(/ci-cd\s+oidc-federation\s+proven\s/);
    expect(row('dana')).toMatch(/identity-center\s+failed\s/);
    expect(table).toContain(
      '123456789012/dana: Proof failed: an observed call would be denied: s3:GetObject on arn:aws:s3:::home/dana/notes.txt: denied to the replacement (no-allow).',
    );
  });

  it('Given the same plan, When written as Markdown, Then each user shows the three checks, their failures and what was granted beyond the calls', () => {
    const markdown = renderPlanMarkdown(plan);
    expect(markdown).toContain('| medium | 123456789012/deployer | ci-cd | oidc-federation | proven | 0 |');
    const deployer = markdown.slice(markdown.indexOf('### 123456789012/deployer'));
    expect(deployer).toContain('**Proof: proven**');
    expect(deployer).toContain('- (a) observed calls and what they imply are allowed: passed (');
    expect(deployer).toContain(
      '  - iam:PassRole on arn:aws:iam::123456789012:role/cfn-exec: implied by cloudformation:CreateChangeSet to cloudformation.amazonaws.com (CloudTrail logs no event for it)',
    );
    const reader = markdown.slice(markdown.indexOf('### 123456789012/reader'));
    expect(reader).toContain('**Proof: failed**');
    expect(reader).toContain(
      '  - failed: s3:GetObject on every resource: the replacement allows it, the user is denied it today',
    );
  });
});
