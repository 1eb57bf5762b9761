import { InputFileError } from '../errors.js';
import type { AccessKey, Password, When } from '../model/snapshot.js';
import { NEVER, UNKNOWN } from '../model/when.js';
import { whenFromAws } from './instant.js';

/** The 22 columns of the IAM credential report, in the order AWS writes them. */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;
export type CredentialReportColumn = (typeof CREDENTIAL_REPORT_COLUMNS)[number];

export const ROOT_ROW_USER = '<root_account>';

export interface ReportSigningCertificate {
  slot: 1 | 2;
  active: boolean;
  lastRotated: When;
}

/** One row of the report, with every "no date" marker already turned into never / unknown. */
export interface CredentialReportRow {
  user: string;
  arn: string;
  userCreationTime: When;
  /** Null for the root row, where AWS says `not_supported`. */
  passwordEnabled: boolean | null;
  password: Password;
  mfaActive: boolean;
  /** Only the slots that hold a key (active, or inactive with a rotation date). */
  accessKeys: AccessKey[];
  signingCertificates: ReportSigningCertificate[];
}

export interface CredentialReport {
  /** Unknown for a bare CSV file, which does not carry the generated time. */
  generatedAt: When;
  rows: CredentialReportRow[];
}

/**
 * How each date column reads the report's markers. AWS writes `N/A` where the thing does not
 * exist (no password, no key, key never used), `no_information` where a password was never used
 * since tracking began, and `not_supported` where it cannot tell (the root row's password
 * columns; moto's last-used region and service).
 */
function whenOf(value: string, column: CredentialReportColumn, where: () => string): When {
  if (value === 'N/A' || value === 'no_information') return NEVER;
  if (value === 'not_supported' || value === '') return UNKNOWN;
  try {
    return whenFromAws(value);
  } catch {
    throw new Error(`${where()}: ${column} is not a date`);
  }
}

function booleanOf(value: string, column: CredentialReportColumn, where: () => string): boolean | null {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (value === 'not_supported' || value === 'N/A') return null;
  throw new Error(`${where()}: ${column} is not true or false`);
}

/** A last-used service or region: a name, or null where AWS has none. */
function nameOf(value: string): string | null {
  return value === 'N/A' || value === 'no_information' || value === 'not_supported' || value === '' ? null : value;
}

/** RFC 4180 fields; IAM names may contain commas, and AWS quotes such fields. */
export function splitCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((cells) => !(cells.length === 1 && cells[0] === ''));
}

const COLUMN_NAME = /^[a-z][a-z0-9_]{0,39}$/;

function checkHeader(header: readonly string[], source: string): Map<CredentialReportColumn, number> {
  const missing = CREDENTIAL_REPORT_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    const known = new Set<string>(CREDENTIAL_REPORT_COLUMNS);
    const unexpected = header.filter((column) => !known.has(column));
    // Only names shaped like a column are repeated: the "header" may be a line of any file.
    const named = unexpected.filter((column) => COLUMN_NAME.test(column));
    const others = unexpected.length - named.length;
    const parts = [`missing ${missing.join(', ')}`];
    if (unexpected.length > 0)
      parts.push(`unexpected ${[...named, ...(others > 0 ? [`${others} other column(s)`] : [])].join(', ')}`);
    throw new InputFileError(source, `not an IAM credential report: header ${parts.join('; ')}`);
  }
  // Extra columns alone are accepted: AWS may add columns, and the 22 we read are all there.
  return new Map(CREDENTIAL_REPORT_COLUMNS.map((column) => [column, header.indexOf(column)]));
}

/**
 * Parses the credential report CSV (with or without a trailing newline, LF or CRLF). `source`
 * names the file or API in every error, which is one line saying what is wrong.
 */
export function parseCredentialReportCsv(csv: string, source: string, generatedAt: When = UNKNOWN): CredentialReport {
  const text = csv.replace(/^\uFEFF/, '');
  const table = splitCsv(text);
  const header = table[0];
  if (header === undefined) throw new InputFileError(source, 'the credential report is empty');
  const index = checkHeader(header, source);
  const rows: CredentialReportRow[] = [];
  for (let r = 1; r < table.length; r++) {
    const cells = table[r] as string[];
    if (cells.length !== header.length) {
      throw new InputFileError(
        source,
        `credential report line ${r + 1} has ${cells.length} columns, the header ${header.length}: is the file truncated?`,
      );
    }
    const cell = (column: CredentialReportColumn): string => cells[index.get(column) as number] ?? '';
    const where = () => `line ${r + 1}`;
    try {
      rows.push(parseRow(cell, where));
    } catch (error) {
      throw new InputFileError(source, `credential report ${(error as Error).message}`);
    }
  }
  return { generatedAt, rows };
}

