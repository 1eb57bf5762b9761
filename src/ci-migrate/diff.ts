import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

/**
 * A unified diff (the `diff -u` / git format) of two texts with three lines of context, by the
 * `diff` package (jsdiff): Myers' algorithm, and "\ No newline at end of file" where a text has
 * no final newline, so `patch` reproduces the file byte for byte. Empty for identical texts.
 */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string): string {
  if (oldText === newText) return '';
  return createTwoFilesPatch(oldName, newName, oldText, newText, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
}
