import { describe, expect, it } from 'vitest';
import { whenFromAws } from './instant.js';

describe('whenFromAws', () => {
  it.each([
    ['microseconds rounded down', '2026-11-23T09:40:31.666404Z', '2026-11-23T09:40:31.666Z'],
    ['microseconds rounded up, as the SDK does', '2026-11-23T09:40:31.666904Z', '2026-11-23T09:40:31.667Z'],
    ['rounding into the next second', '2026-11-23T09:40:31.9996+00:00', '2026-11-23T09:40:32Z'],
    ['an offset and a space (cloudsplaining)', '2023-03-09 10:41:45+00:00', '2023-03-09T10:41:45Z'],
    ['a Date', new Date('2026-01-01T00:00:00.250Z'), '2026-01-01T00:00:00.250Z'],
  ])('Given %s, When read, Then it is %s', (_label, value, at) => {
    expect(whenFromAws(value)).toEqual({ state: 'at', at });
  });

  it('Given text that is not a date, When read, Then it throws', () => {
    expect(() => whenFromAws('soon')).toThrow(RangeError);
  });
});
