/**
 * `plan` and `generate`: the migration plan of the one pipeline, for every user or the ones named,
 * and the code rendered from it with the guardrails.
 */
import { UserInputError } from '../errors.js';
import { generateFiles } from '../generate/generate.js';
import type { GeneratedFile, GenerateFormat } from '../generate/types.js';
import { planGuardrails } from '../plan/guardrails.js';
import { selectUsers } from '../plan/plan.js';
import type { MigrationPlan } from '../plan/types.js';
import { assessEstate, type Assessment } from './assess.js';
import { loadEstate, type EstateRequest, type LoadedEstate, type RunContext } from './estate.js';

export interface PlanRequest extends EstateRequest {
  /** Users to plan, as ACCOUNT_ID/USER_NAME, ARN or name; every user when empty. */
  users: readonly string[];
}

/** What a person needs to know about how the plan was made. */
function explain(loaded: LoadedEstate, assessment: Assessment, context: RunContext): void {
  if (!assessment.leastPrivilege)
    context.notes.log(
      'no CloudTrail usage in this scan: replacements mirror current policies (scan with --cloudtrail to narrow them)',
    );
  const vendors = assessment.plan.users.some((user) => user.strategy === 'external-id-role');
  if (loaded.seedSource === 'one-off' && vendors)
    context.notes.log(
      `no store to keep an ExternalId seed in: these ExternalIds derive from seed ${loaded.estate.externalIdSeed}; pass --seed ${loaded.estate.externalIdSeed} to regenerate the same ones`,
    );
}

export async function planEstate(request: PlanRequest, context: RunContext): Promise<MigrationPlan> {
  const loaded = await loadEstate(request, context);
  const assessment = await assessEstate(loaded.estate);
  const selected = selectUsers(assessment.plan, [...request.users]);
  if (selected.unknown.length > 0) {
    throw new UserInputError(
      `no IAM user ${selected.unknown.join(', ')} in the estate: name users as ACCOUNT_ID/USER_NAME or by ARN`,
    );
  }
  explain(loaded, assessment, context);
  return selected.plan;
}

export async function generateEstate(
  request: PlanRequest & { format: GenerateFormat },
  context: RunContext,
): Promise<{ plan: MigrationPlan; files: GeneratedFile[] }> {
  const plan = await planEstate(request, context);
  return { plan, files: generateFiles(plan, planGuardrails(plan, { config: request.config }), request.format) };
}
