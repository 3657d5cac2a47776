// The home page's matrix as a reader meets it: verdicts in the cells, a legend for each scale,
// all nine columns without scrolling sideways at 1280 px, cards on a phone, and the picker that
// narrows the matrix to the frameworks chosen and remembers them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { build, launch, open, repo, serve } from "./lib.mjs";

let server, browser;
const shots = join(repo, "e2e", "screenshots");

before(async () => {
  const site = build(repo, ["--base-url", "/handbook/"]);
  server = await serve(site, "/handbook/");
  browser = await launch();
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("cells show verdicts, rows with a scale show their legend", async () => {
  const page = await open(browser, server.url);
  const first = page.locator(".matrix tbody tr").first();
  const cells = first.locator("td");
  assert.equal(await cells.count(), 9);
  const visible = await cells.first().locator("a").evaluate((a) => a.firstChild.textContent);
  assert.equal(visible, "minimal, unopinionated");
  const legend = first.locator("th .legend li");
  assert.ok(await legend.count() >= 2, "the philosophy row has a legend");
  assert.equal(await legend.first().textContent(), "minimal");
  // Every cell shows a short answer, never the framework's name again.
  const texts = await page.locator(".matrix td a").evaluateAll((as) => as.map((a) => a.firstChild.textContent));
  assert.ok(texts.every((t) => t.length > 0 && t.length <= 41), texts.find((t) => t.length > 41));
  assert.deepEqual(page.problems, []);
  await page.close();
});

for (const scheme of ["light", "dark"]) {
  test(`all nine columns fit at 1280 px without a sideways scroll (${scheme})`, async () => {
    const page = await open(browser, server.url, { viewport: { width: 1280, height: 800 }, colorScheme: scheme });
    const wrap = page.locator(".matrix-wrap");
    const { scroll, client } = await wrap.evaluate((w) => ({ scroll: w.scrollWidth, client: w.clientWidth }));
    assert.ok(scroll <= client + 1, `the matrix is ${scroll}px wide in a ${client}px box (a pixel of rounding is tolerated)`);
    const last = await page.locator(".matrix thead th").last().boundingBox();
    assert.ok(last.x + last.width <= 1281, `the last column ends at ${last.x + last.width}`);
    await page.evaluate(() => document.getElementById("hb-matrix").scrollIntoView());
    await page.screenshot({ path: join(shots, `home-1280-${scheme}.png`) });
    await page.goto(`${server.url}dimensions/routing/`);
    await page.screenshot({ path: join(shots, `dimension-1280-${scheme}.png`) });
    await page.close();
  });

  test(`on a phone the matrix is one card per dimension, without overflow (${scheme})`, async () => {
    const page = await open(browser, server.url, { viewport: { width: 390, height: 844 }, colorScheme: scheme });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
    const header = await page.locator(".site-header").boundingBox();
    assert.ok(header.height <= 112, `the header is ${header.height}px high: at most two rows`);
    const row = page.locator(".matrix tbody tr").first();
    const box = await row.boundingBox();
    assert.ok(box.x > -1 && box.x + box.width < 391, `card at ${box.x}..${box.x + box.width}`);
    const label = await row.locator("td").first().evaluate((td) => getComputedStyle(td, "::before").content);
    assert.equal(label, '"Express"', "each line of a card names its framework");
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, `home-390-${scheme}.png`) });
    await page.goto(`${server.url}dimensions/routing/`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
    await page.screenshot({ path: join(shots, `dimension-390-${scheme}.png`) });
    await page.close();
  });
}

test("the picker narrows the matrix to the chosen frameworks and remembers them", async () => {
  const page = await open(browser, server.url);
  const pick = page.locator("#hb-pick");
  assert.equal(await pick.isVisible(), true, "with JavaScript the picker shows");
  const columns = () => page.locator(".matrix thead th:not([hidden])").count();
  assert.equal(await columns(), 10, "nothing chosen: every framework shows");
  await pick.getByLabel("Django").check();
  assert.equal(await columns(), 10, "one framework alone does not narrow the matrix");
  await pick.getByLabel("FastAPI").check();
  assert.equal(await columns(), 3);
  assert.equal(await page.locator(".matrix tbody tr").first().locator("td:not([hidden])").count(), 2);
  await page.reload();
  assert.equal(await columns(), 3, "the choice is remembered");
  assert.equal(await pick.getByLabel("Django").isChecked(), true);
  const headers = await page.locator(".matrix thead th:not([hidden])").allTextContents();
  assert.deepEqual(headers, ["Dimension", "FastAPI", "Django"]);
  await pick.getByRole("button", { name: "Show all" }).click();
  assert.equal(await columns(), 10);
  await page.close();
});

test("without JavaScript every column shows and the picker stays hidden", async () => {
  const context = await browser.browser()?.newContext({ javaScriptEnabled: false });
  if (!context) return;
  const page = await context.newPage();
  await page.goto(server.url);
  assert.equal(await page.locator("#hb-pick").isVisible(), false);
  assert.equal(await page.locator(".matrix thead th").count(), 10);
  await context.close();
});

test("the dimension page opens with each framework's verdict", async () => {
  const page = await open(browser, `${server.url}dimensions/philosophy/`);
  const items = page.locator(".verdicts li");
  assert.equal(await items.count(), 9);
  assert.match(await items.first().textContent(), /^Expressminimal, unopinionated/);
  await items.first().locator("a").click();
  await page.waitForURL(/#express$/);
  await page.close();
});
