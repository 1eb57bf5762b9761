import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputFileError } from '../errors.js';
import {
  CREDENTIAL_REPORT_COLUMNS,
  credentialReportText,
  isCredentialReportCsv,
  parseCredentialReportCsv,
  parseCredentialReportDocument,
  splitCsv,
} from './credential-report.js';

const HEADER = CREDENTIAL_REPORT_COLUMNS.join(',');

type Cells = Partial<Record<(typeof CREDENTIAL_REPORT_COLUMNS)[number], string>>;

/** A report line with every column "empty" the way AWS writes a user with no credentials. */
function line(cells: Cells): string {
  const defaults: Cells = {
    user: 'u',
    arn: 'arn:aws:iam::111111111111:user/u',
    user_creation_time: '2024-01-01T00:00:00+00:00',
    password_enabled: 'false',
    mfa_active: 'false',
    access_key_1_active: 'false',
    access_key_2_active: 'false',
    cert_1_active: 'false',
    cert_2_active: 'false',
  };
  return CREDENTIAL_REPORT_COLUMNS.map((column) => cells[column] ?? defaults[column] ?? 'N/A').join(',');
}

function parseOne(cells: Cells) {
  const row = parseCredentialReportCsv(`${HEADER}\n${line(cells)}\n`, 'report.csv').rows[0];
  if (row === undefined) throw new Error('no row');
  return row;
}

describe('credential report markers become never / unknown, never dates', () => {
  it.each([
    ['password_last_used', 'N/A', 'never', 'no password'],
    ['password_last_used', 'no_information', 'never', 'password never used'],
    ['password_last_used', 'not_supported', 'unknown', 'cannot tell'],
    ['password_last_changed', 'N/A', 'never', 'no password'],
    ['password_last_changed', 'not_supported', 'unknown', 'root row'],
    ['password_next_rotation', 'N/A', 'never', 'no rotation policy'],
    ['password_last_used', '2025-03-04T05:06:07+00:00', 'at', 'a date'],
  ] as const)('Given %s = %s, When parsed, Then the password time is %s (%s)', (column, value, state, _why) => {
    const row = parseOne({ [column]: value });
    const field = {
      password_last_used: 'lastUsed',
      password_last_changed: 'lastChanged',
      password_next_rotation: 'nextRotation',
    } as const;
    expect(row.password[field[column]].state).toBe(state);
  });

  it.each([
    ['N/A', 'never'],
    ['no_information', 'never'],
    ['not_supported', 'unknown'],
    ['2025-05-01T10:00:00+00:00', 'at'],
  ] as const)('Given an active key whose last_used_date is %s, When parsed, Then lastUsed is %s', (value, state) => {
    const row = parseOne({
      access_key_1_active: 'true',
      access_key_1_last_rotated: '2025-01-01T00:00:00+00:00',
      access_key_1_last_used_date: value,
    });
    expect(row.accessKeys).toHaveLength(1);
    expect(row.accessKeys[0]?.lastUsed.state).toBe(state);
  });

  it('Given moto-style not_supported region and service, When parsed, Then they are null, not strings', () => {
    const row = parseOne({
      access_key_1_active: 'true',
      access_key_1_last_rotated: '2025-01-01T00:00:00+00:00',
      access_key_1_last_used_region: 'not_supported',
      access_key_1_last_used_service: 'N/A',
    });
    expect(row.accessKeys[0]).toMatchObject({ lastUsedRegion: null, lastUsedService: null });
  });

  it('Given an inactive slot with a rotation date and an empty slot, When parsed, Then only the real key is kept, as Inactive', () => {
    const row = parseOne({ access_key_2_active: 'false', access_key_2_last_rotated: '2024-06-01T00:00:00+00:00' });
    expect(row.accessKeys).toEqual([
      expect.objectContaining({
        slot: 2,
        status: 'Inactive',
        lastRotated: { state: 'at', at: '2024-06-01T00:00:00Z' },
      }),
    ]);
  });

  it('Given the root row, When parsed, Then password_enabled not_supported is null and the key is read', () => {
    const row = parseOne({
      user: '<root_account>',
      arn: 'arn:aws:iam::111111111111:root',
      password_enabled: 'not_supported',
      access_key_1_active: 'true',
      access_key_1_last_rotated: '2020-01-01T00:00:00+00:00',
    });
    expect(row.passwordEnabled).toBeNull();
    expect(row.password.enabled).toBe(false);
    expect(row.accessKeys[0]?.status).toBe('Active');
  });

  it('Given a date column holding garbage, When parsed, Then the error names the file, line and column but never the cell', () => {
    expect(() =>
      parseCredentialReportCsv(`${HEADER}\n${line({ user: 'bob', password_last_used: 'yesterday' })}`, 'r.csv'),
    ).toThrow(/^r\.csv: credential report line 2: password_last_used is not a date$/);
  });
});

