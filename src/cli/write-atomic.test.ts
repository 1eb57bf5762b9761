import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './write-atomic.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roleshift-write-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('Given an existing file, When replaced, Then it holds the new content and no temp file remains', () => {
    const path = join(dir, 'out', 'snapshot.json');
    writeFileAtomic(path, 'old');
    writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(join(dir, 'out'))).toEqual(['snapshot.json']);
  });

  it('Given the target is a folder, When written, Then it throws and leaves the folder and no temp file', () => {
    const path = join(dir, 'taken');
    mkdirSync(path);
    writeFileSync(join(path, 'keep'), 'x');
    expect(() => writeFileAtomic(path, 'content')).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readdirSync(path)).toEqual(['keep']);
  });

  it('Given content in pieces, When written, Then the file holds them in order, and a piece that fails leaves the old file and no temp file', () => {
    const path = join(dir, 'snapshot.json');
    writeFileAtomic(path, ['{', '"a": 1', '}']);
    expect(readFileSync(path, 'utf8')).toBe('{"a": 1}');
    function* failing(): Generator<string> {
      yield 'partial';
      throw new Error('serialisation failed');
    }
    expect(() => writeFileAtomic(path, failing())).toThrow('serialisation failed');
    expect(readFileSync(path, 'utf8')).toBe('{"a": 1}');
    expect(readdirSync(dir)).toEqual(['snapshot.json']);
  });
});
