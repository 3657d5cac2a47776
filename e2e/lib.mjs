// Shared helpers for the end-to-end tests: build a handbook with the real binary, serve it under
// a base path on loopback, and drive Debian's Chromium through playwright-core.
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readFileSync, statSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const fixtures = join(repo, "tests", "fixtures");

/** The handbook binary, built once per test run (release if present and newer, else debug). */
export function handbookBin() {
  if (!process.env.HANDBOOK_BIN) {
    execFileSync("cargo", ["build", "--quiet"], { cwd: repo, stdio: "inherit" });
    process.env.HANDBOOK_BIN = join(repo, "target", "debug", "handbook");
  }
  return process.env.HANDBOOK_BIN;
}

/** Runs `handbook <args...>`; returns { status, stdout, stderr }. */
export function handbook(args, options = {}) {
  try {
    const stdout = execFileSync(handbookBin(), args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });
    return { status: 0, stdout, stderr: "" };
  } catch (e) {
    return { status: e.status, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** A writable copy of a fixture handbook. */
export function copyFixture(name) {
  const dir = mkdtempSync(join(tmpdir(), `hb-${name}-`));
  cpSync(join(fixtures, name), dir, { recursive: true });
  return dir;
}

/** Builds the handbook at `root` into a fresh folder; returns that folder. */
export function build(root, extra = []) {
  const out = join(mkdtempSync(join(tmpdir(), "hb-site-")), "site");
  const r = handbook(["build", "--root", root, "--out", out, ...extra]);
  if (r.status !== 0) throw new Error(`handbook build failed:\n${r.stderr}`);
  return out;
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".mjs": "text/javascript",
  ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".wasm": "application/wasm",
  ".xml": "application/xml", ".txt": "text/plain", ".pdf": "application/pdf",
};

/**
 * Serves `dir` on 127.0.0.1 under `base` (e.g. "/handbook/"), the way GitHub Pages serves a
 * project site: anything outside `base` is a 404, folders answer with their index.html.
 */
export async function serve(dir, base = "/") {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(base)) return notFound(res);
    let file = normalize(join(dir, path.slice(base.length)));
    if (!file.startsWith(dir)) return notFound(res);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) return notFound(res);
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
    function notFound(res) {
      const page = join(dir, "404.html");
      res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
      res.end(existsSync(page) ? readFileSync(page) : "not found");
    }
  });
  function notFound(res) {
    res.writeHead(404);
    res.end("not found");
  }
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}${base}`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

/**
 * Headless Debian Chromium with the flags this machine needs, and a fresh profile. Rendering is
 * pinned so that layout does not depend on the machine: English locale, UTC, one device pixel
 * per CSS pixel. (Fonts are pinned by scripts/setup.sh, which installs fonts-dejavu-core.)
 */
export async function launch() {
  const userDataDir = mkdtempSync(join(tmpdir(), "hb-chromium-"));
  const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    throw new Error(`the browser tests need Chromium at ${executablePath} (Debian's chromium; ` +
      "bash scripts/setup.sh installs it, or set CHROMIUM to another build)");
  }
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic", "--lang=en-US", "--force-device-scale-factor=1"],
    locale: "en-US",
    timezoneId: "UTC",
    deviceScaleFactor: 1,
    env: { ...process.env, TZ: "UTC", LANG: "en_US.UTF-8" },
  });
  return context;
}

/**
 * Opens `url` in a new page (options: `viewport`, `colorScheme`) that records console errors,
 * page errors and failed requests in `page.problems`.
 */
export async function open(context, url, options = {}) {
  const page = await context.newPage();
  if (options.viewport) await page.setViewportSize(options.viewport);
  if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
  page.problems = [];
  page.on("console", (m) => { if (m.type() === "error") page.problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => page.problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    const why = r.failure()?.errorText ?? "";
    // A reload or navigation cancels the requests still in flight (the favicon, say): that is
    // the browser's doing, not a failure of the site.
    if (why === "net::ERR_ABORTED") return;
    page.problems.push(`request failed: ${r.url()} (${why})`);
  });
  await page.goto(url);
  return page;
}
