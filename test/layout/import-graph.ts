/**
 * The import graph of the repository's TypeScript, read with the TypeScript
 * parser (no type checking): for every file, what it imports, whether each
 * import is type-only, and which names it takes. The boundary rules
 * (boundaries.ts) and the dead-export check run over it.
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** The importing file, relative to the root, with forward slashes. */
  readonly from: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** The imported file relative to the root, when the specifier is relative; undefined for packages. */
  readonly to?: string;
  /** True for `import type …`, `export type … from`, and imports whose every binding is `type`. */
  readonly typeOnly: boolean;
  /** Names taken (`default` for a default import, `*` for a namespace or a bare/dynamic import). */
  readonly names: readonly string[];
}

export interface SourceFile {
  readonly path: string;
  readonly imports: readonly ImportEdge[];
  /** Values this file exports (functions, classes, constants, `export { … }`; re-exports included). */
  readonly exports: readonly string[];
  /** Interfaces and type aliases it exports (the vocabulary of its signatures). */
  readonly typeExports: readonly string[];
}

const SOURCE = /\.(ts|tsx|mts)$/;

/** Every TypeScript file under `dirs` (relative to `root`), node_modules and dot folders skipped. */
export function listSources(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out.map((p) => toPosix(relative(root, p))).sort();
}

const toPosix = (p: string): string => p.split('\\').join('/');

function bindingNames(clause: ts.ImportClause | undefined): { names: string[]; typeOnly: boolean } {
  if (!clause) return { names: ['*'], typeOnly: false };
  const names: string[] = [];
  let allTypes = clause.isTypeOnly;
  if (clause.name) {
    names.push('default');
    allTypes = clause.isTypeOnly;
  }
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
  if (bindings && ts.isNamedImports(bindings)) {
    const elements = bindings.elements;
    for (const e of elements) names.push((e.propertyName ?? e.name).text);
    if (!clause.isTypeOnly && !clause.name && elements.length > 0) allTypes = elements.every((e) => e.isTypeOnly);
  }
  return { names, typeOnly: allTypes };
}

function exportedNames(node: ts.Statement): string[] {
  if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return [];
  const mods = ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : [];
  if (!mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return [];
  if (mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return ['default'];
  if (ts.isVariableStatement(node)) {
    return node.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  }
  const named = node as ts.Statement & { name?: ts.Identifier };
  return named.name && ts.isIdentifier(named.name) ? [named.name.text] : [];
}

function isExported(node: ts.Statement): boolean {
  const mods = ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : [];
  return mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** Resolves a relative specifier from `from` to a file relative to `root` (as written: the repo imports with extensions). */
function resolveRelative(root: string, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = resolve(root, dirname(from), specifier.split('?')[0]!);
  return toPosix(relative(root, target));
}

/** Parses one file's imports and exports. */
export function readSource(root: string, path: string): SourceFile {
  const text = readFileSync(join(root, path), 'utf8');
  const sf = ts.createSourceFile(
    path,
    text,
    ts.ScriptTarget.Latest,
    false,
    path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const imports: ImportEdge[] = [];
  const exports: string[] = [];
  const typeExports: string[] = [];
  const edge = (specifier: string, typeOnly: boolean, names: string[]): void => {
    imports.push({ from: path, specifier, to: resolveRelative(root, path, specifier), typeOnly, names });
  };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const { names, typeOnly } = bindingNames(st.importClause);
      edge(st.moduleSpecifier.text, typeOnly, names);
    } else if (ts.isExportDeclaration(st)) {
      const named = st.exportClause && ts.isNamedExports(st.exportClause) ? st.exportClause.elements : undefined;
      if (named) {
        for (const e of named) (st.isTypeOnly || e.isTypeOnly ? typeExports : exports).push(e.name.text);
      }
      if (st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
        const names = named ? named.map((e) => (e.propertyName ?? e.name).text) : ['*'];
        const typeOnly = st.isTypeOnly || (named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly));
        edge(st.moduleSpecifier.text, typeOnly, names);
      }
    } else if (ts.isExportAssignment(st)) {
      exports.push('default');
    } else if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && isExported(st)) {
      typeExports.push(st.name.text);
    } else {
      exports.push(...exportedNames(st));
    }
  }
  // Dynamic imports and `new URL('./x.ts', import.meta.url)` (how workers and assets are referenced).
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) edge(arg.text, false, ['*']);
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
      const [arg, base] = node.arguments ?? [];
      if (
        arg &&
        ts.isStringLiteralLike(arg) &&
        base &&
        base.getText(sf) === 'import.meta.url' &&
        /\.(ts|tsx)$/.test(arg.text)
      ) {
        edge(arg.text, false, ['*']);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { path, imports, exports, typeExports };
}

/** The import graph of every TypeScript file under `dirs`. */
export function readGraph(root: string, dirs: readonly string[]): SourceFile[] {
  return listSources(root, dirs).map((p) => readSource(root, p));
}
