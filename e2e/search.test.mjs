// Search as a reader uses it: on the flagship handbook served under /handbook/ and on the search
// fixture (a hostile title). Typing, typos, facets, keyboard, links that land on their heading,
// the file:// message, accessibility of the open panel, and the weight search adds to a page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, copyFixture, launch, open, repo, serve } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");

let flagship, fixture, site, browser;

before(async () => {
  site = build(repo, ["--base-url", "/handbook/"]);
  flagship = await serve(site, "/handbook/");
  fixture = await serve(build(copyFixture("search")), "/");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await flagship?.close();
  await fixture?.close();
});

/** Types `query` into the search box of `page` and waits for the results that answer it. */
async function search(page, query) {
  await page.locator("#hb-search-input").fill("");
  await page.locator("#hb-search-input").focus();
  await page.keyboard.type(query);
  await page.locator(`#hb-search-results[data-query="${query}"]`).waitFor({ state: "attached" });
  return page.$$eval('#hb-search-results [role="option"]', (options) => options.map((o) => ({
    href: o.dataset.href,
    title: o.querySelector(".search-result-title").textContent,
    facets: o.querySelector(".search-result-facets")?.textContent ?? "",
    marks: Array.from(o.querySelectorAll("mark"), (m) => m.textContent.toLowerCase()),
  })));
}

test("dependency injection: the dimension page and NestJS's cell are in the top five", async () => {
  const page = await open(browser, `${flagship.url}`);
  const results = await search(page, "dependency injection");
  const top = results.slice(0, 5).map((r) => r.href);
  assert.ok(top.some((h) => h.endsWith("/handbook/dimensions/dependency-injection/")), top.join("\n"));
  assert.ok(top.some((h) => h.startsWith("/handbook/compare/dependency-injection/nestjs/")), top.join("\n"));
  assert.match(await page.locator("#hb-search-status").textContent(), /^\d[\d,]*\+? results$/);
  assert.ok(results[0].marks.includes("dependency"), "matched words are highlighted");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a misspelt word still finds what was meant", async () => {
  const page = await open(browser, `${flagship.url}`);
  const results = await search(page, "middlewear");
  assert.ok(results.length > 0, "results for middlewear");
  assert.ok(results.slice(0, 5).every((r) => r.marks.some((m) => m.startsWith("middleware"))), JSON.stringify(results.slice(0, 5)));
  assert.ok(results[0].href.includes("middleware"), results[0].href);
  await page.close();
});

test("choosing the framework Django leaves only Django's results", async () => {
  const page = await open(browser, `${flagship.url}`);
  const all = await search(page, "middleware");
  assert.ok(all.some((r) => !r.facets.startsWith("Django")), "other frameworks before filtering");
  const chip = page.locator(".search-facet[aria-label=Framework] .search-chip", { hasText: /^Django \d+$/ });
  const count = Number((await chip.locator(".search-chip-count").textContent()).trim());
  await chip.click();
  await page.waitForFunction(() => document.querySelector('.search-chip[aria-pressed="true"]'));
  await page.waitForFunction((n) => document.getElementById("hb-search-status").textContent.startsWith(`${n} result`), count);
  const filtered = await page.$$eval('#hb-search-results [role="option"]', (o) => o.map((x) => [x.dataset.href, x.querySelector(".search-result-facets")?.textContent ?? ""]));
  assert.ok(filtered.length > 0);
  for (const [href, facets] of filtered) {
    assert.ok(facets.startsWith("Django"), `${href}: ${facets}`);
    assert.ok(/\/(django|frameworks\/django)\//.test(href), href);
  }
  assert.equal(await page.locator("#hb-search-input").evaluate((e) => e === document.activeElement), true, "focus stays in the box");
  await page.close();
});

test("clicking a result lands on the heading it matched", async () => {
  const page = await open(browser, `${flagship.url}`);
  const results = await search(page, "csrf");
  const index = results.findIndex((r) => r.href.includes("#"));
  assert.ok(index >= 0, JSON.stringify(results));
  const href = results[index].href;
  await page.locator('#hb-search-results [role="option"]').nth(index).click();
  await page.waitForURL((url) => url.href.endsWith(href));
  const id = decodeURIComponent(href.split("#")[1]);
  assert.equal(await page.evaluate((id) => !!document.getElementById(id), id), true, `#${id} exists`);
  assert.notEqual(await page.title(), "Page not found · Backend Frameworks Handbook");
  const top = await page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, id);
  // Layout lands on fractions of a pixel (fonts, DPI rounding): "at the top" is within a pixel.
  assert.ok(top > -1 && top < 400, `the heading is in view (top ${top}; a pixel of rounding is tolerated)`);
  await page.close();
});