function parseRow(cell: (column: CredentialReportColumn) => string, where: () => string): CredentialReportRow {
  const accessKeys: AccessKey[] = [];
  for (const slot of [1, 2] as const) {
    const active = booleanOf(cell(`access_key_${slot}_active`), `access_key_${slot}_active`, where) === true;
    const lastRotated = whenOf(cell(`access_key_${slot}_last_rotated`), `access_key_${slot}_last_rotated`, where);
    // An inactive slot without a rotation date holds no key at all.
    if (!active && lastRotated.state !== 'at') continue;
    accessKeys.push({
      slot,
      id: null,
      status: active ? 'Active' : 'Inactive',
      lastRotated,
      lastUsed: whenOf(cell(`access_key_${slot}_last_used_date`), `access_key_${slot}_last_used_date`, where),
      lastUsedService: nameOf(cell(`access_key_${slot}_last_used_service`)),
      lastUsedRegion: nameOf(cell(`access_key_${slot}_last_used_region`)),
    });
  }
  const signingCertificates: ReportSigningCertificate[] = [];
  for (const slot of [1, 2] as const) {
    const active = booleanOf(cell(`cert_${slot}_active`), `cert_${slot}_active`, where) === true;
    const lastRotated = whenOf(cell(`cert_${slot}_last_rotated`), `cert_${slot}_last_rotated`, where);
    if (!active && lastRotated.state !== 'at') continue;
    signingCertificates.push({ slot, active, lastRotated });
  }
  const passwordEnabled = booleanOf(cell('password_enabled'), 'password_enabled', where);
  return {
    user: cell('user'),
    arn: cell('arn'),
    userCreationTime: whenOf(cell('user_creation_time'), 'user_creation_time', where),
    passwordEnabled,
    password: {
      enabled: passwordEnabled === true,
      lastUsed: whenOf(cell('password_last_used'), 'password_last_used', where),
      lastChanged: whenOf(cell('password_last_changed'), 'password_last_changed', where),
      nextRotation: whenOf(cell('password_next_rotation'), 'password_next_rotation', where),
    },
    mfaActive: booleanOf(cell('mfa_active'), 'mfa_active', where) === true,
    accessKeys,
    signingCertificates,
  };
}

/** The first cell of the first line is `user`, quoted or not (some tools quote every field). */
function looksLikeReportCsv(text: string): boolean {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  const end = start.search(/[\r\n]/);
  const firstLine = end === -1 ? start : start.slice(0, end);
  const header = splitCsv(firstLine)[0];
  return header !== undefined && header.length > 1 && header[0] === 'user';
}

/**
 * Reads the `Content` of a GetCredentialReport answer. AWS and the AWS CLI give base64; some
 * tools (cloudmapper) save it already decoded; the SDK gives bytes.
 */
export function credentialReportText(content: unknown, source: string): string {
  if (content instanceof Uint8Array) return new TextDecoder('utf-8').decode(content);
  if (typeof content !== 'string') throw new InputFileError(source, 'the credential report has no Content text');
  if (looksLikeReportCsv(content)) return content;
  const compact = content.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw new InputFileError(source, 'the credential report Content is neither CSV nor base64');
  }
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  if (!looksLikeReportCsv(decoded)) {
    throw new InputFileError(
      source,
      'the credential report Content does not decode to a CSV whose header starts with user',
    );
  }
  return decoded;
}

/** The shape of `aws iam get-credential-report` output and of the SDK's GetCredentialReport answer. */
export function parseCredentialReportDocument(
  document: { Content?: unknown; GeneratedTime?: unknown },
  source: string,
): CredentialReport {
  const generated = document.GeneratedTime;
  let generatedAt: When = UNKNOWN;
  if (generated instanceof Date || typeof generated === 'string') {
    try {
      generatedAt = whenFromAws(generated);
    } catch {
      throw new InputFileError(source, `the credential report GeneratedTime "${String(generated)}" is not a date`);
    }
  }
  return parseCredentialReportCsv(credentialReportText(document.Content, source), source, generatedAt);
}

/** True for text that starts with the credential report header; how a `.csv` is recognised. */
export function isCredentialReportCsv(text: string): boolean {
  return looksLikeReportCsv(text);
}
