import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputFileError, UserInputError } from '../errors.js';
import { resolveConfig } from './config-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roleshift-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function configFile(text: string): string {
  const file = join(dir, 'roleshift.config.yaml');
  writeFileSync(file, text);
  return file;
}

describe('resolveConfig', () => {
  it('given nothing, when resolved, then the typed defaults apply (45 / 90 days, 4 hours, 30 watch days)', () => {
    const config = resolveConfig({ config: undefined }, {});
    expect(config.thresholds).toEqual({
      unusedCredentialDays: 45,
      keyRotationDays: 90,
      credentialReportMaxAgeHours: 4,
      rootRecentUseDays: 90,
    });
    expect(config.remediation.watchDays).toBe(30);
  });

  it('given a file, the environment and flags, when resolved, then each layer overrides the one before it', () => {
    const file = configFile(
      'thresholds:\n  unusedCredentialDays: 60\n  keyRotationDays: 120\nremediation:\n  watchDays: 14\n',
    );
    const env = { ROLESHIFT_KEY_ROTATION_DAYS: '180', ROLESHIFT_WATCH_DAYS: '21' };
    const config = resolveConfig({ config: file, watchDays: 7 }, env);
    expect(config.thresholds.unusedCredentialDays).toBe(60);
    expect(config.thresholds.keyRotationDays).toBe(180);
    expect(config.remediation.watchDays).toBe(7);
  });

  it('given ROLESHIFT_CONFIG, when no --config is given, then that file is read', () => {
    const file = configFile('thresholds:\n  unusedCredentialDays: 30\n');
    expect(resolveConfig({}, { ROLESHIFT_CONFIG: file }).thresholds.unusedCredentialDays).toBe(30);
  });

  it('given a misspelt setting, when resolved, then the error names the file, the line and the setting', () => {
    const file = configFile('# team settings\nthresholds:\n  keyRotationDays: 90\n  unusedCredentailDays: 30\n');
    expect(() => resolveConfig({ config: file }, {})).toThrow(InputFileError);
    expect(() => resolveConfig({ config: file }, {})).toThrow(
      /roleshift\.config\.yaml: line 4: thresholds: unknown setting unusedCredentailDays$/,
    );
  });

  it('given a setting of the wrong type, when resolved, then the error gives the line of that setting', () => {
    const file = configFile('thresholds:\n  keyRotationDays: 90\nremediation:\n  watchDays: soon\n');
    expect(() => resolveConfig({ config: file }, {})).toThrow(/line 4: remediation\.watchDays: /);
  });

  it('given an unknown top-level section, when resolved, then the error gives its line', () => {
    const file = configFile('thresholds:\n  keyRotationDays: 90\nthreshold:\n  keyRotationDays: 90\n');
    expect(() => resolveConfig({ config: file }, {})).toThrow(/line 3: unknown setting threshold$/);
  });

  it('given a bad environment value, when resolved, then it is a one-line input error naming the variable', () => {
    expect(() => resolveConfig({}, { ROLESHIFT_UNUSED_CREDENTIAL_DAYS: 'soon' })).toThrow(UserInputError);
    expect(() => resolveConfig({}, { ROLESHIFT_UNUSED_CREDENTIAL_DAYS: 'soon' })).toThrow(
      /ROLESHIFT_UNUSED_CREDENTIAL_DAYS=soon/,
    );
  });

  it('given broken YAML, when resolved, then the error gives the line', () => {
    const file = configFile('thresholds:\n  unusedCredentialDays: [30\n');
    expect(() => resolveConfig({ config: file }, {})).toThrow(/line \d+: not valid YAML/);
  });
});
