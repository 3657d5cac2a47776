// Measures search in headless Chromium on a built site: the bytes a browser downloads after a
// page has loaded to answer its first query (typed key by key, as a reader types), and the time
// from the last keystroke of each query to its results on screen. Prints the numbers.
//   node bench/search.mjs SITE_DIR PAGE_PATH "first query" ["more queries"...]
// Needs e2e/node_modules (npm ci in e2e/) and Debian's chromium.
import { serve, launch } from "../e2e/lib.mjs";

const [site, path, ...queries] = process.argv.slice(2);
const KEY_DELAY = 60; // ms between keystrokes: a fast typist

const server = await serve(site, "/");
const browser = await launch();
const page = await browser.newPage();
await page.goto(server.url + path);
await page.waitForLoadState("networkidle");

let bytes = 0;
const files = [];
page.on("requestfinished", async (request) => {
  const sizes = await request.sizes();
  const size = sizes.responseBodySize + sizes.responseHeadersSize;
  bytes += size;
  files.push([new URL(request.url()).pathname, size]);
});
// When each query's results are painted: the list says which query it answers.
await page.evaluate(() => {
  window.hbTimes = {};
  let lastKey = 0;
  document.addEventListener("keydown", () => { lastKey = performance.now(); }, true);
  new MutationObserver(() => {
    const list = document.getElementById("hb-search-results");
    const query = list?.dataset.query;
    if (query && !(query in window.hbTimes)) {
      requestAnimationFrame(() => { window.hbTimes[query] = performance.now() - lastKey; });
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-query"] });
});

const input = page.locator("#hb-search-input");
for (const [i, query] of queries.entries()) {
  await input.fill("");
  await input.focus();
  await page.keyboard.type(query, { delay: KEY_DELAY });
  await page.waitForFunction((q) => q in window.hbTimes, query, { timeout: 30000 });
  if (i === 0) {
    await page.waitForLoadState("networkidle");
    await new Promise((ok) => setTimeout(ok, 500));
    const status = await page.locator("#hb-search-status").textContent();
    console.log(`first query "${query}": ${status}; ${(bytes / 1024).toFixed(1)} KB downloaded in ${files.length} files`);
    for (const [file, size] of files) console.log(`  ${(size / 1024).toFixed(1).padStart(7)} KB  ${file}`);
  }
  const ms = await page.evaluate((q) => window.hbTimes[q], query);
  const status = await page.locator("#hb-search-status").textContent();
  console.log(`"${query}": results on screen ${ms.toFixed(0)} ms after the last keystroke (${status})`);
}
await browser.close();
await server.close();
