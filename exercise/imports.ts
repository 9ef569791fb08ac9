// The modules a TypeScript file names, read by TypeScript's own pre-processor rather than a regex:
// it skips comments and strings that only look like imports and sees every quoting style. The
// export follows these to ship the harness it needs, and test/architecture.test.ts checks them
// against the dependency rule.
import ts from 'typescript';

/**
 * Every module specifier in `text`: static imports and re-exports, `import type`, `require(...)`,
 * dynamic `import(...)`, and `require.resolve(...)`. The last is how the harness names the scripts
 * it forks (`fork(require.resolve('./load-worker'))`); preProcessFile does not report it, so it is
 * read from the syntax tree.
 */
export function moduleSpecifiers(text: string, fileName = 'module.ts'): string[] {
  // readImportFiles: imports and exports; detectJavaScriptImports: require() and import() calls too.
  const found = ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
  if (text.includes('require.resolve')) {
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        ts.isIdentifier(node.expression.expression) &&
        node.expression.expression.text === 'require' &&
        node.expression.name.text === 'resolve' &&
        node.arguments[0] &&
        ts.isStringLiteralLike(node.arguments[0])
      ) {
        found.push(node.arguments[0].text);
      }
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
  }
  return found;
}

/** The specifiers that name a file of this repository (`./x`, `../y`), not a package. */
export function relativeSpecifiers(text: string, fileName?: string): string[] {
  return moduleSpecifiers(text, fileName).filter((specifier) => specifier.startsWith('./') || specifier.startsWith('../'));
}
