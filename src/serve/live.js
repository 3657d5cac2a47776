// handbook serve: live reload and the error overlay. Injected into served pages only, never
// into `handbook build` output.
(() => {
  const scrollKey = `handbook-serve-scroll:${location.pathname}`;
  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    const restore = () => window.scrollTo({ top: Number(saved), behavior: "instant" });
    if (document.readyState === "complete") restore();
    else window.addEventListener("load", restore, { once: true });
  }

  const OVERLAY = "handbook-serve-overlay";

  /** Shows every error of the last rebuild, or removes the overlay when there are none. */
  function show(errors) {
    document.getElementById(OVERLAY)?.remove();
    if (!errors.length) return;
    const box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,20,.94);color:#f3f3f3;font:14px/1.5 ui-monospace,monospace";
    const title = document.createElement("h2");
    title.textContent = `${errors.length} problem${errors.length === 1 ? "" : "s"}: the last good version is shown until they are fixed`;
    title.style.cssText = "margin:0 0 1rem;color:#ff8a80;font-size:1.1rem";
    box.append(title);
    for (const e of errors) {
      const item = document.createElement("pre");
      item.className = "handbook-serve-error";
      item.style.cssText = "white-space:pre-wrap;margin:0 0 1rem;padding:1rem;background:#2a2a2a;border-left:4px solid #ff5252";
      const where = e.line ? `${e.file}:${e.line}:${e.column}` : e.file;
      item.textContent = `${where}\n${e.message}${e.help ? `\nhelp: ${e.help}` : ""}`;
      box.append(item);
    }
    document.body.append(box);
  }

  let lost = false;
  function connect() {
    const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/__handbook/ws`);
    // Back after the server was restarted: what it serves now may differ from this page.
    ws.onopen = () => { if (lost) reload(); };
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "reload") {
        reload();
      } else if (message.type === "errors") {
        show(message.errors);
      }
    };
    ws.onclose = () => {
      lost = true;
      setTimeout(connect, 1000);
    };
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  // The socket's first message carries the current errors, if any. (No separate fetch of
  // /__handbook/errors here: its answer could arrive after a newer message and hide the overlay.)
  connect();
})();
