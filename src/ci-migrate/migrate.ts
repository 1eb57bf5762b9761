import { unifiedDiff } from './diff.js';
import { rewriteGithubWorkflow, type RewriteOptions } from './github.js';
import { rewriteGitlabCi } from './gitlab.js';

export type CiFileKind = 'github-actions' | 'gitlab';

export interface CiFile {
  /** Path relative to the checkout, `/`-separated (used in the diff headers). */
  path: string;
  text: string;
}

export interface CiFileChange {
  path: string;
  kind: CiFileKind;
  changed: boolean;
  newText: string;
  diff: string;
  notes: string[];
  /** Set when the file could not be parsed; the file is left alone. */
  error: string | null;
}

/** Which CI system a file belongs to, from its path; null for anything else. */
export function ciFileKind(path: string): CiFileKind | null {
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return 'github-actions';
  if (/(^|\/)\.gitlab-ci\.ya?ml$/.test(path)) return 'gitlab';
  return null;
}

/** Rewrites every CI file that passes access keys; pure (the command reads and writes files). */
export function migrateCiFiles(files: CiFile[], options: RewriteOptions): CiFileChange[] {
  return files
    .map((file): CiFileChange | null => {
      const kind = ciFileKind(file.path);
      if (!kind) return null;
      try {
        const result =
          kind === 'github-actions' ? rewriteGithubWorkflow(file.text, options) : rewriteGitlabCi(file.text, options);
        return {
          path: file.path,
          kind,
          changed: result.changed,
          newText: result.text,
          diff: result.changed ? unifiedDiff(file.text, result.text, `a/${file.path}`, `b/${file.path}`) : '',
          notes: result.notes,
          error: null,
        };
      } catch (error) {
        return {
          path: file.path,
          kind,
          changed: false,
          newText: file.text,
          diff: '',
          notes: [],
          error: (error as Error).message,
        };
      }
    })
    .filter((change): change is CiFileChange => change !== null)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
