import { describe, expect, it } from 'vitest';
import { packJson, unpackJson } from './packed-json.js';

describe('packJson', () => {
  it('Given JSON in pieces, When packed and unpacked, Then the same text comes back and the packed text is smaller', async () => {
    const pieces = [
      '{"users":[',
      ...Array.from({ length: 200 }, (_, i) => `${i ? ',' : ''}{"name":"user-${i}"}`),
      ']}',
    ];
    const packed = await packJson(pieces);
    expect(unpackJson(packed)).toBe(pieces.join(''));
    expect(packed.length).toBeLessThan(pieces.join('').length / 4);
  });

  it('Given plain JSON written by an earlier version, When unpacked, Then it is returned as it is', () => {
    expect(unpackJson('{"schemaVersion":1}')).toBe('{"schemaVersion":1}');
  });
});
