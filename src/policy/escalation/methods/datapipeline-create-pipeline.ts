import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'datapipeline-create-pipeline',
  title: 'Pass a role to a new Data Pipeline that runs commands',
  sources: ['Rhino Security Labs #21', 'iam-vulnerable privesc21', 'pathfinding.cloud datapipeline-001'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'datapipeline.amazonaws.com', passRole: true } },
  requires: [
    { anyOf: ['datapipeline:CreatePipeline'], on: 'any' },
    { anyOf: ['datapipeline:PutPipelineDefinition'], on: 'any' },
    { anyOf: ['datapipeline:ActivatePipeline'], on: 'any' },
  ],
  gains: 'acts-as',
};
