import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'sagemaker-create-training-job',
  title: 'Pass a role to a new SageMaker training job that runs its code',
  sources: ['iam-vulnerable privesc-sageMakerCreateTrainingJobPassRole', 'pathfinding.cloud sagemaker-002'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'sagemaker.amazonaws.com', passRole: true } },
  requires: [{ anyOf: ['sagemaker:CreateTrainingJob'], on: 'any' }],
  gains: 'acts-as',
};
