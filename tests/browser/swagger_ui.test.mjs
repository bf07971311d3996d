// Swagger UI in a real browser: Debian's Chromium, driven by playwright-core,
// against the real numberdesk binary. Run by ctest:
//
//   node --test tests/browser/swagger_ui.test.mjs
//
// with NUMBERDESK_BINARY (the binary), NUMBERDESK_SCREENSHOT (where to save a
// picture of the page) and optionally CHROMIUM (default /usr/bin/chromium).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const sourceDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const binary = process.env.NUMBERDESK_BINARY ?? join(sourceDir, "build", "numberdesk");
const screenshot = process.env.NUMBERDESK_SCREENSHOT ?? join(tmpdir(), "numberdesk-swagger.png");
const document = JSON.parse(readFileSync(join(sourceDir, "openapi", "openapi.json"), "utf8"));

let folder;
let server;
let baseUrl;
let tokens;
let browser;

// Starts "numberdesk serve" on a free port and resolves with its URL once it
// prints its listening line.
function startServer(dataDir) {
  return new Promise((resolve, reject) => {
    server = spawn(binary, ["serve", "--data-dir", dataDir, "--listen", "127.0.0.1:0",
                            "--log-level", "warn"], { stdio: ["ignore", "pipe", "inherit"] });
    const timer = setTimeout(() => reject(new Error("numberdesk did not start in 10 s")), 10000);
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const match = out.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.on("exit", (code) => reject(new Error(`numberdesk exited with ${code}`)));
  });
}

before(async () => {
  folder = mkdtempSync(join(tmpdir(), "numberdesk-browser-"));
  const dataDir = join(folder, "data");
  tokens = JSON.parse(execFileSync(binary, ["demo", "--data-dir", dataDir], { encoding: "utf8" }));
  baseUrl = await startServer(dataDir);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function openPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${baseUrl}/swagger/index.html`);
  await page.waitForSelector(".opblock", { timeout: 15000 });
  return page;
}

// The operation block of `method` `path`, expanded.
async function expand(page, method, path) {
  const block = page.locator(`.opblock-${method}`, {
    has: page.locator(`.opblock-summary-path[data-path="${path}"]`),
  });
  await block.locator(".opblock-summary").first().click();
  return block;
}

test("the page lists every documented operation", async () => {
  const page = await openPage();
  await page.screenshot({ path: screenshot, fullPage: true });
  const listed = new Set(await page.$$eval(".opblock", (blocks) => blocks.map((block) => {
    const method = block.querySelector(".opblock-summary-method")?.textContent.trim();
    const path = block.querySelector(".opblock-summary-path")?.getAttribute("data-path");
    return `${method} ${path}`;
  })));
  const documented = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ["get", "post", "put", "patch", "delete"]) {
      if (item[method]) documented.push(`${method.toUpperCase()} ${path}`);
    }
  }
  assert.ok(documented.length >= 20, `only ${documented.length} operations documented`);
  for (const operation of documented) assert.ok(listed.has(operation), `${operation} is not on the page`);
  assert.equal(listed.size, documented.length);
  await page.close();
});

test("Try it out on the regions list returns the regions", async () => {
  const page = await openPage();
  const block = await expand(page, "get", "/api/numbers/regions/{country_code}");
  await block.locator("button.try-out__btn").click();
  await block.locator('tr[data-param-name="country_code"] input').fill("CA");
  await block.locator("button.execute").click();
  const body = block.locator(".responses-wrapper .live-responses-table .response-col_description pre");
  await body.first().waitFor({ timeout: 10000 });
  const text = await body.first().textContent();
  const answer = JSON.parse(text);
  assert.equal(answer.country_code, "CA");
  assert.ok(answer.regions.some((region) => region.code === "QC" && region.name === "Quebec"),
            text.slice(0, 200));
  const status = await block.locator(".live-responses-table .response .response-col_status").first().textContent();
  assert.equal(status.trim(), "200");
  await page.close();
});

test("Try it out with a pasted token calls an authenticated endpoint", async () => {
  const page = await openPage();
  await page.locator("button.authorize").first().click();
  await page.locator(".auth-container input").first().fill(tokens.token);
  await page.locator(".auth-btn-wrapper button.authorize").click();
  await page.locator("button.btn-done").click();
  const block = await expand(page, "get", "/api/users");
  await block.locator("button.try-out__btn").click();
  await block.locator("button.execute").click();
  const body = block.locator(".live-responses-table .response-col_description pre");
  await body.first().waitFor({ timeout: 10000 });
  const answer = JSON.parse(await body.first().textContent());
  assert.ok(answer.users.some((user) => user.username === "jdoe"));
  await page.close();
});
