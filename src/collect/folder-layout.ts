import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputFileError, UserInputError } from '../errors.js';
import { compare } from './gaad.js';

/**
 * Which folders of a `--from` tree hold an account. Files at the top are one account (or the
 * organization's account list); every sub-folder with files is another account, so a top-level
 * export beside account sub-folders reads them all. A sub-folder that cannot be read is reported
 * (it becomes a gap), never skipped in silence; an entry that cannot even be looked at (a
 * symbolic link loop, a broken link) is an input error naming it.
 */

export interface AccountFolder {
  /** The folder as the user will recognise it: the `--from` path joined with the folder's name. */
  path: string;
  files: string[];
}

export interface UnreadableFolder {
  path: string;
  /** From the folder's name when it starts with a 12-digit id; else unknown. */
  accountId: string | null;
  code: string;
  message: string;
}

export interface FolderLayout {
  accountFolders: AccountFolder[];
  skippedFolders: Array<{ path: string; reason: string }>;
  unreadableFolders: UnreadableFolder[];
}

function isDataFile(name: string): boolean {
  const lower = name.toLowerCase();
  return !name.startsWith('.') && (lower.endsWith('.json') || lower.endsWith('.csv'));
}

function entryProblem(code: string | undefined): string {
  if (code === 'ELOOP') return 'is a symbolic link loop: remove it or point it at a file';
  if (code === 'ENOENT') return 'is a broken symbolic link: remove it or point it at a file';
  return `cannot be looked at (${code ?? 'unknown error'})`;
}

function folderProblem(code: string | undefined): string {
  if (code === 'ENOENT') return 'no such folder';
  if (code === 'ENOTDIR') return 'is a file; --from takes a folder';
  return `cannot read folder (${code ?? 'unknown error'})`;
}

interface Entries {
  files: string[];
  folders: string[];
}

function listEntries(dir: string): Entries {
  const names = readdirSync(dir).sort(compare);
  const entries: Entries = { files: [], folders: [] };
  for (const name of names) {
    const path = join(dir, name);
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(path);
    } catch (error) {
      throw new InputFileError(path, entryProblem((error as NodeJS.ErrnoException).code));
    }
    if (stats?.isDirectory()) entries.folders.push(path);
    else if (stats?.isFile() && isDataFile(name)) entries.files.push(path);
  }
  return entries;
}

function topEntries(dir: string): Entries {
  try {
    return listEntries(dir);
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    throw new InputFileError(dir, folderProblem((error as NodeJS.ErrnoException).code));
  }
}

/** The account a folder is named after (`export-script` names each folder by its account id). */
export function accountIdOfFolder(path: string): string | null {
  return /^(\d{12})(?:\D|$)/.exec(basename(path))?.[1] ?? null;
}

function unreadable(path: string, error: unknown): UnreadableFolder {
  const code = (error as NodeJS.ErrnoException).code ?? 'Error';
  return {
    path,
    accountId: accountIdOfFolder(path),
    code,
    message: `${path}: cannot read the folder (${code}): the users of the account it holds are unknown`,
  };
}

/** Lays out a `--from` folder; throws only for problems with the folder itself or an entry in it. */
export function readFolderLayout(dir: string): FolderLayout {
  const top = topEntries(dir);
  const layout: FolderLayout = { accountFolders: [], skippedFolders: [], unreadableFolders: [] };
  if (top.files.length > 0) layout.accountFolders.push({ path: dir, files: top.files });
  // Hidden folders (.git, editor state) are never an account's.
  for (const folder of top.folders.filter((path) => !basename(path).startsWith('.'))) {
    let inner: Entries;
    try {
      inner = listEntries(folder);
    } catch (error) {
      if (error instanceof UserInputError) throw error;
      layout.unreadableFolders.push(unreadable(folder, error));
      continue;
    }
    if (inner.files.length > 0) layout.accountFolders.push({ path: folder, files: inner.files });
    else layout.skippedFolders.push({ path: folder, reason: 'no .json or .csv file directly in it' });
  }
  if (layout.accountFolders.length === 0 && layout.unreadableFolders.length === 0) {
    throw new UserInputError(
      `${dir}: no AWS CLI output files (.json or .csv) here: put get-account-authorization-details and get-credential-report outputs in it, or one sub-folder per account`,
    );
  }
  return layout;
}
