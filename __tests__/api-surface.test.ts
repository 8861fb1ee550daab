/**
 * One API surface: the bridge methods RCIMIWEngine sends and the Jest mock's method table are
 * the same set (the Hermes test tests/hermes/api-surface.test.ts checks the Rust bridge's
 * table the same way). Adding a method to one side only fails here.
 */
import * as ts from 'typescript';
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  apiMembers,
  bridgeCallsByMethod,
  engineBridgeMethods,
  surfaceDiff,
} from '../tests/hermes/engine-methods';

const { methodNames } = require('../jest/mock') as { methodNames: () => string[] };

/**
 * The public API's classes, most derived first: RCIMIWEngine and every area class it extends,
 * found by following each class's `extends` to the file its base is imported from, down to the
 * plumbing (RCIMEngineCore, which has no public method). Following the chain rather than
 * listing it keeps a class added or split in the middle from being skipped.
 */
function apiClasses(): Array<{ source: ts.SourceFile; node: ts.ClassDeclaration }> {
  const out: Array<{ source: ts.SourceFile; node: ts.ClassDeclaration }> = [];
  let fileName = 'RCIMEngine.ts';
  let className = 'RCIMIWEngine';
  while (className !== 'RCIMEngineCore') {
    const file = join(__dirname, '..', 'src', fileName);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    const node = source.statements.find(
      (n): n is ts.ClassDeclaration => ts.isClassDeclaration(n) && n.name?.text === className
    );
    if (!node) throw new Error(`class ${className} is not in src/${fileName}`);
    out.push({ source, node });
    const base = node.heritageClauses
      ?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)
      ?.types[0]?.expression.getText(source);
    if (!base) throw new Error(`${className} extends nothing before reaching RCIMEngineCore`);
    const from = source.statements.find(
      (n): n is ts.ImportDeclaration =>
        ts.isImportDeclaration(n) &&
        !!n.importClause?.namedBindings &&
        ts.isNamedImports(n.importClause.namedBindings) &&
        n.importClause.namedBindings.elements.some((e) => e.name.text === base)
    );
    if (!from) throw new Error(`the base ${base} of ${className} is not imported`);
    fileName = `${(from.moduleSpecifier as ts.StringLiteral).text.replace(/^\.\//, '')}.ts`;
    className = base;
  }
  return out;
}

/** Public instance methods of RCIMIWEngine, read from its declaration and its bases'. */
function publicMethodsOfTheClass(): string[] {
  const names = new Set<string>();
  for (const { node } of apiClasses()) {
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
      const hidden = ts
        .getModifiers(member)
        ?.some((m) =>
          [
            ts.SyntaxKind.PrivateKeyword,
            ts.SyntaxKind.ProtectedKeyword,
            ts.SyntaxKind.StaticKeyword,
          ].includes(m.kind)
        );
      if (!hidden) names.add(member.name.text);
    }
  }
  return [...names].sort();
}

test('the API classes form one chain from RCIMIWEngine down to the plumbing', () => {
  const names = apiClasses().map(({ node }) => node.name!.text);
  expect(names[0]).toBe('RCIMIWEngine');
  expect(names).toContain('RCIMEngineEventListeners');
  expect(names).toContain('RCIMEngineMessageResults');
  expect(new Set(names).size).toBe(names.length);
  // What the source says and what the prototype chain holds at run time agree on the setters.
  const setters = (list: string[]) => list.filter((n) => /^set\w*Listener$/.test(n)).sort();
  expect(setters(publicMethodsOfTheClass())).toEqual(setters(apiMembers()));
});

test('every public method sends its own name to the bridge, or is a listener setter', async () => {
  const byMember = await bridgeCallsByMethod();
  const publicMethods = publicMethodsOfTheClass();
  expect(publicMethods.length).toBeGreaterThan(100);
  const wrong: string[] = [];
  for (const name of publicMethods) {
    if (name === 'destroy') continue;
    const expected = /^set\w*Listener$/.test(name) ? [] : [name];
    if (JSON.stringify(byMember[name]) !== JSON.stringify(expected)) {
      wrong.push(`${name} sent ${JSON.stringify(byMember[name])}`);
    }
  }
  expect(wrong).toEqual([]);
  // Nothing else on the prototype (the plumbing) sends anything.
  for (const [member, sent] of Object.entries(byMember)) {
    if (!publicMethods.includes(member)) expect([member, sent]).toEqual([member, []]);
  }
});

test('RCIMIWEngine and the Jest mock have the same methods', async () => {
  const engine = await engineBridgeMethods();
  expect(engine).toContain('connect');
  expect(engine).toContain('getMessageById');
  expect(surfaceDiff(engine, methodNames())).toEqual({ onlyInEngine: [], onlyInTable: [] });
});