test("under --base-url every result link opens a page with its anchor (no 404)", async () => {
  const page = await open(browser, `${flagship.url}frameworks/go/`);
  const hrefs = new Set();
  for (const q of ["routing", "orm", "jwt", "deploy docker", "websocket", "validation pydantic"]) {
    for (const r of await search(page, q)) hrefs.add(r.href);
  }
  assert.ok(hrefs.size >= 30, `${hrefs.size} links checked`);
  for (const href of hrefs) {
    assert.ok(href.startsWith("/handbook/"), href);
    const [path, id] = href.split("#");
    const response = await page.request.get(new URL(path, flagship.url).href);
    assert.equal(response.status(), 200, href);
    if (id) assert.ok((await response.text()).includes(`id="${id}"`), href);
  }
  await page.close();
});

test("the keyboard: / focuses, arrows move, Enter opens, Esc closes", async () => {
  const page = await open(browser, `${flagship.url}`);
  await page.locator("body").click({ position: { x: 5, y: 300 } });
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "hb-search-input");
  await page.keyboard.type("routing");
  await page.locator('#hb-search-results[data-query="routing"]').waitFor({ state: "attached" });
  const input = page.locator("#hb-search-input");
  assert.equal(await input.getAttribute("aria-expanded"), "true");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  assert.equal(await input.getAttribute("aria-activedescendant"), "hb-search-result-1");
  assert.equal(await page.locator("#hb-search-result-1").getAttribute("aria-selected"), "true");
  await page.keyboard.press("Escape");
  assert.equal(await input.getAttribute("aria-expanded"), "false");
  assert.equal(await page.locator("#hb-search-panel").isVisible(), false);
  await page.keyboard.press("ArrowDown");
  assert.equal(await input.getAttribute("aria-expanded"), "true", "the arrow opens the panel again");
  const active = await input.getAttribute("aria-activedescendant");
  const href = await page.locator(`#${active}`).getAttribute("data-href");
  await Promise.all([page.waitForURL((url) => url.href.endsWith(href), { waitUntil: "commit" }), page.keyboard.press("Enter")]);
  // Closing a page whose navigation has only committed can hang Chromium's close: let it load.
  await page.waitForLoadState("load");
  await page.close();
});

test("s focuses the box too, but not while typing elsewhere", async () => {
  const page = await open(browser, `${flagship.url}`);
  await page.keyboard.press("s");
  assert.equal(await page.evaluate(() => document.activeElement.id), "hb-search-input");
  await page.keyboard.type("so");
  assert.equal(await page.locator("#hb-search-input").inputValue(), "so");
  await page.close();
});

test("nothing matched says so", async () => {
  const page = await open(browser, `${flagship.url}`);
  assert.deepEqual(await search(page, "zzqxv"), []);
  assert.match(await page.locator("#hb-search-status").textContent(), /Nothing matched “zzqxv”/);
  await page.close();
});

