(function () {
"use strict";
var root = document.documentElement;
function store(key, value) {
try { localStorage.setItem(key, value); } catch (e) { /* private mode: not remembered */ }
}
function recall(key) {
try { return localStorage.getItem(key); } catch (e) { return null; }
}
function currentScheme() {
if (root.dataset.theme) return root.dataset.theme;
return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}
function applyScheme(scheme) {
root.dataset.theme = scheme;
document.querySelectorAll("link[data-hl]").forEach(function (link) {
link.media = link.dataset.hl === scheme ? "all" : "not all";
});
var toggle = document.getElementById("hb-theme-toggle");
if (toggle) {
toggle.setAttribute("aria-pressed", scheme === "dark" ? "true" : "false");
toggle.textContent = scheme === "dark" ? "Light" : "Dark";
toggle.setAttribute("aria-label", scheme === "dark" ? "Switch to the light colour scheme" : "Switch to the dark colour scheme");
}
}
function selectFramework(slug, focus) {
document.querySelectorAll("[data-tabs]").forEach(function (group) {
var tabs = group.querySelectorAll('[role="tab"]');
var has = Array.prototype.some.call(tabs, function (t) { return t.dataset.framework === slug; });
if (!has) return;
tabs.forEach(function (tab) {
var on = tab.dataset.framework === slug;
tab.setAttribute("aria-selected", on ? "true" : "false");
tab.tabIndex = on ? 0 : -1;
var panel = document.getElementById(tab.getAttribute("aria-controls"));
if (panel) panel.hidden = !on;
if (on && focus) tab.focus();
});
});
}
function setupTabs() {
var groups = document.querySelectorAll("[data-tabs]");
if (!groups.length) return;
groups.forEach(function (group) {
var tabs = Array.prototype.slice.call(group.querySelectorAll('[role="tab"]'));
tabs.forEach(function (tab, i) {
var panel = document.getElementById(tab.getAttribute("aria-controls"));
if (panel) panel.hidden = tab.getAttribute("aria-selected") !== "true";
tab.addEventListener("click", function () {
selectFramework(tab.dataset.framework, false);
store("hb-framework", tab.dataset.framework);
});
tab.addEventListener("keydown", function (e) {
var next = null;
if (e.key === "ArrowRight") next = tabs[(i + 1) % tabs.length];
else if (e.key === "ArrowLeft") next = tabs[(i - 1 + tabs.length) % tabs.length];
else if (e.key === "Home") next = tabs[0];
else if (e.key === "End") next = tabs[tabs.length - 1];
if (next) {
e.preventDefault();
selectFramework(next.dataset.framework, true);
store("hb-framework", next.dataset.framework);
}
});
});
});
var remembered = recall("hb-framework");
if (remembered) selectFramework(remembered, false);
}
function setupCopyButtons() {
if (!navigator.clipboard) return;
document.querySelectorAll("pre.hl-code").forEach(function (pre) {
var button = document.createElement("button");
button.type = "button";
button.className = "copy-button";
button.textContent = "Copy";
button.setAttribute("aria-label", "Copy this code");
button.addEventListener("click", function () {
var code = pre.querySelector("code");
navigator.clipboard.writeText(code ? code.innerText : pre.innerText).then(function () {
button.textContent = "Copied";
setTimeout(function () { button.textContent = "Copy"; }, 1500);
});
});
pre.appendChild(button);
});
}
function setupMenu() {
var toggle = document.querySelector(".menu-toggle");
var sidebar = document.getElementById("hb-sidebar");
if (!toggle || !sidebar) return;
toggle.addEventListener("click", function () {
var open = sidebar.classList.toggle("open");
toggle.setAttribute("aria-expanded", open ? "true" : "false");
});
}
function setupSearch() {
var box = document.getElementById("hb-search");
var input = document.getElementById("hb-search-input");
if (!box || !input) return;
var loaded = false;
function load() {
if (loaded) return;
loaded = true;
if (location.protocol === "file:") return; // base.html's inline script explains
var css = document.createElement("link");
css.rel = "stylesheet";
css.href = box.dataset.css;
document.head.appendChild(css);
var js = document.createElement("script");
js.src = box.dataset.js;
document.head.appendChild(js);
}
input.addEventListener("focus", load);
input.addEventListener("input", load);
document.addEventListener("keydown", function (e) {
if ((e.key !== "/" && e.key !== "s") || e.ctrlKey || e.metaKey || e.altKey) return;
var t = e.target;
if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
e.preventDefault();
input.focus();
});
}
document.addEventListener("DOMContentLoaded", function () {
applyScheme(currentScheme());
if (!recall("hb-theme")) root.removeAttribute("data-theme");
var toggle = document.getElementById("hb-theme-toggle");
if (toggle) {
toggle.addEventListener("click", function () {
var next = currentScheme() === "dark" ? "light" : "dark";
store("hb-theme", next);
applyScheme(next);
});
}
setupTabs();
setupCopyButtons();
setupMenu();
setupSearch();
});
})();
