/**
 * One-off codemod: `runCli` and `runNode` (test/e2e/run-cli.ts) now return a Promise. This adds
 * `await` at every call, parenthesised where a property is read from the result, marks the
 * enclosing function `async`, and repeats for file-local helpers that became async, until nothing
 * changes. Run it on a branch with tests written against the synchronous API:
 *
 *   npx tsx scripts/codemod-await-run-cli.ts $(git grep -l -e 'runCli(' -e 'runNode(' -- test src bench)
 *   npm run format && npm run typecheck
 */
import { readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';

interface Edit {
  at: number;
  text: string;
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isArrowFunction(current) || ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current))
      return current;
    if (ts.isMethodDeclaration(current)) return current;
  }
  return undefined;
}

function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return (ts.getModifiers(fn as ts.HasModifiers) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** The name a helper is called by: `function name()` or `const name = () =>`. */
function nameOf(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

/** Where `async` goes: before `function`, before a method's name, or before an arrow's parameters. */
function asyncPosition(fn: ts.FunctionLikeDeclaration, file: ts.SourceFile): number {
  if (ts.isMethodDeclaration(fn)) return fn.name.getStart(file);
  const keyword = fn.getChildren(file).find((child) => child.kind === ts.SyntaxKind.FunctionKeyword);
  return (keyword ?? fn).getStart(file);
}

function needsParentheses(call: ts.CallExpression): boolean {
  const parent = call.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.expression === call) ||
    (ts.isElementAccessExpression(parent) && parent.expression === call)
  );
}

function onePass(source: string, names: Set<string>): { text: string; newlyAsync: string[] } {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: Edit[] = [];
  const madeAsync = new Set<ts.FunctionLikeDeclaration>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      names.has(node.expression.text) &&
      !ts.isAwaitExpression(node.parent) &&
      !(ts.isParenthesizedExpression(node.parent) && ts.isAwaitExpression(node.parent.parent))
    ) {
      const wrap = needsParentheses(node);
      edits.push({ at: node.getStart(file), text: wrap ? '(await ' : 'await ' });
      if (wrap) edits.push({ at: node.getEnd(), text: ')' });
      const fn = enclosingFunction(node);
      if (fn && !isAsync(fn)) madeAsync.add(fn);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  for (const fn of madeAsync) {
    edits.push({ at: asyncPosition(fn, file), text: 'async ' });
    // A declared return type T becomes Promise<T>.
    if (fn.type && !fn.type.getText(file).startsWith('Promise<')) {
      edits.push({ at: fn.type.getStart(file), text: 'Promise<' }, { at: fn.type.getEnd(), text: '>' });
    }
  }
  let text = source;
  for (const edit of edits.sort((a, b) => b.at - a.at)) text = text.slice(0, edit.at) + edit.text + text.slice(edit.at);
  const newlyAsync = [...madeAsync].map(nameOf).filter((name): name is string => name !== undefined);
  return { text, newlyAsync };
}

for (const path of process.argv.slice(2)) {
  const names = new Set(['runCli', 'runNode']);
  let text = readFileSync(path, 'utf8');
  for (;;) {
    const pass = onePass(text, names);
    const grew = pass.newlyAsync.some((name) => !names.has(name));
    for (const name of pass.newlyAsync) names.add(name);
    if (pass.text === text && !grew) break;
    text = pass.text;
  }
  writeFileSync(path, text);
}
