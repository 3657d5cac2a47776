// The "X vs Y" pages of the flagship: one per pair of frameworks, reachable from the framework
// pages, the picker, the sitemap and search; titled for the query readers type; every link
// resolves; both sides in two columns on a wide screen and stacked on a phone; valid and
// accessible in light and dark. Screenshots go to e2e/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, launch, open, repo, serve } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const VNU = join(repo, "e2e", "node_modules", "vnu-jar", "build", "dist", "vnu.jar");
const SHOTS = join(repo, "e2e", "screenshots");

let site, server, browser;

before(async () => {
  site = build(repo, ["--base-url", "/handbook/"]);
  server = await serve(site, "/handbook/");
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const pairs = () => readdirSync(join(site, "vs")).sort();
const frameworks = () => readdirSync(join(site, "frameworks")).sort();

test("every pair of frameworks has its page, linked from both framework pages", () => {
  const fws = frameworks();
  assert.equal(pairs().length, fws.length * (fws.length - 1) / 2);
  for (const fw of fws) {
    const html = readFileSync(join(site, "frameworks", fw, "index.html"), "utf8");
    const linked = [...html.matchAll(/href="\/handbook\/vs\/([^/"]+)\/"/g)].map((m) => m[1]);
    assert.equal(linked.length, fws.length - 1, `${fw} links every other framework`);
    for (const p of linked) assert.ok(pairs().includes(p), `${fw}: vs/${p}/ exists`);
    assert.match(html, /Compare [^<]+ with <a href/);
  }
});

test("the pair pages are in the search index and not in print.html", () => {
  const fragments = readdirSync(join(site, "search", "f"))
    .map((f) => readFileSync(join(site, "search", "f", f), "utf8")).join("");
  for (const p of pairs()) assert.ok(fragments.includes(`vs/${p}/`), `search knows vs/${p}/`);
  assert.ok(!readFileSync(join(site, "print.html"), "utf8").includes("/vs/"));
});

test("search answers \"django vs fastapi\" with their pair page first", async () => {
  const page = await open(browser, server.url);
  await page.locator("#hb-search-input").focus();
  await page.keyboard.type("django vs fastapi");
  const first = page.locator('#hb-search-results [role="option"]').first();
  await first.waitFor();
  const text = await first.textContent();
  assert.match(text, /FastAPI vs Django|Django vs FastAPI/);
  await page.close();
});

test("every pair page is titled X vs Y, says what the two differ on, and its links resolve", () => {
  const seen = new Map();
  for (const p of pairs()) {
    const html = readFileSync(join(site, "vs", p, "index.html"), "utf8");
    assert.match(html, /<title>[^<]+ vs [^<]+ · /, p);
    assert.match(html, /<meta name="description" content="[^"]+ compared on \d+ dimensions[^"]*">/, p);
    for (const m of html.matchAll(/(?:href|src)="(\/handbook\/[^"#?]*)/g)) {
      const path = m[1].slice("/handbook/".length);
      if (!seen.has(path)) seen.set(path, existsSync(join(site, path, path === "" || path.endsWith("/") ? "index.html" : "")));
      assert.ok(seen.get(path), `${p}: ${m[1]}`);
    }
    for (const m of html.matchAll(/href="#([^"]+)"/g)) assert.ok(html.includes(`id="${m[1]}"`), `${p}: #${m[1]}`);
  }
  const sitemap = existsSync(join(site, "sitemap.xml")) ? readFileSync(join(site, "sitemap.xml"), "utf8") : null;
  if (sitemap) for (const p of pairs()) assert.ok(sitemap.includes(`/vs/${p}/`), `sitemap has vs/${p}/`);
});

test("the picker links the pair page of two chosen frameworks, still there after a reload", async () => {
  const page = await open(browser, server.url, { viewport: { width: 1280, height: 800 } });
  await page.evaluate(() => localStorage.removeItem("hb-compare"));
  await page.reload();
  await page.getByRole("checkbox", { name: "Django" }).check();
  await page.getByRole("checkbox", { name: "FastAPI" }).check();
  const link = page.getByRole("link", { name: "FastAPI vs Django" });
  assert.equal(await link.getAttribute("href"), "/handbook/vs/fastapi-django/");
  await page.reload();
  await link.click();
  await page.waitForURL(/\/vs\/fastapi-django\/$/);
  assert.equal(await page.title(), "FastAPI vs Django · Backend Frameworks Handbook");
  assert.deepEqual(page.problems, []);
  await page.evaluate(() => localStorage.removeItem("hb-compare"));
  await page.close();
});

test("both sides sit in two columns at 1280 px and stack at 390 px, without overflow", async () => {
  for (const [width, columns] of [[1280, 2], [390, 1]]) {
    for (const scheme of ["light", "dark"]) {
      const page = await open(browser, `${server.url}vs/fastapi-django/`, { viewport: { width, height: 900 }, colorScheme: scheme });
      const xs = await page.$$eval(".pair-row:first-of-type .pair-side", (s) => s.map((e) => Math.round(e.getBoundingClientRect().x)));
      assert.equal(new Set(xs).size, columns, `${width}px: ${xs}`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= width, `${width}px: the page is ${wide}px wide`);
      await page.screenshot({ path: join(SHOTS, `pair-${width}-${scheme}.png`) });
      await page.close();
    }
  }
});

for (const scheme of ["light", "dark"]) {
  test(`axe finds no serious violation on a pair page (${scheme})`, async () => {
    const page = await open(browser, `${server.url}vs/fastapi-django/`, { colorScheme: scheme });
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ["violations"] });
      return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.help} (${v.nodes.length}x, e.g. ${v.nodes[0].target.join(" ")})`);
    });
    assert.deepEqual(violations, []);
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}

/** Runs the Nu checker; it exits non-zero and prints the errors when a file is invalid. */
function nu(...paths) {
  try {
    execFileSync("java", ["-jar", VNU, "--skip-non-html", "--errors-only", ...paths], { encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    assert.fail(`${e.stderr}${e.stdout}`);
  }
}

test("the Nu checker finds no error on the home page and the pair pages", () => {
  nu(join(site, "index.html"), join(site, "vs"));
});

test("the Nu checker finds no error in the page with its search panel open", async () => {
  const page = await open(browser, server.url);
  await page.locator("#hb-search-input").focus();
  await page.keyboard.type("routing");
  await page.locator('#hb-search-results [role="option"]').first().waitFor();
  await page.keyboard.press("ArrowDown");
  const html = "<!DOCTYPE html>\n" + await page.evaluate(() => document.documentElement.outerHTML);
  await page.close();
  const dir = mkdtempSync(join(tmpdir(), "hb-nu-"));
  writeFileSync(join(dir, "search-open.html"), html);
  nu(join(dir, "search-open.html"));
});
