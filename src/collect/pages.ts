/**
 * Every item of an SDK paginator (`paginateListAccounts(...)` and the like): the SDK follows the
 * tokens, `pick` takes the items of one page.
 */
export async function allItems<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...(pick(page) ?? []));
  return items;
}

/**
 * Every page of a token-paged call that has no SDK paginator (the narrow Roles Anywhere client):
 * it pages with a `NextToken`-style token and stops when it is absent.
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
