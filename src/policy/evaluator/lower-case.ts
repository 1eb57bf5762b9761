const lowerCased = new Map<string, string>();

/**
 * A name in lower case, kept per name: the analysis asks about the same few hundred mixed-case
 * action names (`iam:PassRole`) and context keys millions of times, and each `toLowerCase` was a
 * new string. Names come from policies (tag names among them): a cap keeps a long-lived process
 * bounded.
 */
export function lowerCaseOnce(name: string): string {
  let lower = lowerCased.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowerCased.size > 100_000) lowerCased.clear();
    lowerCased.set(name, lower);
  }
  return lower;
}
