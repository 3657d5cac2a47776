(function () {
"use strict";
function store(key, value) {
try { localStorage.setItem(key, value); } catch (e) { /* private mode: not remembered */ }
}
function recall(key) {
try { return localStorage.getItem(key); } catch (e) { return null; }
}
var pick = document.getElementById("hb-pick");
var matrix = document.querySelector("table.matrix");
if (pick && matrix) {
var boxes = Array.prototype.slice.call(pick.querySelectorAll("input[type=checkbox]"));
var status = pick.querySelector(".matrix-pick-status");
var applyPick = function () {
var chosen = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
var filter = chosen.length >= 2 && chosen.length <= 4;
matrix.querySelectorAll("tr").forEach(function (row) {
Array.prototype.forEach.call(row.children, function (cell, i) {
if (i > 0) cell.hidden = filter && chosen.indexOf(boxes[i - 1].value) < 0;
});
});
status.textContent = filter ? "Showing " + chosen.length + " of " + boxes.length + " frameworks."
: chosen.length > 4 ? "Choose at most 4 to compare; showing all." : chosen.length === 1 ? "Choose one more to compare." : "";
store("hb-compare", chosen.join(","));
if (filter && pick.dataset.pairs) pairLinks();
};
var pairLinks = function () {
var on = boxes.filter(function (b) { return b.checked; });
on.forEach(function (a, i) {
on.slice(i + 1).forEach(function (b) {
var link = document.createElement("a");
link.href = pick.dataset.pairs + a.value + "-" + b.value + "/";
link.textContent = a.dataset.title + " vs " + b.dataset.title;
status.appendChild(document.createTextNode(" "));
status.appendChild(link);
});
});
};
var remembered = (recall("hb-compare") || "").split(",");
boxes.forEach(function (b) {
b.checked = remembered.indexOf(b.value) >= 0;
b.addEventListener("change", applyPick);
});
document.getElementById("hb-pick-all").addEventListener("click", function () {
boxes.forEach(function (b) { b.checked = false; });
applyPick();
});
pick.hidden = false;
applyPick();
}
})();
