/**
 * Equal values that repeat user after user (a plan's risk reasons and prerequisites), kept once per
 * run: the copy made for each later user is garbage at once, while it is still young, instead of
 * surviving with every other user's until the report or the plan is written (at 100,000 users the
 * collector's time follows what survives). Shared values are never changed afterwards, so sharing
 * one object between users cannot leak one user's data to another. Each value's key is hashed: for
 * values that are mostly unique (plan steps) that costs more than the sharing saves.
 */
export class SharedValues<T> {
  private readonly byKey = new Map<string, T[]>();

  constructor(
    private readonly keyOf: (value: T) => string,
    private readonly same: (a: T, b: T) => boolean,
  ) {}

  /** The first value equal to this one, or this one, now the first. */
  share(value: T): T {
    const key = this.keyOf(value);
    const known = this.byKey.get(key);
    if (known === undefined) {
      this.byKey.set(key, [value]);
      return value;
    }
    for (const candidate of known) if (this.same(candidate, value)) return candidate;
    known.push(value);
    return value;
  }

  /** Each item of the list replaced, in place, by its shared equal. */
  shareEach(values: T[]): void {
    for (let i = 0; i < values.length; i += 1) values[i] = this.share(values[i] as T);
  }
}

/** Texts: equal strings are interchangeable, so the first one is kept. */
export function sharedTexts(): SharedValues<string> {
  return new SharedValues(
    (text) => text,
    () => true,
  );
}
