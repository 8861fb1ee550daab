/**
 * One API surface: the bridge methods RCIMIWEngine sends and the Jest mock's method table are
 * the same set (the Hermes test tests/hermes/api-surface.test.ts checks the Rust bridge's
 * table the same way). Adding a method to one side only fails here.
 */
import * as ts from 'typescript';
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  bridgeCallsByMethod,
  engineBridgeMethods,
  surfaceDiff,
} from '../tests/hermes/engine-methods';

const { methodNames } = require('../jest/mock') as { methodNames: () => string[] };

/**
 * The public API's classes, most derived first: RCIMIWEngine and the area classes it extends
 * (the plumbing, RCIMEngineCore, has no public method).
 */
const API_CLASSES: ReadonlyArray<[file: string, className: string]> = [
  ['RCIMEngine.ts', 'RCIMIWEngine'],
  ['RCIMEngineMessages.ts', 'RCIMEngineMessages'],
  ['RCIMEngineSettings.ts', 'RCIMEngineSettings'],
  ['RCIMEngineResultListeners.ts', 'RCIMEngineResultListeners'],
  ['RCIMEngineEventListeners.ts', 'RCIMEngineEventListeners'],
];

/** Public instance methods of RCIMIWEngine, read from its declaration and its bases'. */
function publicMethodsOfTheClass(): string[] {
  const names = new Set<string>();
  for (const [fileName, className] of API_CLASSES) {
    const file = join(__dirname, '..', 'src', fileName);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    source.forEachChild((node) => {
      if (!ts.isClassDeclaration(node) || node.name?.text !== className) return;
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
    });
  }
  return [...names].sort();
}

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
