import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'codebuild-start-build',
  title: 'Start a build of an existing CodeBuild project with an overridden buildspec',
  sources: ['pathfinding.cloud codebuild-002'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'codebuild.amazonaws.com', passRole: false } },
  requires: [{ anyOf: ['codebuild:StartBuild', 'codebuild:StartBuildBatch'], on: 'any' }],
  gains: 'acts-as',
  assumes: 'a CodeBuild project runs with the role',
};
