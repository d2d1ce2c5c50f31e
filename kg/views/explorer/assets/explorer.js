// kg explorer: tables sort by a click on a column's head (text, or numbers where data-sort="number"
// or every cell is one). No data goes anywhere: the page only reads its own DOM.
(function () {
  "use strict";
  function key(cell, numeric) {
    var text = cell ? cell.textContent.trim() : "";
    return numeric ? (parseFloat(text) || 0) : text;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, column) {
      th.addEventListener("click", function () {
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var numeric = th.dataset.sort === "number" || rows.every(function (r) {
          var t = r.cells[column] ? r.cells[column].textContent.trim() : "";
          return t === "" || !isNaN(Number(t));
        });
        var descending = th.classList.contains("sorted-asc");
        heads.forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
        th.classList.add(descending ? "sorted-desc" : "sorted-asc");
        rows.sort(function (a, b) {
          var x = key(a.cells[column], numeric), y = key(b.cells[column], numeric);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return descending ? -order : order;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
