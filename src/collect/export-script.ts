import { UserInputError } from '../errors.js';
import { shellQuote } from '../shell-quote.js';
import { ACCOUNT_FILE_KINDS, FILE_KINDS, type FileKind } from './file-kinds.js';
import { NOTHING_ENABLED } from './root-access-features.js';

/**
 * `roleshift export-script`: the AWS CLI commands that write every file a live scan reads, for
 * someone who has access to the account to run and send back. Pure: options in, POSIX shell text
 * out. The file names come from FILE_KINDS, the same table `scan --from` reads them by, so the
 * two cannot drift; the test runs the script with the real AWS CLI against moto and compares the
 * scan of its folder with a live scan.
 *
 * A call that fails leaves no file (never an empty one), so `scan --from` names it as a gap;
 * the script goes on with the other calls and accounts and exits 1 at the end.
 */
export interface ExportScriptOptions {
  /** Every active account of the Organization, through the audit role. */
  org: boolean;
  profile?: string;
  region?: string;
  roleName: string;
  externalId?: string;
  /** Also every user's IAM access advisor report (one job per user), as `scan --access-advisor` reads it. */
  accessAdvisor?: boolean;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

function checkOptions(options: ExportScriptOptions): void {
  if (!ROLE_NAME.test(options.roleName))
    throw new UserInputError(`--role-name ${options.roleName}: not an IAM role name (letters, digits and +=,.@_-)`);
  if (options.externalId !== undefined && !EXTERNAL_ID.test(options.externalId))
    throw new UserInputError('--external-id: not a valid ExternalId (2 to 1224 of letters, digits and +=,.@:/_-)');
}

/** `save FILE aws-arguments...` for one file kind. */
function saveLine(kind: FileKind, args = ''): string {
  const info = FILE_KINDS[kind];
  return `  save "$dir/${info.fileName}" ${info.command}${args}`;
}

const HEADER = `#!/bin/sh
# Written by roleshift export-script. It runs, read-only, every AWS CLI call a live
# \`roleshift scan\` makes and saves each answer as the file \`roleshift scan --from DIR\` reads.
# The calls need the permissions of deploy/audit-role.yaml (README: "Your first real scan").
# A call that fails leaves no file: the scan of the folder then names it as a gap.
#
#   sh roleshift-export.sh [DIR]        (default DIR: roleshift-export)
#   roleshift scan --from DIR
set -u
out="\${1:-roleshift-export}"
export AWS_PAGER=""
status=0`;

/** Saves one answer; a failed call removes its partial output and marks the run as failed. */
const SAVE = `
save() {
  file="$1"
  shift
  if aws "$@" --output json > "$file.part"; then
    mv "$file.part" "$file"
  else
    rm -f "$file.part"
    echo "roleshift export: aws $* failed: $file not written" >&2
    return 1
  fi
}`;

/**
 * An account without a password policy makes AWS answer NoSuchEntity: that is an answer (no
 * policy), saved as \`{"PasswordPolicy": null}\`, not a failed call.
 */
const SAVE_PASSWORD_POLICY = `
save_password_policy() {
  file="$1/${FILE_KINDS['password-policy'].fileName}"
  if aws iam get-account-password-policy --output json > "$file.part" 2> "$file.err"; then
    mv "$file.part" "$file"
  elif grep -q NoSuchEntity "$file.err"; then
    printf '%s\\n' '{"PasswordPolicy": null}' > "$file"
  else
    cat "$file.err" >&2
    echo "roleshift export: aws iam get-account-password-policy failed: $file not written" >&2
    rm -f "$file.part" "$file.err"
    return 1
  fi
  rm -f "$file.part" "$file.err"
}`;

/**
 * The organization's centralised root access, saved in the management account's folder. Trusted
 * access for IAM off (or an organization without all features) is an answer, nothing enabled, as
 * the live scan reads it; any other failure leaves no file, which \`scan --from\` names.
 */
const SAVE_ORGANIZATION_FEATURES = `
save_organization_features() {
  file="$1/${FILE_KINDS['organization-features'].fileName}"
  if aws iam list-organizations-features --output json > "$file.part" 2> "$file.err"; then
    mv "$file.part" "$file"
  elif grep -qE '${NOTHING_ENABLED.join('|')}' "$file.err"; then
    printf '%s\\n' '{"EnabledFeatures": []}' > "$file"
  else
    cat "$file.err" >&2
    echo "roleshift export: aws iam list-organizations-features failed: $file not written" >&2
    rm -f "$file.part" "$file.err"
    return 1
  fi
  rm -f "$file.part" "$file.err"
}`;

/** GenerateCredentialReport starts a report (or reuses one under 4 hours old): wait for COMPLETE. */
const WAIT_FOR_REPORT = `
wait_for_credential_report() {
  tries=0
  while :; do
    state=$(aws iam generate-credential-report --query State --output text) || return 1
    [ "$state" = COMPLETE ] && return 0
    tries=$((tries + 1))
    if [ "$tries" -gt 60 ]; then
      echo "roleshift export: the credential report is still $state after 2 minutes" >&2
      return 1
    fi
    sleep 2
  done
}`;

/**
 * One access advisor job per user, started together and then polled: AWS works on them at once.
 * A job that fails or is still running after about 5 minutes leaves no file, which the scan names.
 */
const EXPORT_ACCESS_ADVISOR = `
export_access_advisor() {
  dir="$1"
  failed=0
  jobs=""
  users=$(aws iam get-account-authorization-details --filter User --query 'UserDetailList[].[UserName,Arn]' --output text) || return 1
  set -f
  set -- $users
  set +f
  while [ "$#" -ge 2 ]; do
    job=$(aws iam generate-service-last-accessed-details --arn "$2" --granularity ACTION_LEVEL --query JobId --output text) || { failed=1; shift 2; continue; }
    jobs="$jobs $1:$job"
    shift 2
  done
  for entry in $jobs; do
    name="\${entry%%:*}"
    job="\${entry#*:}"
    tries=0
    while :; do
      status=$(aws iam get-service-last-accessed-details --job-id "$job" --query JobStatus --output text) || { failed=1; break; }
      if [ "$status" = COMPLETED ]; then
        save "$dir/get-service-last-accessed-details-$name.json" iam get-service-last-accessed-details --job-id "$job" || failed=1
        break
      fi
      tries=$((tries + 1))
      if [ "$status" = FAILED ] || [ "$tries" -gt 150 ]; then
        echo "roleshift export: the access advisor job of $name is $status: not written" >&2
        failed=1
        break
      fi
      sleep 2
    done
  done
  return "$failed"
}`;

function exportAccountFunction(accessAdvisor: boolean): string {
  const lines = ACCOUNT_FILE_KINDS.filter((kind) => kind !== 'credential-report' && kind !== 'oidc-list').map((kind) =>
    kind === 'password-policy' ? '  save_password_policy "$dir" || failed=1' : `${saveLine(kind)} || failed=1`,
  );
  return `
export_account() {
  dir="$1"
  failed=0
  mkdir -p "$dir" || return 1
${lines.join('\n')}
  # A denied generate may still leave a report generated earlier to read.
  wait_for_credential_report || failed=1
${saveLine('credential-report')} || failed=1
${saveLine('oidc-list')} || failed=1
  providers=$(aws iam list-open-id-connect-providers --query 'OpenIDConnectProviderList[].Arn' --output text) || failed=1
  for arn in $providers; do
    [ "$arn" = None ] && continue
    name=$(printf '%s' "\${arn#*:oidc-provider/}" | tr -c 'A-Za-z0-9.-' '_' | tr -s '_')
    save "$dir/get-open-id-connect-provider-$name.json" iam get-open-id-connect-provider --open-id-connect-provider-arn "$arn" || failed=1
  done${accessAdvisor ? '\n  export_access_advisor "$dir" || failed=1' : ''}
  return "$failed"
}`;
}

function settings(options: ExportScriptOptions): string {
  const lines: string[] = [];
  if (options.profile !== undefined) lines.push(`export AWS_PROFILE=${shellQuote(options.profile)}`);
  if (options.region !== undefined)
    lines.push(`export AWS_REGION=${shellQuote(options.region)} AWS_DEFAULT_REGION=${shellQuote(options.region)}`);
  return lines.join('\n');
}

const SINGLE_ACCOUNT = `
account=$(aws sts get-caller-identity --query Account --output text) || exit 1
echo "roleshift export: account $account -> $out/$account" >&2
( export_account "$out/$account" ) || status=1`;

function organizationPart(options: ExportScriptOptions): string {
  const externalId = options.externalId === undefined ? '' : ` --external-id ${shellQuote(options.externalId)}`;
  return `
role=${shellQuote(options.roleName)}
caller=$(aws sts get-caller-identity --query '[Account,Arn]' --output text) || exit 1
management=\${caller%%[[:space:]]*}
partition=$(printf '%s' "\${caller#*arn:}" | cut -d: -f1)
mkdir -p "$out" || exit 1
# The account list lets \`scan --from\` notice an account whose folder is missing.
save "$out/${FILE_KINDS['organization-accounts'].fileName}" organizations list-accounts || exit 1
accounts=$(aws organizations list-accounts --query "Accounts[?Status=='ACTIVE'].Id" --output text) || exit 1
echo "roleshift export: account $management (this one) -> $out/$management" >&2
( export_account "$out/$management" ) || status=1
save_organization_features "$out/$management" || status=1
for account in $accounts; do
  [ "$account" = "$management" ] && continue
  echo "roleshift export: account $account (role $role) -> $out/$account" >&2
  credentials=$(aws sts assume-role --role-arn "arn:$partition:iam::$account:role/$role" \\
    --role-session-name roleshift-export${externalId} \\
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text) || { status=1; continue; }
  (
    set -- $credentials
    unset AWS_PROFILE
    export AWS_ACCESS_KEY_ID="$1" AWS_SECRET_ACCESS_KEY="$2" AWS_SESSION_TOKEN="$3"
    export_account "$out/$account"
  ) || status=1
done`;
}

const FOOTER = `
if [ "$status" -ne 0 ]; then
  echo "roleshift export: some calls failed (above); roleshift scan --from $out names what is missing as gaps" >&2
fi
exit "$status"
`;

/** The whole script, ready to save and run with `sh`. */
export function renderExportScript(options: ExportScriptOptions): string {
  checkOptions(options);
  return [
    HEADER,
    settings(options),
    SAVE,
    SAVE_PASSWORD_POLICY,
    WAIT_FOR_REPORT,
    options.accessAdvisor ? EXPORT_ACCESS_ADVISOR : '',
    options.org ? SAVE_ORGANIZATION_FEATURES : '',
    exportAccountFunction(Boolean(options.accessAdvisor)),
    options.org ? organizationPart(options) : SINGLE_ACCOUNT,
    FOOTER,
  ]
    .filter((part) => part !== '')
    .join('\n');
}
