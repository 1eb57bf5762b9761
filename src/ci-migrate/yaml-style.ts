import type { Document } from 'yaml';

export interface YamlStyle {
  indent: number;
  /** Whether `- item` lines are indented under their key (`steps:\n  - run`) or flush with it. */
  indentSeq: boolean;
}

/** Reads the file's own indentation so a rewrite changes only the lines it means to change. */
export function detectStyle(text: string): YamlStyle {
  const lines = text.split(/\r?\n/);
  let indent = 0;
  let votes = 0;
  for (let i = 0; i < lines.length - 1; i += 1) {
    const line = lines[i] ?? '';
    const next = lines[i + 1] ?? '';
    const key = /^(\s*)[^\s#-][^:#]*:\s*(#.*)?$/.exec(line);
    if (!key) continue;
    const own = key[1]?.length ?? 0;
    const child = /^(\s*)(-\s)?\S/.exec(next);
    if (!child) continue;
    const childIndent = child[1]?.length ?? 0;
    if (child[2]) {
      // GitHub's `steps:` lists are where rewrites happen: their style counts most.
      const weight = /^\s*steps:/.test(line) ? 3 : 1;
      votes += childIndent > own ? weight : -weight;
    }
    if (!child[2] && indent === 0 && childIndent > own) indent = childIndent - own;
  }
  return { indent: indent === 0 ? 2 : indent, indentSeq: votes >= 0 };
}

function normalized(line: string): string {
  return line.replace(/\s+#/, ' #').trimEnd();
}

/**
 * Serialises the edited document in the original's style. The yaml library normalises spacing
 * before comments; lines that only differ from an original line in that way get the original
 * back, so the diff shows only the real change.
 */
export function stringifyLike(doc: Document, style: YamlStyle, original: string): string {
  const text = doc.toString({
    indent: style.indent,
    indentSeq: style.indentSeq,
    lineWidth: 0,
    minContentWidth: 0,
    flowCollectionPadding: false,
  });
  const originals = new Map<string, string>();
  for (const line of original.split('\n')) if (!originals.has(normalized(line))) originals.set(normalized(line), line);
  return text
    .split('\n')
    .map((line) => originals.get(normalized(line)) ?? line)
    .join('\n');
}
