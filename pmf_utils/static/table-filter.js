// Narrows the overview's summary icon table to one ambition, status, variation or assurance.
// The table is a `.pmf-filter` div holding a `.pmf-group` per ambition (its heading, then its
// table); `data-group` is the plan's word for those groups (the first choice's label);
// `data-columns` names the columns to filter by, whose cells carry their column's name
// (data-label, written by pmf-html.lua on both engines). The choices are read from the page (a
// cell's words, or an icon's alt text), so the script knows no vocabulary. Without the script
// the whole table stands; it is the site's own file, as the Content-Security-Policy requires.
(function () {
  "use strict";

  function words(cell) {
    var alts = Array.prototype.map.call(cell.querySelectorAll("img[alt]"), function (img) {
      return img.alt;
    });
    // A status's symbol (✔, ▲ ...) goes: the words say the same.
    var text = (alts.join(" ") + " " + cell.textContent).replace(/\s+/g, " ").trim();
    return text.replace(/^[^\p{L}\p{N}]+/u, "");
  }

  function choices(values) {
    return values.filter(function (item, at) { return values.indexOf(item) === at; }).sort();
  }

  function field(form, name, id, options) {
    var box = document.createElement("div");
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = name;
    var select = document.createElement("select");
    select.id = id;
    [""].concat(options).forEach(function (option) {
      var item = document.createElement("option");
      item.value = option;
      item.textContent = option || "All";
      select.appendChild(item);
    });
    box.appendChild(label);
    box.appendChild(select);
    form.appendChild(box);
    return select;
  }

  function setUp(holder, number) {
    var groups = Array.prototype.slice.call(holder.querySelectorAll(".pmf-group"));
    var label = holder.getAttribute("data-group") || "Group";
    var columns = (holder.getAttribute("data-columns") || "").split(" ").filter(Boolean);
    var rows = [];
    groups.forEach(function (group) {
      var heading = group.querySelector("h1, h2, h3, h4, h5, h6");
      var ambition = heading ? heading.textContent.trim() : "";
      group.querySelectorAll("tbody tr").forEach(function (row) {
        var values = {};
        values[label] = ambition;
        columns.forEach(function (column) {
          var cell = row.querySelector('td[data-label="' + column + '"]');
          values[column] = cell ? words(cell) : "";
        });
        rows.push({ row: row, group: group, values: values });
      });
    });
    if (!rows.length) return;
    var form = document.createElement("form");
    form.className = "pmf-filter-form";
    form.setAttribute("aria-label", "Filter the KPIs");
    var selects = [label].concat(columns).map(function (column, at) {
      var options = choices(rows.map(function (item) { return item.values[column]; }));
      var key = at ? column.toLowerCase() : "group"; // ids stay the same whatever the words
      var select = field(form, column, "pmf-filter-" + number + "-" + key, options);
      return { column: column, select: select };
    });
    var status = document.createElement("p");
    status.className = "pmf-filter-status";
    status.setAttribute("role", "status");
    form.appendChild(status);
    holder.insertBefore(form, holder.firstChild);

    function apply() {
      var shown = 0;
      rows.forEach(function (item) {
        item.row.hidden = !selects.every(function (s) {
          return !s.select.value || item.values[s.column] === s.select.value;
        });
        shown += item.row.hidden ? 0 : 1;
      });
      groups.forEach(function (group) {
        group.hidden = !rows.some(function (item) { return item.group === group && !item.row.hidden; });
      });
      status.textContent = shown === rows.length
        ? "Showing all " + rows.length + " KPIs."
        : "Showing " + shown + " of " + rows.length + " KPIs.";
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }

  Array.prototype.forEach.call(document.querySelectorAll(".pmf-filter"), setUp);
})();
