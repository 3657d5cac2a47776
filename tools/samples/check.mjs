#!/usr/bin/env node
// Syntax checks for code samples whose compilers cannot run on the CI machine.
//
//   node tools/samples/check.mjs typescript FILE   TypeScript's own parser (syntax errors only:
//                                                  type checking would need every framework's
//                                                  packages and types)
//   node tools/samples/check.mjs csharp FILE       tree-sitter's C# grammar (no .NET SDK in the
//                                                  registries this project can use)
//
// Prints `line:column: message` for each problem and exits 1 when there is one.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const [lang, file] = process.argv.slice(2);
if (!lang || !file) {
  console.error("usage: check.mjs typescript|csharp FILE");
  process.exit(2);
}
const text = readFileSync(file, "utf8");
const problems = lang === "typescript" ? await typescript(text) : lang === "csharp" ? await csharp(text) : null;
if (problems === null) {
  console.error(`check.mjs: no checker for ${lang}`);
  process.exit(2);
}
for (const p of problems) console.log(`${p.line}:${p.column}: ${p.message}`);
process.exit(problems.length ? 1 : 0);

async function typescript(source) {
  const ts = (await import("typescript")).default;
  const out = ts.transpileModule(source, {
    fileName: "sample.ts",
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, experimentalDecorators: true },
  });
  return (out.diagnostics ?? []).map((d) => {
    const { line, character } = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0) : { line: 0, character: 0 };
    return { line: line + 1, column: character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, " ") };
  });
}

async function csharp(source) {
  const { Parser, Language } = await import("web-tree-sitter");
  const require = createRequire(import.meta.url);
  await Parser.init();
  const language = await Language.load(require.resolve("tree-sitter-c-sharp/tree-sitter-c_sharp.wasm"));
  const parser = new Parser();
  parser.setLanguage(language);
  const tree = parser.parse(source);
  const problems = [];
  const visit = (node) => {
    if (node.isError || node.isMissing) {
      const what = node.isMissing ? `missing ${node.type}` : `unexpected \`${source.slice(node.startIndex, node.endIndex).split("\n")[0].slice(0, 40)}\``;
      problems.push({ line: node.startPosition.row + 1, column: node.startPosition.column + 1, message: `syntax error: ${what}` });
      return;
    }
    if (node.hasError) for (const child of node.children) visit(child);
  };
  visit(tree.rootNode);
  return problems;
}
