// Checks every response the HTTP tests captured against the OpenAPI
// document: the route must be documented, the status documented for it, and
// a JSON body must validate against the schema documented for that status
// and media type. Run by ctest after the HTTP tests (see CMakeLists.txt):
//
//   node tests/openapi/check_responses.mjs openapi/openapi.json CAPTURE_DIR
//
// Exits 1 when any response does not match, when a documented operation was
// never seen succeeding, or when there is nothing to check.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [documentPath, captureDir] = process.argv.slice(2);
if (!documentPath || !captureDir) {
  console.error("usage: check_responses.mjs OPENAPI_JSON CAPTURE_DIR");
  process.exit(2);
}
const document = JSON.parse(readFileSync(documentPath, "utf8"));

const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
ajv.addSchema(document, "openapi.json");

// The documented routes, as the server's router matches them: segment by
// segment, a literal segment winning over a {capture}.
const routes = Object.keys(document.paths).map((template) => ({
  template,
  segments: template.split("/").slice(1),
}));

function findRoute(path) {
  const segments = path.replace(/\/$/, "").split("/").slice(1);
  let best = null;
  let bestLiterals = -1;
  for (const route of routes) {
    if (route.segments.length !== segments.length) continue;
    let literals = 0;
    const fits = route.segments.every((segment, i) => {
      if (segment.startsWith("{")) return segments[i].length > 0;
      literals += 1;
      return segment === segments[i];
    });
    if (fits && literals > bestLiterals) {
      best = route;
      bestLiterals = literals;
    }
  }
  return best;
}

function pointer(...parts) {
  return parts.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
}

const validators = new Map();
function validatorFor(template, method, status, mediaType) {
  const key = pointer("paths", template, method, "responses", status, "content", mediaType, "schema");
  if (!validators.has(key)) validators.set(key, ajv.compile({ $ref: `openapi.json#/${key}` }));
  return validators.get(key);
}

const captures = [];
for (const file of readdirSync(captureDir).filter((f) => f.endsWith(".jsonl"))) {
  for (const line of readFileSync(join(captureDir, file), "utf8").split("\n")) {
    if (line.trim()) captures.push(JSON.parse(line));
  }
}

let checked = 0;
let skipped = 0;
const answered = new Set();  // "get /api/numbers": operations seen succeeding
const failures = new Map();  // one entry per kind of failure, with a count and an example
function fail(capture, what) {
  const key = `${capture.method} ${capture.route ?? capture.path} ${capture.status}: ${what}`;
  const entry = failures.get(key) ?? { count: 0, example: capture };
  entry.count += 1;
  failures.set(key, entry);
}

for (const capture of captures) {
  const route = findRoute(capture.path);
  const method = (capture.method === "HEAD" ? "GET" : capture.method).toLowerCase();
  // Paths and methods the server has no route for are answered before any
  // operation: 404 and 405 by its router, 400 by the checks that come first
  // (API version, repeated headers). Any other answer there means a route
  // the document lacks.
  if (!route || !document.paths[route.template][method]) {
    const byRouter = route ? capture.status === 405 : [400, 404, 405].includes(capture.status);
    if (byRouter) {
      skipped += 1;
    } else {
      checked += 1;
      fail(capture, route ? "no documented operation for this method" : "path not documented");
    }
    continue;
  }
  capture.route = route.template;
  checked += 1;
  if (capture.status < 300) answered.add(`${method} ${route.template}`);
  const responses = document.paths[route.template][method].responses ?? {};
  const status = String(capture.status);
  const documented = responses[status] ?? responses[`${status[0]}XX`] ?? responses.default;
  const statusKey = responses[status] ? status : responses[`${status[0]}XX`] ? `${status[0]}XX` : "default";
  if (!documented) {
    fail(capture, "status not documented");
    continue;
  }
  if (capture.method === "HEAD" || capture.body === null) continue;
  const mediaType = capture.content_type.split(";")[0].trim().toLowerCase();
  let response = documented;
  if (response.$ref) {
    response = response.$ref.split("/").slice(1).reduce((node, part) => node[part.replaceAll("~1", "/").replaceAll("~0", "~")], document);
  }
  if (!response.content || !response.content[mediaType]) {
    fail(capture, `media type ${mediaType} not documented`);
    continue;
  }
  const validate = documented.$ref
      ? ajv.compile({ $ref: `openapi.json#${documented.$ref.slice(1)}/content/${pointer(mediaType)}/schema` })
      : validatorFor(route.template, method, statusKey, mediaType);
  if (!validate(capture.body)) {
    const errors = validate.errors.slice(0, 3).map((e) => `${e.instancePath || "/"} ${e.message}` +
        (e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : "")).join("; ");
    fail(capture, `body does not match the schema: ${errors}`);
  }
}

// An operation no test saw succeed has a success schema nobody checked.
const methods = ["get", "put", "post", "delete", "patch"];
const unchecked = Object.entries(document.paths).flatMap(([template, item]) =>
    methods.filter((m) => item[m] && !answered.has(`${m} ${template}`)).map((m) => `${m} ${template}`));
for (const operation of unchecked) {
  console.log(`FAIL ${operation.toUpperCase().split(" ")[0]} ${operation.split(" ")[1]}: no test saw it succeed`);
}

for (const [key, { count, example }] of failures) {
  console.log(`FAIL ${key} (${count}x; e.g. in test ${example.test}: ${JSON.stringify(example.body).slice(0, 300)})`);
}
const failed = [...failures.values()].reduce((sum, f) => sum + f.count, 0);
console.log(`checked ${checked} responses against ${documentPath}; ${skipped} answered by the router were skipped`);
console.log(`${checked - failed} passed, ${failed} failed`);
process.exit(failed > 0 || unchecked.length > 0 || checked === 0 ? 1 : 0);
