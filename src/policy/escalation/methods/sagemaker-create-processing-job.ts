import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'sagemaker-create-processing-job',
  title: 'Pass a role to a new SageMaker processing job that runs its code',
  sources: ['iam-vulnerable privesc-sageMakerCreateProcessingJobPassRole', 'pathfinding.cloud sagemaker-003'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'sagemaker.amazonaws.com', passRole: true } },
  requires: [{ anyOf: ['sagemaker:CreateProcessingJob'], on: 'any' }],
  gains: 'acts-as',
};
