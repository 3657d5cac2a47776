// What a reader sees in the default theme: tabs that switch and remember, the colour scheme
// toggle, nothing overflowing on a phone, no console errors.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { build, copyFixture, launch, open, serve } from "./lib.mjs";

let site, server, browser;

before(async () => {
  site = build(copyFixture("good"), ["--base-url", "/handbook/"]);
  server = await serve(site, "/handbook/");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("clicking a tab shows that framework's sample and the choice persists", async () => {
  const page = await open(browser, `${server.url}dimensions/routing/`);
  const beta = page.getByRole("tab", { name: "Beta" });
  await beta.click();
  assert.equal(await beta.getAttribute("aria-selected"), "true");
  assert.equal(await page.locator("#hb-panel-beta").isVisible(), true);
  assert.equal(await page.locator("#hb-panel-alpha").isVisible(), false);
  await page.reload();
  assert.equal(await page.getByRole("tab", { name: "Beta" }).getAttribute("aria-selected"), "true");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("arrow keys move between tabs", async () => {
  const page = await open(browser, `${server.url}dimensions/routing/`);
  await page.getByRole("tab", { name: "Alpha" }).click();
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.getByRole("tab", { name: "Beta" }).getAttribute("aria-selected"), "true");
  await page.close();
});

test("the colour-scheme toggle switches and is remembered", async () => {
  const page = await open(browser, `${server.url}`, { colorScheme: "light" });
  const before = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.locator("#hb-theme-toggle").click();
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(before, dark);
  await page.goto(`${server.url}frameworks/alpha/`);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), dark);
  await page.locator("#hb-theme-toggle").click();
  await page.close();
});

test("code is highlighted, in the light and the dark scheme", async () => {
  const colours = async (scheme) => {
    const page = await open(browser, `${server.url}compare/routing/alpha/`, { colorScheme: scheme });
    // The scheme the system asks for, not one a reader chose with the toggle in another test.
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    const found = await page.evaluate(() => {
      const block = document.querySelector("pre.hl-code");
      const spans = [...block.querySelectorAll("span")].map((s) => getComputedStyle(s).color);
      return { text: getComputedStyle(block).color, spans };
    });
    await page.close();
    return found;
  };
  const light = await colours("light");
  const dark = await colours("dark");
  for (const [scheme, found] of [["light", light], ["dark", dark]]) {
    assert.ok(found.spans.length > 0, `${scheme}: the sample has highlighted spans`);
    assert.ok(found.spans.some((c) => c !== found.text), `${scheme}: some token has its own colour`);
  }
  assert.notDeepEqual(light.spans, dark.spans, "each scheme has its own colours");
});

test("nothing overflows horizontally at 390 px, except inside code blocks", async () => {
  for (const path of ["", "frameworks/alpha/", "dimensions/routing/", "compare/routing/alpha/", "404.html"]) {
    const page = await open(browser, `${server.url}${path}`, { viewport: { width: 390, height: 844 } });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `${path || "home"} is ${wide}px wide`);
    assert.deepEqual(page.problems, [], path);
    await page.close();
  }
});
