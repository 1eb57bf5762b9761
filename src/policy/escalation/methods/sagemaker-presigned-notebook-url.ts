import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'sagemaker-presigned-notebook-url',
  title: 'Open an existing SageMaker notebook, which runs with its role',
  sources: [
    'Rhino Security Labs (part 2) SageMaker presigned URL',
    'iam-vulnerable privesc-sageMakerCreatePresignedNotebookURL',
    'pathfinding.cloud sagemaker-004',
  ],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'sagemaker.amazonaws.com', passRole: false } },
  requires: [{ anyOf: ['sagemaker:CreatePresignedNotebookInstanceUrl'], on: 'any' }],
  gains: 'acts-as',
  assumes: 'a notebook instance runs with the role',
};
