/**
 * What CloudTrail cannot show on its own: a call that passes a role to a service needs
 * `iam:PassRole` on that role, and writing or reading an object under SSE-KMS needs the key, yet
 * neither permission is logged as an event of its own. The request (or response) names the role
 * or the key, so ingestion keeps those values and least privilege grants the implied actions on
 * exactly them. One entry per call, each with the AWS documentation that says what it needs.
 */

/** What the logged value names. */
export type ReferenceKind = 'role' | 'instance-profile' | 'kms-key';

export interface ImpliedActionEntry {
  /** The logged call, as IAM names its action (`ACTION_OVERRIDES` mapping applied). */
  call: string;
  /** Where the event holds the value: `requestParameters.roleARN`, `responseElements.x-amz-...`. */
  parameters: readonly string[];
  names: ReferenceKind;
  /** What the call needs on that resource besides its own action. */
  implies: readonly string[];
  /** For a role: the service it is passed to, the value of `iam:PassedToService`. */
  passedTo?: string;
  /**
   * The condition key under which the call's own action sees the value (`cloudformation:RoleArn`),
   * so a policy can allow the call only with the roles it was seen passing.
   */
  conditionKey?: string;
  documentation: string;
}

const CFN_ROLE_KEY = 'cloudformation:RoleArn';
const CFN_SERVICE_ROLE = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html';
const LAMBDA_ROLE = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html';
const CODEBUILD_ROLE = 'https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html';
const GLUE_PASS_ROLE = 'https://docs.aws.amazon.com/glue/latest/dg/attach-policy-iam-user.html';
const SAGEMAKER_ROLES = 'https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html';
const STATES_ROLE = 'https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html';
const S3_SSE_KMS = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html';
const SSE_KMS_KEY = 'x-amz-server-side-encryption-aws-kms-key-id';

function passRole(
  call: string,
  parameters: readonly string[],
  passedTo: string,
  documentation: string,
  conditionKey?: string,
): ImpliedActionEntry {
  return {
    call,
    parameters,
    names: 'role',
    implies: ['iam:PassRole'],
    passedTo,
    documentation,
    ...(conditionKey ? { conditionKey } : {}),
  };
}

export const IMPLIED_ACTIONS: readonly ImpliedActionEntry[] = [
  passRole(
    'cloudformation:CreateStack',
    ['requestParameters.roleARN'],
    'cloudformation.amazonaws.com',
    CFN_SERVICE_ROLE,
    CFN_ROLE_KEY,
  ),
  passRole(
    'cloudformation:UpdateStack',
    ['requestParameters.roleARN'],
    'cloudformation.amazonaws.com',
    CFN_SERVICE_ROLE,
    CFN_ROLE_KEY,
  ),
  passRole(
    'cloudformation:CreateChangeSet',
    ['requestParameters.roleARN'],
    'cloudformation.amazonaws.com',
    CFN_SERVICE_ROLE,
    CFN_ROLE_KEY,
  ),
  passRole(
    'cloudformation:CreateStackSet',
    ['requestParameters.administrationRoleARN'],
    'cloudformation.amazonaws.com',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs-self-managed.html',
  ),
  {
    call: 'ec2:RunInstances',
    parameters: ['requestParameters.iamInstanceProfile.arn', 'requestParameters.iamInstanceProfile.name'],
    names: 'instance-profile',
    implies: ['iam:PassRole'],
    passedTo: 'ec2.amazonaws.com',
    documentation:
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html#permission-to-pass-iam-roles',
  },
  passRole('lambda:CreateFunction', ['requestParameters.role'], 'lambda.amazonaws.com', LAMBDA_ROLE),
  passRole('lambda:UpdateFunctionConfiguration', ['requestParameters.role'], 'lambda.amazonaws.com', LAMBDA_ROLE),
  passRole(
    'ecs:RegisterTaskDefinition',
    ['requestParameters.taskRoleArn', 'requestParameters.executionRoleArn'],
    'ecs-tasks.amazonaws.com',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html',
  ),
  passRole(
    'ecs:RunTask',
    ['requestParameters.overrides.taskRoleArn', 'requestParameters.overrides.executionRoleArn'],
    'ecs-tasks.amazonaws.com',
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskOverride.html',
  ),
  passRole('codebuild:CreateProject', ['requestParameters.serviceRole'], 'codebuild.amazonaws.com', CODEBUILD_ROLE),
  passRole('codebuild:UpdateProject', ['requestParameters.serviceRole'], 'codebuild.amazonaws.com', CODEBUILD_ROLE),
  passRole('glue:CreateJob', ['requestParameters.role'], 'glue.amazonaws.com', GLUE_PASS_ROLE),
  passRole('glue:UpdateJob', ['requestParameters.jobUpdate.role'], 'glue.amazonaws.com', GLUE_PASS_ROLE),
  passRole('glue:CreateCrawler', ['requestParameters.role'], 'glue.amazonaws.com', GLUE_PASS_ROLE),
  passRole('glue:UpdateCrawler', ['requestParameters.role'], 'glue.amazonaws.com', GLUE_PASS_ROLE),
  passRole('glue:CreateDevEndpoint', ['requestParameters.roleArn'], 'glue.amazonaws.com', GLUE_PASS_ROLE),
  passRole('sagemaker:CreateTrainingJob', ['requestParameters.roleArn'], 'sagemaker.amazonaws.com', SAGEMAKER_ROLES),
  passRole('sagemaker:CreateProcessingJob', ['requestParameters.roleArn'], 'sagemaker.amazonaws.com', SAGEMAKER_ROLES),
  passRole(
    'sagemaker:CreateNotebookInstance',
    ['requestParameters.roleArn'],
    'sagemaker.amazonaws.com',
    SAGEMAKER_ROLES,
  ),
  passRole('sagemaker:CreateModel', ['requestParameters.executionRoleArn'], 'sagemaker.amazonaws.com', SAGEMAKER_ROLES),
  passRole('states:CreateStateMachine', ['requestParameters.roleArn'], 'states.amazonaws.com', STATES_ROLE),
  passRole('states:UpdateStateMachine', ['requestParameters.roleArn'], 'states.amazonaws.com', STATES_ROLE),
  {
    // Multipart uploads decrypt the data key of the parts they complete, so both are needed.
    call: 's3:PutObject',
    parameters: [`requestParameters.${SSE_KMS_KEY}`, `responseElements.${SSE_KMS_KEY}`],
    names: 'kms-key',
    implies: ['kms:GenerateDataKey', 'kms:Decrypt'],
    documentation: S3_SSE_KMS,
  },
  {
    call: 's3:GetObject',
    parameters: [`responseElements.${SSE_KMS_KEY}`],
    names: 'kms-key',
    implies: ['kms:Decrypt'],
    documentation: S3_SSE_KMS,
  },
];

