/**
 * Every page of a token-paged list call: Organizations, SSO Admin, Identity Store and Roles
 * Anywhere all page with a `NextToken`-style token and stop when it is absent.
 */
export async function allPages<T>(
  fetchPage: (token: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...page.items);
    token = page.next;
  } while (token);
  return items;
}
