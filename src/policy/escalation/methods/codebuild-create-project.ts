import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'codebuild-create-project',
  title: 'Pass a role to a new CodeBuild project and start a build',
  sources: [
    'iam-vulnerable privesc-codeBuildCreateProjectPassRole',
    'pathfinding.cloud codebuild-001',
    'pathfinding.cloud codebuild-004',
  ],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'codebuild.amazonaws.com', passRole: true } },
  requires: [
    { anyOf: ['codebuild:CreateProject'], on: 'any' },
    { anyOf: ['codebuild:StartBuild', 'codebuild:StartBuildBatch'], on: 'any' },
  ],
  gains: 'acts-as',
};
