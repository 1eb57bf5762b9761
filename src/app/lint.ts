/**
 * `lint`: IAM policies in files, before they are deployed. Files named are read as given;
 * directories are searched for the formats lint reads. Every document goes through the rules of
 * the one registry.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { lintFindings } from '../assess/lint.js';
import { lintRules } from '../assess/registry.js';
import { InputFileError } from '../errors.js';
import type { Finding } from '../model/finding.js';
import type { RuleMetadata } from '../model/rule.js';
import { loadIamCatalog } from '../policy/action-catalog.js';
import type { TrustContext } from '../policy/trust/issue.js';
import { extractPolicies, type Extraction } from '../policy/sources.js';
import type { Notes } from './ports.js';

const LINTABLE = /\.(tf|tf\.json|json|ya?ml|template)$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.terraform', '.git', 'cdk.out']);

/** The files to lint: the files named, and the lintable files under directories named (recursively). */
async function filesOf(paths: readonly string[]): Promise<Array<{ path: string; explicit: boolean }>> {
  const out: Array<{ path: string; explicit: boolean }> = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name)) await walk(path);
      else if (entry.isFile() && LINTABLE.test(entry.name)) out.push({ path, explicit: false });
    }
  };
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info) throw new InputFileError(path, 'no such file or directory');
    if (info.isDirectory()) await walk(path);
    else out.push({ path, explicit: true });
  }
  return out;
}

/** The policies of every file; inside a directory, JSON and YAML that are not IAM material are skipped. */
async function extractAll(
  paths: readonly string[],
  notes: Notes & { debug: boolean },
): Promise<Array<Extraction & { file: string }>> {
  const extractions: Array<Extraction & { file: string }> = [];
  for (const file of await filesOf(paths)) {
    const text = await readFile(file.path, 'utf8').catch((error: unknown) => {
      throw new InputFileError(file.path, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
    });
    try {
      extractions.push({ ...(await extractPolicies(file.path, text)), file: file.path });
    } catch (error) {
      // Inside a directory, JSON and YAML that are not IAM material (package.json, CI files) are expected.
      if (!file.explicit && error instanceof InputFileError) {
        if (notes.debug) notes.log(`skipped ${error.message}`);
        continue;
      }
      throw error;
    }
  }
  return extractions;
}

/** Lints the files and folders given; `now` is the time every policy is judged at (date conditions). */
export async function lintPaths(
  paths: readonly string[],
  context: TrustContext,
  run: { notes: Notes & { debug: boolean }; now: Date },
): Promise<{ findings: Finding[]; rules: RuleMetadata[] }> {
  const { notes, now } = run;
  const extractions = await extractAll(paths, notes);
  for (const extraction of extractions) for (const note of extraction.notes) notes.warn(`${extraction.file}: ${note}`);
  if (extractions.every((extraction) => extraction.policies.length === 0))
    notes.warn('no IAM policy documents found in the files given');
  const catalog = await loadIamCatalog();
  return { findings: lintFindings(extractions, context, { catalog, now }), rules: lintRules() };
}
