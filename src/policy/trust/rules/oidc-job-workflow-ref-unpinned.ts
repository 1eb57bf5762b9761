import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'oidc-job-workflow-ref-unpinned',
  title: 'Reusable-workflow pin is mutable or incomplete',
  severity: 'low',
  rationale:
    'A reusable-workflow pin on a branch or tag follows whoever moves that ref; without a repository pin any caller qualifies.',
  remediation:
    'Pin job_workflow_ref to a commit SHA and combine it with the repository or owner it may be called from.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html'],
  },
});
