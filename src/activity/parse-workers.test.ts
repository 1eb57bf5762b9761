import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ParseWorkers } from './parse-workers.js';

describe('ParseWorkers', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('Given a request in flight, When the workers are closed, Then the busy worker is stopped too and the request fails instead of waiting forever', async () => {
    const work = mkdtempSync(join(tmpdir(), 'roleshift-workers-'));
    folders.push(work);
    const workers = new ParseWorkers(1);
    const reading = workers.read([join(work, 'absent.json.gz')], 0, join(work, 'chunk.jsonl'));
    await workers.close();
    await expect(reading).rejects.toThrow(/stopped with files still being read/);
  });

  it('Given an idle pool, When a file that cannot be read is sent, Then the answer names it as a problem of that file', async () => {
    const work = mkdtempSync(join(tmpdir(), 'roleshift-workers-'));
    folders.push(work);
    const workers = new ParseWorkers(1);
    try {
      const chunk = await workers.read([join(work, 'absent.json.gz')], 0, join(work, 'chunk.jsonl'));
      expect(chunk.outcomes).toHaveLength(1);
      expect(chunk.outcomes[0]).toMatchObject({ key: join(work, 'absent.json.gz') });
      expect(JSON.stringify(chunk.outcomes[0])).toMatch(/problem/);
    } finally {
      await workers.close();
    }
  });
});
