// Accessibility and validity of what readers get: axe-core in headless Chromium on the five
// kinds of page of the flagship handbook, in light and in dark mode; tabs remembered across pages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { build, launch, open, repo, serve } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const PAGES = ["", "frameworks/django/", "dimensions/routing/", "compare/routing/django/", "404.html"];

let server, browser;

before(async () => {
  const site = build(repo, ["--base-url", "/handbook/"]);
  server = await serve(site, "/handbook/");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

for (const scheme of ["light", "dark"]) {
  test(`axe finds no serious or critical violation in ${scheme} mode`, async () => {
    for (const path of PAGES) {
      const page = await open(browser, `${server.url}${path}`, { colorScheme: scheme });
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ["violations"] });
        return result.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id}: ${v.help} (${v.nodes.length}x, e.g. ${v.nodes[0].target.join(" ")})`);
      });
      assert.deepEqual(violations, [], `${path || "home"} (${scheme})`);
      assert.deepEqual(page.problems, [], `${path || "home"} (${scheme})`);
      await page.close();
    }
  });
}

test("no flagship page overflows horizontally at 390 px, except inside code blocks", async () => {
  for (const path of PAGES.concat(["dimensions/performance/", "dimensions/auth/"])) {
    const page = await open(browser, `${server.url}${path}`, { viewport: { width: 390, height: 844 } });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `${path || "home"} is ${wide}px wide`);
    await page.close();
  }
});

test("the remembered tab is applied before the page is shown (no layout shift)", async () => {
  const chooser = await open(browser, `${server.url}dimensions/routing/`);
  await chooser.getByRole("tab", { name: "Go (net/http, Chi, Gin)" }).click();
  await chooser.close();
  const page = await open(browser, `${server.url}dimensions/middleware/`);
  await page.waitForLoadState("load");
  const shifts = await page.evaluate(() => new Promise((ok) => {
    const found = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (!e.hadRecentInput) found.push({ value: e.value, nodes: e.sources.map((s) => s.node?.nodeName + "." + (s.node?.className ?? "")) });
      }
    }).observe({ type: "layout-shift", buffered: true });
    setTimeout(() => ok(found), 300);
  }));
  const total = shifts.reduce((sum, s) => sum + s.value, 0);
  assert.ok(total < 0.01, `cumulative layout shift ${total}: ${JSON.stringify(shifts)}`);
  assert.equal(await page.getByRole("tab", { name: "Go (net/http, Chi, Gin)" }).getAttribute("aria-selected"), "true");
  await page.close();
});

test("a framework chosen in one tab group is chosen on the next dimension page too", async () => {
  const page = await open(browser, `${server.url}dimensions/routing/`);
  await page.getByRole("tab", { name: "Django" }).click();
  await page.goto(`${server.url}dimensions/middleware/`);
  const django = page.getByRole("tab", { name: "Django" });
  assert.equal(await django.getAttribute("aria-selected"), "true");
  assert.equal(await page.locator("#hb-panel-django").isVisible(), true);
  assert.equal(await page.locator("#hb-panel-express").isVisible(), false);
  await page.close();
});

test("without JavaScript every sample is shown, each labelled", async () => {
  const context = await browser.browser()?.newContext({ javaScriptEnabled: false });
  const page = context ? await context.newPage() : await browser.newPage();
  await page.goto(`${server.url}dimensions/routing/`);
  const panels = page.locator(".tabpanel");
  assert.equal(await panels.count(), 9);
  for (let i = 0; i < 9; i++) {
    assert.equal(await panels.nth(i).isVisible(), true);
    assert.equal(await panels.nth(i).locator(".tab-label").isVisible(), true);
  }
  await page.close();
});

test("the matrix shows a cell's level and summary on keyboard focus, and names the link with them", async () => {
  const page = await open(browser, server.url);
  const link = page.locator(".matrix td a").first();
  const tip = link.locator("small");
  const width = async () => (await tip.boundingBox()).width;
  assert.ok(await width() <= 1, "the summary is hidden until hover or focus");
  await link.focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  assert.ok(await width() > 100, "keyboard focus shows the summary");
  const name = await link.evaluate((a) => a.textContent);
  assert.match(name, /^minimal, unopinionated \(minimal\): Minimal and unopinionated/, name);
  await page.close();
});
