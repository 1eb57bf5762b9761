/**
 * User agents normalised into families. The order matters: a GitHub Actions run says
 * `aws-sdk-nodejs/... configure-aws-credentials-for-github-actions`, Terraform says
 * `APN/1.0 HashiCorp/1.0 Terraform/1.5 ... aws-sdk-go-v2/...`, the CLI says `aws-cli/2 ...
 * botocore/...`: the most specific tool wins over the SDK it is built on.
 */
const FAMILIES: ReadonlyArray<readonly [family: string, pattern: RegExp]> = [
  ['configure-aws-credentials', /configure-aws-credentials/i],
  ['vercel', /vercel/i],
  ['terraform', /terraform|hashicorp/i],
  ['pulumi', /pulumi/i],
  ['cloudformation', /^cloudformation\.amazonaws\.com$|aws-cloudformation/i],
  ['cdk', /aws-cdk|\bcdk\//i],
  ['console', /^(signin|console)\.[a-z0-9.-]*amazonaws\.com$|^AWS Internal$|aws-internal\/3 aws-sdk-java|Mozilla\//i],
  ['aws-cli', /aws-cli\//i],
  ['boto3', /boto3\//i],
  ['botocore', /botocore\//i],
  ['aws-sdk-js', /aws-sdk-js|aws-sdk-nodejs|@aws-sdk\//i],
  ['aws-sdk-java', /aws-sdk-java/i],
  ['aws-sdk-go', /aws-sdk-go/i],
  ['aws-sdk-dotnet', /aws-sdk-dotnet/i],
  ['aws-sdk-ruby', /aws-sdk-ruby/i],
  ['aws-sdk-php', /aws-sdk-php/i],
  ['aws-sdk-rust', /aws-sdk-rust/i],
  ['aws-powershell', /AWSPowerShell/i],
  ['aws-service', /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/i],
];

export function userAgentFamily(userAgent: string | null): string {
  if (userAgent === null || userAgent.trim() === '') return 'unknown';
  for (const [family, pattern] of FAMILIES) if (pattern.test(userAgent)) return family;
  return 'other';
}
