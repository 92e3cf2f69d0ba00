/**
 * Generates src/api/schema.d.ts, the TypeScript shapes of the REST API, from the OpenAPI schema
 * drf-spectacular derives from the serializers and views (the one /api/schema/ serves).
 *
 * Usage, from frontend/: `npm run api-types` (or `node scripts/api-types.mjs [--out FILE]`).
 *   --out FILE  where to write; default src/api/schema.d.ts. The drift test
 *               (tests/integration/webapp/test_api_types.py) writes elsewhere and compares.
 * Environment: PYTHON, the interpreter that has the project installed (default
 * ../.venv/bin/python); SECRET_KEY, only for Django to start (default "api-types").
 * Output depends only on the code: no clock, no path, no random order.
 * Exits non-zero, with manage.py's or openapi-typescript's error, when either fails.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import openapiTS, { astToString } from "openapi-typescript";

const FRONTEND = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = resolve(FRONTEND, "..");

const HEADER = `/**
 * GENERATED FILE, DO NOT EDIT: the REST API's shapes, from the OpenAPI schema of /api/schema/
 * (drf-spectacular, from webapp's serializers and views) by openapi-typescript.
 * Regenerate after changing the API: \`make api-types\` (or \`npm run api-types\` in frontend/).
 * A test (tests/integration/webapp/test_api_types.py) fails while this file and the schema differ.
 * Import API types from ./types, which names them; not from here.
 */

`;

/** Writes the schema as `manage.py spectacular` makes it into `file`; throws if it fails. */
function writeSchema(file) {
  const python = process.env.PYTHON ?? join(ROOT, ".venv", "bin", "python");
  execFileSync(
    python,
    ["manage.py", "spectacular", "--format", "openapi-json", "--file", file],
    {
      cwd: ROOT,
      env: { ...process.env, SECRET_KEY: process.env.SECRET_KEY ?? "api-types" },
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
}

/** The TypeScript for the OpenAPI schema in `file`, header included. */
async function typesFor(file) {
  // Request bodies: a field with a default stays optional, as the server treats it.
  const ast = await openapiTS(pathToFileURL(file), { defaultNonNullable: false });
  return HEADER + astToString(ast);
}

const { values } = parseArgs({
  options: { out: { type: "string", default: join(FRONTEND, "src", "api", "schema.d.ts") } },
});
const workDir = mkdtempSync(join(tmpdir(), "octograph-api-types-"));
try {
  const schemaFile = join(workDir, "schema.json");
  writeSchema(schemaFile);
  writeFileSync(values.out, await typesFor(schemaFile));
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
