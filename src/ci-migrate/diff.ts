/**
 * A unified diff (the `diff -u` / git format) of two texts, line by line, with three lines of
 * context. LCS over lines: workflow files are small, so the quadratic table is fine.
 */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  if (oldText === newText) return '';
  const a = oldText.split('\n');
  const b = newText.split('\n');
  if (a.at(-1) === '') a.pop();
  if (b.at(-1) === '') b.pop();
  const rows = a.length + 1;
  const cols = b.length + 1;
  const lcs = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lcs[i * cols + j] =
        a[i] === b[j]
          ? (lcs[(i + 1) * cols + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * cols + j] ?? 0, lcs[i * cols + j + 1] ?? 0);
    }
  }
  type Op = { kind: ' ' | '-' | '+'; text: string; oldLine: number; newLine: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i] ?? '', oldLine: i, newLine: j });
      i += 1;
      j += 1;
    } else if (i < a.length && (j >= b.length || (lcs[(i + 1) * cols + j] ?? 0) >= (lcs[i * cols + j + 1] ?? 0))) {
      ops.push({ kind: '-', text: a[i] ?? '', oldLine: i, newLine: j });
      i += 1;
    } else {
      ops.push({ kind: '+', text: b[j] ?? '', oldLine: i, newLine: j });
      j += 1;
    }
  }
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  let index = 0;
  while (index < ops.length) {
    if (ops[index]?.kind === ' ') {
      index += 1;
      continue;
    }
    const start = Math.max(0, index - context);
    let end = index;
    // Extend the hunk while the next change is within 2 × context lines.
    for (;;) {
      while (end < ops.length && ops[end]?.kind !== ' ') end += 1;
      let next = end;
      while (next < ops.length && ops[next]?.kind === ' ') next += 1;
      if (next < ops.length && next - end <= context * 2) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, stop);
    const first = hunk[0];
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    const oldStart = first ? first.oldLine + (oldCount > 0 ? 1 : 0) : 0;
    const newStart = first ? first.newLine + (newCount > 0 ? 1 : 0) : 0;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.text}`);
    index = stop;
  }
  return `${out.join('\n')}\n`;
}