describe('credential report header and shape errors', () => {
  it('Given a CSV with a column missing and one unexpected, When parsed, Then one line names both', () => {
    const header = HEADER.replace('mfa_active', 'mfa_enabled');
    const cells = line({}).split(',');
    let error: unknown;
    try {
      parseCredentialReportCsv(`${header}\n${cells.join(',')}`, 'bad.csv');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputFileError);
    expect((error as Error).message).toBe(
      'bad.csv: not an IAM credential report: header missing mfa_active; unexpected mfa_enabled',
    );
  });

  it('Given an extra column AWS might add later, When parsed, Then the 22 known columns still read', () => {
    const report = parseCredentialReportCsv(`${HEADER},new_column\n${line({ user: 'x' })},value`, 'r.csv');
    expect(report.rows[0]?.user).toBe('x');
  });

  it('Given a truncated last line, When parsed, Then the error says the file looks truncated', () => {
    const cut = line({ user: 'carol' }).split(',').slice(0, 9).join(',');
    expect(() => parseCredentialReportCsv(`${HEADER}\n${line({})}\n${cut}`, 'r.csv')).toThrow(
      'r.csv: credential report line 3 has 9 columns, the header 22: is the file truncated?',
    );
  });

  it('Given CRLF line ends, a BOM and no trailing newline, When parsed, Then every row reads', () => {
    const text = `\uFEFF${HEADER}\r\n${line({ user: 'a' })}\r\n${line({ user: 'b' })}`;
    expect(parseCredentialReportCsv(text, 'r.csv').rows.map((row) => row.user)).toEqual(['a', 'b']);
  });

  it('Given any table written with RFC 4180 quoting, When split, Then the same cells come back', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '9', ',', '"', ' ', '/', '+', '@', '\n') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (table) => {
        const quote = (value: string) =>
          /[",\n]/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value;
        expect(splitCsv(table.map((row) => row.map(quote).join(',')).join('\n'))).toEqual(table);
      }),
    );
  });

  it('Given a quoted field with a comma, When split, Then it stays one field', () => {
    expect(splitCsv('a,"b,c",d\n"e""f",g,h')).toEqual([
      ['a', 'b,c', 'd'],
      ['e"f', 'g', 'h'],
    ]);
  });
});

describe('credential report Content: base64, plain CSV or bytes', () => {
  const csv = `${HEADER}\n${line({ user: 'dave' })}`;

  it.each([
    ['base64 (AWS CLI)', Buffer.from(csv).toString('base64')],
    ['plain CSV (cloudmapper)', csv],
    ['bytes (SDK)', new TextEncoder().encode(csv)],
  ])('Given Content as %s, When read, Then the CSV comes out', (_label, content) => {
    expect(credentialReportText(content, 'f.json')).toBe(csv);
  });

  it('Given Content that is neither, When read, Then the error says so', () => {
    expect(() => credentialReportText('%%% not base64 %%%', 'f.json')).toThrow(
      'f.json: the credential report Content is neither CSV nor base64',
    );
  });

  it('Given a report whose every field is quoted, header included, When read, Then it is the report', () => {
    const quoted = (text: string) =>
      text
        .split('\n')
        .map((row) =>
          row
            .split(',')
            .map((cell) => `"${cell}"`)
            .join(','),
        )
        .join('\n');
    const text = quoted(`${HEADER}\n${line({ user: 'bob', password_enabled: 'true' })}`);
    expect(isCredentialReportCsv(text)).toBe(true);
    expect(credentialReportText(text, 'f.json')).toBe(text);
    expect(parseCredentialReportCsv(text, 'r.csv').rows[0]).toMatchObject({ user: 'bob', password: { enabled: true } });
  });

  it('Given a line of /etc/passwd as the header, When parsed, Then the error never repeats it', () => {
    const error = (() => {
      try {
        parseCredentialReportCsv('root:x:0:0:root:/root:/bin/bash,arn\nx,y\n', 'r.csv');
      } catch (caught) {
        return caught as Error;
      }
      return null;
    })();
    expect(error?.message).toMatch(/^r\.csv: not an IAM credential report: header missing user, user_creation_time/);
    expect(error?.message).toMatch(/unexpected 1 other column\(s\)$/);
    expect(error?.message).not.toContain('root');
  });

  it('Given base64 of something else, When read, Then the error says what it expected', () => {
    expect(() => credentialReportText(Buffer.from('hello,world').toString('base64'), 'f.json')).toThrow(
      'does not decode to a CSV whose header starts with user',
    );
  });

  it('Given a GetCredentialReport document, When parsed, Then GeneratedTime is kept', () => {
    const report = parseCredentialReportDocument(
      { Content: csv, GeneratedTime: '2026-01-02T03:04:05+00:00' },
      'f.json',
    );
    expect(report.generatedAt).toEqual({ state: 'at', at: '2026-01-02T03:04:05Z' });
    expect(report.rows).toHaveLength(1);
  });
});
