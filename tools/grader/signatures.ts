/**
 * Which arguments of each exercise function may be changed in place, read
 * from the stub's declared parameter types: a mutable array type
 * (`number[][]`, as in `clipGradNorm(grads: number[][], …)`) says "I write
 * into this", anything else (`readonly number[]`, an interface, a number)
 * says "I leave it alone". In the sandbox (child/guard.ts) the first kind
 * gets a copy whose changes are written back when the call returns, the
 * second a frozen copy: changing it throws, and nothing the student does to
 * it reaches the test's own values.
 */
import ts from "typescript";

/** function name → per parameter, true when the stub declares it writable (a mutable array). */
export type InPlaceTable = Record<string, boolean[]>;

function writable(type: ts.TypeNode | undefined): boolean {
  if (type === undefined) return false;
  if (ts.isArrayTypeNode(type)) return true;
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText();
    return name === "Array" || (/Array$/.test(name) && !/^Readonly/.test(name)); // Array<T>, Float64Array; not ReadonlyArray
  }
  if (ts.isUnionTypeNode(type)) return type.types.some(writable);
  if (ts.isParenthesizedTypeNode(type)) return writable(type.type);
  return false;
}

/** The in-place table of one stub's source. */
export function inPlaceParameters(source: string): InPlaceTable {
  const file = ts.createSourceFile("stub.ts", source, ts.ScriptTarget.ES2022, true);
  const table: InPlaceTable = {};
  for (const stmt of file.statements) {
    const exported = ts.canHaveModifiers(stmt) && ts.getModifiers(stmt)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isFunctionDeclaration(stmt) && stmt.name) table[stmt.name.text] = stmt.parameters.map((p) => writable(p.type));
    if (ts.isClassDeclaration(stmt) && stmt.name) {
      const ctor = stmt.members.find(ts.isConstructorDeclaration);
      table[stmt.name.text] = ctor ? ctor.parameters.map((p) => writable(p.type)) : [];
    }
  }
  return table;
}
