import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STRATEGY_REGISTRY } from './registry.js';

/** The strategy files: every file here but the shared context and the registry itself. */
function strategyFiles(): string[] {
  return readdirSync(new URL('./', import.meta.url))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => file.replace(/\.ts$/, ''))
    .filter((name) => name !== 'context' && name !== 'registry')
    .sort();
}

describe('the strategy registry', () => {
  it('Given the strategy files, When compared with the registry, Then each is registered once under its file name', () => {
    expect(STRATEGY_REGISTRY.map((definition) => definition.id).sort()).toEqual(strategyFiles());
  });

  it('Given every class a user can have, When the registry is asked, Then some strategy serves it', () => {
    const served = new Set(STRATEGY_REGISTRY.flatMap((definition) => definition.classes));
    for (const userClass of ['human', 'ci-cd', 'workload', 'third-party', 'break-glass', 'unknown'] as const)
      expect(served).toContain(userClass);
  });

  it.each(STRATEGY_REGISTRY.map((definition) => [definition.id, definition] as const))(
    'Given %s, Then its metadata is complete',
    (_id, definition) => {
      expect(definition.title.length).toBeGreaterThan(10);
      expect(definition.baseRisk).toBeGreaterThanOrEqual(0);
    },
  );
});
