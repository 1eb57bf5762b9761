/**
 * The roleshift invocations of an example line: the shell around them (`# comment`, `> file`,
 * `| jq`, `&& sh export.sh`, `terraform show ... &&`) is not roleshift's to parse.
 */
export function invocationsOf(line: string): string[][] {
  const code = line.replace(/\s#\s.*$/, '');
  return code
    .split(/&&|\||;/)
    .map((part) => part.replace(/\s>\s*\S+/g, '').trim())
    .filter((part) => part.startsWith('roleshift '))
    .map((part) => part.split(/\s+/).slice(1));
}
