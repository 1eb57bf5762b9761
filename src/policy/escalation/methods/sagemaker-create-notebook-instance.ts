import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'sagemaker-create-notebook-instance',
  title: 'Pass a role to a new SageMaker notebook and open it',
  sources: [
    'Rhino Security Labs (part 2) SageMaker notebook',
    'iam-vulnerable privesc-sageMakerCreateNotebookPassRole',
    'pathfinding.cloud sagemaker-001',
  ],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'sagemaker.amazonaws.com', passRole: true } },
  requires: [
    { anyOf: ['sagemaker:CreateNotebookInstance'], on: 'any' },
    {
      anyOf: ['sagemaker:CreatePresignedNotebookInstanceUrl', 'sagemaker:CreateNotebookInstanceLifecycleConfig'],
      on: 'any',
    },
  ],
  gains: 'acts-as',
};
