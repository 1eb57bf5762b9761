/**
 * Every privilege-escalation method roleshift knows, listed explicitly (no directory walking,
 * no import side effects). Each lives in its own file under `methods/`; add a method by adding
 * its file and one line here.
 */
import type { EscalationMethod } from './method.js';
import { method as addUserToGroup } from './methods/add-user-to-group.js';
import { method as apprunnerCreateService } from './methods/apprunner-create-service.js';
import { method as attachGroupPolicy } from './methods/attach-group-policy.js';
import { method as attachRolePolicy } from './methods/attach-role-policy.js';
import { method as attachUserPolicy } from './methods/attach-user-policy.js';
import { method as autoscalingCreateGroup } from './methods/autoscaling-create-group.js';
import { method as cloudformationChangeSet } from './methods/cloudformation-change-set.js';
import { method as cloudformationCreateStack } from './methods/cloudformation-create-stack.js';
import { method as cloudformationExecuteChangeSet } from './methods/cloudformation-execute-change-set.js';
import { method as cloudformationStackSet } from './methods/cloudformation-stack-set.js';
import { method as cloudformationUpdateStack } from './methods/cloudformation-update-stack.js';
import { method as codebuildCreateProject } from './methods/codebuild-create-project.js';
import { method as codebuildStartBuild } from './methods/codebuild-start-build.js';
import { method as createAccessKey } from './methods/create-access-key.js';
import { method as createLoginProfile } from './methods/create-login-profile.js';
import { method as createPolicyVersion } from './methods/create-policy-version.js';
import { method as createRoleWithAdmin } from './methods/create-role-with-admin.js';
import { method as createUserWithAdmin } from './methods/create-user-with-admin.js';
import { method as datapipelineCreatePipeline } from './methods/datapipeline-create-pipeline.js';
import { method as deleteRolePermissionsBoundary } from './methods/delete-role-permissions-boundary.js';
import { method as deleteUserPermissionsBoundary } from './methods/delete-user-permissions-boundary.js';
import { method as ec2InstanceConnect } from './methods/ec2-instance-connect.js';
import { method as ec2ModifyUserData } from './methods/ec2-modify-user-data.js';
import { method as ec2RequestSpotInstances } from './methods/ec2-request-spot-instances.js';
import { method as ec2RunInstances } from './methods/ec2-run-instances.js';
import { method as ecsExecuteCommand } from './methods/ecs-execute-command.js';
import { method as ecsRunTask } from './methods/ecs-run-task.js';
import { method as glueCreateDevEndpoint } from './methods/glue-create-dev-endpoint.js';
import { method as glueCreateJob } from './methods/glue-create-job.js';
import { method as glueUpdateDevEndpoint } from './methods/glue-update-dev-endpoint.js';
import { method as glueUpdateJob } from './methods/glue-update-job.js';
import { method as lambdaCreateFunction } from './methods/lambda-create-function.js';
import { method as lambdaUpdateFunctionCode } from './methods/lambda-update-function-code.js';
import { method as putGroupPolicy } from './methods/put-group-policy.js';
import { method as putRolePolicy } from './methods/put-role-policy.js';
import { method as putUserPolicy } from './methods/put-user-policy.js';
import { method as sagemakerCreateNotebookInstance } from './methods/sagemaker-create-notebook-instance.js';
import { method as sagemakerCreateProcessingJob } from './methods/sagemaker-create-processing-job.js';
import { method as sagemakerCreateTrainingJob } from './methods/sagemaker-create-training-job.js';
import { method as sagemakerPresignedNotebookUrl } from './methods/sagemaker-presigned-notebook-url.js';
import { method as setDefaultPolicyVersion } from './methods/set-default-policy-version.js';
import { method as ssmSendCommand } from './methods/ssm-send-command.js';
import { method as ssmStartSession } from './methods/ssm-start-session.js';
import { method as stsAssumeRole } from './methods/sts-assume-role.js';
import { method as updateAssumeRolePolicy } from './methods/update-assume-role-policy.js';
import { method as updateLoginProfile } from './methods/update-login-profile.js';

export const ESCALATION_METHODS: readonly EscalationMethod[] = [
  addUserToGroup,
  apprunnerCreateService,
  attachGroupPolicy,
  attachRolePolicy,
  attachUserPolicy,
  autoscalingCreateGroup,
  cloudformationChangeSet,
  cloudformationCreateStack,
  cloudformationExecuteChangeSet,
  cloudformationStackSet,
  cloudformationUpdateStack,
  codebuildCreateProject,
  codebuildStartBuild,
  createAccessKey,
  createLoginProfile,
  createPolicyVersion,
  createRoleWithAdmin,
  createUserWithAdmin,
  datapipelineCreatePipeline,
  deleteRolePermissionsBoundary,
  deleteUserPermissionsBoundary,
  ec2InstanceConnect,
  ec2ModifyUserData,
  ec2RequestSpotInstances,
  ec2RunInstances,
  ecsExecuteCommand,
  ecsRunTask,
  glueCreateDevEndpoint,
  glueCreateJob,
  glueUpdateDevEndpoint,
  glueUpdateJob,
  lambdaCreateFunction,
  lambdaUpdateFunctionCode,
  putGroupPolicy,
  putRolePolicy,
  putUserPolicy,
  sagemakerCreateNotebookInstance,
  sagemakerCreateProcessingJob,
  sagemakerCreateTrainingJob,
  sagemakerPresignedNotebookUrl,
  setDefaultPolicyVersion,
  ssmSendCommand,
  ssmStartSession,
  stsAssumeRole,
  updateAssumeRolePolicy,
  updateLoginProfile,
];
