import { describe, expect, it } from 'vitest';
import { formatDuration, progressLine } from './progress.js';

describe('progress line', () => {
  it.each([
    [0, '0s'],
    [59.4, '59s'],
    [185, '3m05s'],
    [3720, '1h02m'],
  ])('given %s seconds, when formatted, then it reads %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('given 5 of 20 accounts done in 10 s with one failure, when drawn, then it shows the bar, the failure and a 30 s ETA', () => {
    expect(progressLine({ done: 5, total: 20, failed: 1, elapsedSeconds: 10, label: 'accounts' }, 8)).toBe(
      '[##......] 5/20 accounts, 1 failed, ETA 30s',
    );
  });

  it('given nothing done yet, when drawn, then no ETA is guessed', () => {
    expect(progressLine({ done: 0, total: 3, failed: 0, elapsedSeconds: 4, label: 'accounts' }, 3)).toBe(
      '[...] 0/3 accounts',
    );
  });
});
