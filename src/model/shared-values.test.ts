import { describe, expect, it } from 'vitest';
import { SharedValues, sharedTexts } from './shared-values.js';

interface Item {
  key: string;
  weight: number;
}

const items = () =>
  new SharedValues<Item>(
    (item) => item.key,
    (a, b) => a.weight === b.weight,
  );

describe('SharedValues', () => {
  it('Given an equal value seen before, When shared, Then the first one is returned', () => {
    const pool = items();
    const first = { key: 'tag', weight: 1 };
    pool.share(first);
    expect(pool.share({ key: 'tag', weight: 1 })).toBe(first);
  });

  it('Given values with the same key that differ, When shared, Then each stays itself and is kept apart', () => {
    const pool = items();
    const light = pool.share({ key: 'tag', weight: 1 });
    const heavy = { key: 'tag', weight: 2 };
    expect(pool.share(heavy)).toBe(heavy);
    expect(pool.share({ key: 'tag', weight: 2 })).toBe(heavy);
    expect(pool.share({ key: 'tag', weight: 1 })).toBe(light);
  });

  it('Given a list, When each item is shared, Then the list holds the first equals in its own order, equal to before', () => {
    const pool = items();
    const first = pool.share({ key: 'a', weight: 1 });
    const list = [
      { key: 'b', weight: 1 },
      { key: 'a', weight: 1 },
    ];
    const before = structuredClone(list);
    pool.shareEach(list);
    expect(list[1]).toBe(first);
    expect(list).toEqual(before);
  });

  it('Given texts, When shared, Then equal texts give the first', () => {
    const texts = sharedTexts();
    const list = ['x', 'y', 'x'];
    texts.shareEach(list);
    expect(list).toEqual(['x', 'y', 'x']);
    expect(texts.share('y')).toBe('y');
  });
});