test("a title that is markup is shown as text, never run", async () => {
  const page = await open(browser, `${fixture.url}`);
  let dialogs = 0;
  page.on("dialog", (d) => { dialogs++; d.dismiss(); });
  const results = await search(page, "quirkafloon");
  assert.equal(results.length, 2);
  assert.equal(results[0].title, "<img src=x onerror=alert(1)>");
  assert.equal(await page.locator("#hb-search-panel img").count(), 0);
  assert.equal(await page.locator("#hb-search-panel b").count(), 0);
  assert.equal(dialogs, 0);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("from file:// the box explains that search needs the site served", async () => {
  const page = await open(browser, pathToFileURL(join(site, "index.html")).href);
  await page.locator("#hb-search-input").focus();
  await page.keyboard.type("routing");
  const note = page.locator("#hb-search-panel");
  await note.waitFor();
  assert.match(await note.textContent(), /served over HTTP.*handbook serve/);
  assert.equal(await note.isVisible(), true);
  await page.close();
});

for (const scheme of ["light", "dark"]) {
  test(`the open panel passes axe and fits a 390 px screen (${scheme})`, async () => {
    const page = await open(browser, `${flagship.url}dimensions/routing/`, { viewport: { width: 390, height: 844 }, colorScheme: scheme });
    await search(page, "middleware");
    await page.keyboard.press("ArrowDown");
    const box = await page.locator("#hb-search-panel").boundingBox();
    assert.ok(box.x > -1 && box.x + box.width < 391, `panel at ${box.x}..${box.x + box.width} (a pixel of rounding is tolerated)`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run("#hb-search", { resultTypes: ["violations"] });
      return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} e.g. ${v.nodes[0].target.join(" ")}`);
    });
    assert.deepEqual(violations, []);
    await page.close();
  });
}

test("search adds little to a page: every flagship page stays under 100 KB before it is used", async () => {
  const pages = ["", "frameworks/django/", "dimensions/auth/", "dimensions/performance/", "compare/routing/django/", "404.html"];
  for (const path of pages) {
    const page = await browser.newPage();
    let bytes = 0;
    const urls = [];
    page.on("response", async (r) => {
      urls.push(r.url());
      try { bytes += (await r.body()).length; } catch { /* redirects have no body */ }
    });
    await page.goto(`${flagship.url}${path}`);
    await page.waitForLoadState("networkidle");
    assert.ok(!urls.some((u) => /search\.[0-9a-f]+\.js|\/search\//.test(u)), `${path}: search loads on first use only`);
    assert.ok(bytes < 100 * 1024, `${path || "home"}: ${bytes} bytes`);
    await page.close();
  }
  const html = readFileSync(join(site, "index.html"), "utf8");
  assert.match(html, /data-js="\/handbook\/assets\/search\.[0-9a-f]{10}\.js"/);
});

test("each result is a real link: a middle-click opens it in a new page", async () => {
  const page = await open(browser, flagship.url, { viewport: { width: 1280, height: 800 } });
  await search(page, "routing");
  const link = page.locator('#hb-search-results a[role="option"]').first();
  const href = await link.getAttribute("href");
  assert.match(href, /^\/handbook\/.+/);
  assert.equal(await link.getAttribute("tabindex"), "-1", "the input keeps the focus");
  assert.equal(await link.evaluate((a) => a.parentElement.getAttribute("role")), "none");
  const opened = page.context().waitForEvent("page");
  await link.click({ button: "middle" });
  const other = await opened;
  await other.waitForLoadState();
  assert.equal(new URL(other.url()).pathname + new URL(other.url()).hash, href);
  assert.equal(new URL(page.url()).pathname, "/handbook/", "the searching page stays");
  await other.close();
  await page.close();
});

test("facet chips take one row, so the first results show without scrolling at 1280 x 800", async () => {
  const page = await open(browser, flagship.url, { viewport: { width: 1280, height: 800 } });
  await search(page, "test");
  const chips = await page.locator(".search-chips").boundingBox();
  assert.ok(chips.height < 50, `the chips are ${chips.height}px high`);
  const options = page.locator('#hb-search-results [role="option"]');
  const third = await options.nth(2).boundingBox();
  assert.ok(third.y + third.height <= 800, `the third result ends at ${third.y + third.height}px`);
  mkdirSync(join(repo, "e2e", "screenshots"), { recursive: true });
  await page.screenshot({ path: join(repo, "e2e", "screenshots", "search-1280-light.png") });
  await page.close();
});
