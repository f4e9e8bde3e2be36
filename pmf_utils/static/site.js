// Site search for the built-in engine's pages: the index is a script (search-index.js), so
// search works from a web server and from files opened straight from disk, with no network.
(function () {
  "use strict";
  var results = document.getElementById("search-results");
  var index = window.pmfSearchIndex;
  if (!results || !index) return;
  var query = new URLSearchParams(window.location.search).get("q") || "";
  var box = document.getElementById("site-search");
  if (box) box.value = query;
  // Curly apostrophes typed or pasted match the index, whose apostrophes are straight.
  var terms = query.toLowerCase().replace(/[\u2018\u2019]/g, "'").split(/\s+/).filter(Boolean);
  if (!terms.length) return;

  function count(text, term) {
    var n = 0, at = text.indexOf(term);
    while (at !== -1) { n += 1; at = text.indexOf(term, at + term.length); }
    return n;
  }

  function snippet(text, term) {
    // About 220 characters around the first match, cut at spaces.
    var at = Math.max(text.toLowerCase().indexOf(term), 0);
    var start = at > 80 ? text.indexOf(" ", at - 80) + 1 : 0;
    var end = text.lastIndexOf(" ", start + 220);
    end = end > at ? end : start + 220;
    return (start ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  var hits = index.map(function (page) {
    var title = page.title.toLowerCase(), text = page.text.toLowerCase(), score = 0;
    for (var i = 0; i < terms.length; i += 1) {
      var found = count(title, terms[i]) * 10 + count(text, terms[i]);
      if (!found) return null;
      score += found;
    }
    return { page: page, score: score };
  }).filter(Boolean).sort(function (a, b) { return b.score - a.score; });

  hits.slice(0, 50).forEach(function (hit) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = hit.page.href;
    link.textContent = hit.page.title;
    var text = document.createElement("p");
    text.textContent = snippet(hit.page.text, terms[0]);
    item.appendChild(link);
    item.appendChild(text);
    results.appendChild(item);
  });
  var status = document.getElementById("search-status");
  status.textContent = hits.length
    ? hits.length + (hits.length === 1 ? " page matches " : " pages match ") + "“" + query + "”."
    : "No pages match “" + query + "”. Try fewer or different words.";
  document.title = "Search results for " + query + " – " + document.title.split(" – ").pop();
})();