/** One value to keep: in events of `eventSource`, the scalar at `path` under `element`. */
export interface ReferenceParameter {
  eventSource: string;
  /** `requestParameters.roleARN`, as stored and as the table names it. */
  parameter: string;
  element: 'requestParameters' | 'responseElements';
  /** The keys below the element, e.g. `['iamInstanceProfile', 'arn']`. */
  path: readonly string[];
}

function eventSourceOf(call: string): string {
  return `${call.slice(0, call.indexOf(':'))}.amazonaws.com`;
}

/**
 * The values ingestion keeps, once per event source and parameter. They are kept from every
 * event of the source (the event name is not looked at when storing), so a call added to the
 * table later needs no new column.
 */
export const REFERENCE_PARAMETERS: readonly ReferenceParameter[] = (() => {
  const seen = new Map<string, ReferenceParameter>();
  for (const entry of IMPLIED_ACTIONS) {
    for (const parameter of entry.parameters) {
      const eventSource = eventSourceOf(entry.call);
      const [element, ...path] = parameter.split('.');
      if (element !== 'requestParameters' && element !== 'responseElements')
        throw new Error(
          `implied action ${entry.call}: ${parameter} is not under requestParameters or responseElements`,
        );
      seen.set(`${eventSource}|${parameter}`, { eventSource, parameter, element, path });
    }
  }
  return [...seen.values()].sort((a, b) =>
    `${a.eventSource}|${a.parameter}` < `${b.eventSource}|${b.parameter}` ? -1 : 1,
  );
})();

/** The event sources whose events carry a kept value: the only ones whose values can be unknown. */
export const REFERENCE_SOURCES: readonly string[] = [
  ...new Set(REFERENCE_PARAMETERS.map((parameter) => parameter.eventSource)),
].sort();

/** How a kept value is stored: `requestParameters.roleARN=arn:aws:iam::...`. */
export function referenceText(parameter: string, value: string): string {
  return `${parameter}=${value}`;
}

/** The parameter and the value of a stored reference. */
export function parseReference(text: string): { parameter: string; value: string } | null {
  const split = text.indexOf('=');
  if (split <= 0) return null;
  return { parameter: text.slice(0, split), value: text.slice(split + 1) };
}

/** The table's entry for a call, when the call implies something. */
export function impliedActionsOf(call: string): ImpliedActionEntry | undefined {
  return IMPLIED_ACTIONS.find((entry) => entry.call === call);
}
