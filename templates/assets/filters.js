/* Filters above a list of agreements (templates/partials/filters.html).
 *
 * The state lives in the URL query (?status=stalled&sector=education&country=JP&kind=sister-city),
 * so a filtered view can be shared, survives a reload and follows the reader to the other language.
 * A value that is not a valid choice is named as such, with the choices; a valid one that leaves
 * nothing says so and offers to clear. The form stays hidden unless this script runs, so without
 * JavaScript the full list shows. Page text is only ever set as text.
 *
 * A page that shows one page of a long list (data-list on the form) filters the whole list: the
 * first filter fetches its rows (catalogue/paging.py list_data) and the matches replace the page's
 * own list and pager, shown a hundred at a time; with no filter the page is as it was built. Its own
 * rows carry no keys (catalogue/rows.py): if the list's data cannot be fetched (a site opened as
 * files), a filter in the address is not applied, and the notice says so.
 */
(function () {
  "use strict";

  // facet (the select's name and the URL parameter) → its field in a list item's data-f ("status|kind|sectors|
  // countries", the last two space-separated keys: catalogue/rows.py)
  var FIELDS = {status: 0, kind: 1, sector: 2, country: 3};

  var form = document.querySelector("form.filters");
  if (!form || !window.URLSearchParams || !window.history || !window.history.replaceState) {
    return;
  }
  // Its selects show what the address says, never a value the browser kept from before (templates/partials/filters.html).
  form.setAttribute("autocomplete", "off");
  var selects = [];  // the form's selects, once there (a paged list's are made from its filter data)
  // Its two status lines, live regions (polite by their role), are made here: without the script there is
  // nothing to say in them, and the form is hidden anyway.
  function statusLine(tag, className) {
    var node = document.createElement(tag);
    node.className = className;
    node.setAttribute("role", "status");
    form.appendChild(node);
    return node;
  }
  var count = statusLine("p", "filters-count");
  var notice = statusLine("div", "filters-notice");
  var reset = form.querySelector(".filters-reset");
  // The words and every valid value of each facet, in the page's language (assets/words.<lang>.js).
  var words = (window.CATALOGUE_WORDS && window.CATALOGUE_WORDS.filters) || {};
  var choices = words.choices || null;
  var facetNames = words.facets || {};
  var items = [];
  var lists = listsAfter(form);
  for (var l = 0; l < lists.length; l++) {
    var nodes = lists[l].querySelectorAll(":scope > li");
    for (var i = 0; i < nodes.length; i++) {
      items.push({node: nodes[i], keys: keysOf(nodes[i])});
    }
  }
  var source = form.getAttribute("data-list");  // the whole list's rows, when this page shows part of it
  var rows = null;      // those rows, once fetched
  var listTotal = 0;    // how many agreements the whole list holds: its data says (the page says only on page 1)
  var failed = false;   // they could not be fetched: filter this page's items
  var CHUNK = 100;      // matches shown at a time, as many as a page of the list
  var shownRows = CHUNK;
  var results = null;   // the matches, in place of the page's list
  var state = {};     // facet → the valid value the address or a select asks for
  var unknown = {};   // facet → a value in the address that is not a choice

  function listsAfter(element) {
    var all = document.querySelectorAll("ul.entries"), out = [];
    for (var i = 0; i < all.length; i++) {
      if (element.compareDocumentPosition(all[i]) & Node.DOCUMENT_POSITION_FOLLOWING) {
        out.push(all[i]);
      }
    }
    return out;
  }

  function keysOf(node) {
    var keys = {}, fields = (node.getAttribute("data-f") || "").split("|");
    for (var facet in FIELDS) {
      keys[facet] = (fields[FIELDS[facet]] || "").split(" ");
    }
    return keys;
  }

  function selectFor(facet) {
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].name === facet) return selects[i];
    }
    return null;
  }

  function optionsOf(select) {
    var out = {};
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value) out[select.options[i].value] = select.options[i].textContent.replace(/\s*\(\d+\)$/, "");
    }
    return out;
  }

  // facet → {value: label} of every valid value: the vocabulary where the page gives it, else the select's options
  function validFor(facet) {
    if (choices && choices[facet]) return choices[facet];
    var select = selectFor(facet);
    return select ? optionsOf(select) : {};
  }

  function ensureOption(select, value, label) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) return;
    }
    var option = document.createElement("option");
    option.value = value;
    option.textContent = label + " (0)";
    select.appendChild(option);
  }

  function readURL() {
    var params = new URLSearchParams(window.location.search);
    state = {};
    unknown = {};
    for (var facet in FIELDS) {
      var value = params.get(facet);
      var select = selectFor(facet);
      if (value === null || value === "") {
        if (select) select.value = "";
        continue;
      }
      var valid = validFor(facet);
      if (Object.prototype.hasOwnProperty.call(valid, value)) {
        state[facet] = value;
        if (select) {
          ensureOption(select, value, valid[value]);  // valid, but nothing in this list has it
          select.value = value;
        }
      } else {
        unknown[facet] = value;
        if (select) select.value = "";
      }
    }
  }

  function matches(item) {
    for (var facet in state) {
      if (item.keys[facet].indexOf(state[facet]) < 0) {
        return false;
      }
    }
    return true;
  }

  function wholeList() {
    return source && !failed;
  }

  function total() {
    return wholeList() ? listTotal : items.length;
  }

  function json(url) {
    return window.fetch(url).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    });
  }

  var listFile = null;
  // The list's filter data (render.py list_data): its facet counts, and its rows or their positions.
  function fetchList() {
    if (!listFile) listFile = window.fetch ? json(source) : Promise.reject(new Error("no fetch"));
    return listFile;
  }

  function load() {
    if (rows || failed || !window.fetch) {
      failed = failed || !window.fetch;
      return;
    }
    // A list's data is its rows (all agreements) or its rows' positions in those (paging.list_index).
    fetchList().then(function (data) {
      if (data.rows) return data.rows;
      return json((form.getAttribute("data-root") || "") + data["in"]).then(function (all) {
        return data.of.map(function (i) { return all.rows[i]; });
      });
    }).then(function (found) {
      rows = found;
      apply();
    })["catch"](function () {
      failed = true;
      apply();
    });
  }

  // The page's own list, its pager and "Agreements 101 to 200": shown unless the matches stand in for them.
  function showPage(visible) {
    var parts = document.querySelectorAll("nav.pager, .pager-place");
    for (var i = 0; i < parts.length; i++) {
      parts[i].hidden = !visible;
    }
    for (var l = 0; l < lists.length; l++) {
      lists[l].hidden = !visible;
      lists[l].style.display = visible ? "" : "none";
    }
  }

  function rowMatches(row) {
    var keys = {status: [row[2]], kind: [row[3]], sector: row[4], country: row[5]};
    for (var facet in state) {
      if (keys[facet].indexOf(state[facet]) < 0) return false;
    }
    return true;
  }

  function text(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function labelOf(facet, key) {
    var valid = validFor(facet);
    return Object.prototype.hasOwnProperty.call(valid, key) ? valid[key] : key;
  }

  // One row as a page of a long list shows an agreement (catalogue/rows.py, Rows._row, without keys): its title
  // link, its badge (its dot is the stylesheet's, .entries span::before), then two lines of text.
  function rowNode(row) {
    var li = document.createElement("li");
    var link = text("a", "", row[1]);
    link.href = (form.getAttribute("data-root") || "") + row[0];
    li.appendChild(link);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(text("span", "badge-" + row[2] + (row[9] ? " stale" : ""), row[8] || labelOf("status", row[2])));
    // The badge says the status's evidence year, so the row does not say the status date again.
    var since = row[6] ? (words.since || "{date}").replace("{date}", row[6]) : words.noSince || "";
    var countries = row[5].map(function (code) { return labelOf("country", code); });
    var sectors = row[4].map(function (key) { return labelOf("sector", key); });
    [labelOf("kind", row[3]) + " · " + since,
     countries[0] + " – " + (countries[1] || countries[0]) + (sectors.length ? " · " + sectors.join(", ") : "")
    ].forEach(function (line) {
      li.appendChild(document.createElement("br"));
      li.appendChild(document.createTextNode(line));
    });
    return li;
  }

  function showMatches(matches) {
    if (!results) {
      results = text("div", "filter-results");
      form.parentNode.insertBefore(results, form.nextSibling);
    }
    while (results.firstChild) results.removeChild(results.firstChild);
    if (!matches.length) return;
    var list = text("ul", "entries");
    for (var i = 0; i < matches.length && i < shownRows; i++) {
      list.appendChild(rowNode(matches[i]));
    }
    results.appendChild(list);
    if (matches.length > shownRows) {
      var more = text("button", "filters-more", (words.more || "{n}").replace("{n}", String(Math.min(CHUNK, matches.length - shownRows))));
      more.type = "button";
      more.addEventListener("click", function () {
        shownRows += CHUNK;
        showMatches(matches);
        var next = results.querySelectorAll("li > a")[shownRows - CHUNK];
        if (next) next.focus();  // the reader goes on where the new matches start
      });
      results.appendChild(more);
    }
  }

  function applyToWholeList() {
    var filtering = Object.keys(state).length > 0;
    if (filtering && !rows) {
      load();  // apply() runs again when the rows arrive (or, if they cannot, filters this page's items)
      return;
    }
    if (!filtering) {
      if (results) results.hidden = true;
      showPage(true);
      setCount(items.length);
      say(items.length);
      return;
    }
    var matches = rows.filter(rowMatches);
    showPage(false);
    showMatches(matches);
    results.hidden = false;
    setCount(matches.length);
    say(matches.length);
  }

  function setCount(shown) {
    var template = words.count || "{shown} / {total}";
    count.textContent = template.replace("{shown}", String(shown)).replace("{total}", String(total()));
  }

  function apply() {
    if (wholeList()) {
      applyToWholeList();
      if (!failed) return;
    }
    if (source) {
      // A page of a long list whose data could not be fetched: its rows carry no keys, so it stands whole.
      if (results) results.hidden = true;
      showPage(true);
      setCount(items.length);
      say(items.length);
      return;
    }
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var match = matches(items[i]);
      items[i].node.hidden = !match;
      // a stylesheet may give a row a display, which would win over the hidden attribute
      items[i].node.style.display = match ? "" : "none";
      if (match) {
        shown += 1;
      }
    }
    setCount(shown);
    say(shown);
  }

  function queryWith(facet, value) {
    var params = new URLSearchParams(window.location.search);
    params.set(facet, value);
    return "?" + params.toString();
  }

  function say(shown) {
    while (notice.firstChild) notice.removeChild(notice.firstChild);
    if (source && failed && Object.keys(state).length > 0) {
      notice.appendChild(text("p", "filters-partial", words.unavailable || ""));
    }
    for (var facet in unknown) {
      var p = document.createElement("p");
      p.className = "filters-unknown";
      p.textContent = (words.unknown || "{value}: {facet}")
        .replace("{value}", unknown[facet]).replace("{facet}", (facetNames[facet] || facet).toLowerCase()) + " ";
      var valid = validFor(facet), first = true;
      for (var value in valid) {
        if (!first) p.appendChild(document.createTextNode(", "));
        var link = document.createElement("a");
        link.href = queryWith(facet, value) + window.location.hash;
        link.textContent = valid[value];
        p.appendChild(link);
        first = false;
      }
      p.appendChild(document.createTextNode("."));
      notice.appendChild(p);
    }
    if (shown === 0 && total() > 0) {
      var empty = document.createElement("p");
      empty.className = "filters-empty";
      empty.textContent = (words.empty || "") + " ";
      var clear = document.createElement("button");
      clear.type = "button";
      clear.className = "filters-clear";
      clear.textContent = words.clear || "Clear";
      clear.addEventListener("click", clearAll);
      empty.appendChild(clear);
      notice.appendChild(empty);
    }
  }

  function writeURL() {
    var params = new URLSearchParams(window.location.search);
    for (var facet in FIELDS) {
      if (state[facet]) {
        params.set(facet, state[facet]);
      } else {
        params["delete"](facet);  // a misspelt value goes once the reader chooses: the URL says what is shown
      }
    }
    var query = params.toString();
    window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    keepQueryInLanguageLinks();
  }

  // The language switch leads to the same page in the other language: with the same filters.
  function keepQueryInLanguageLinks() {
    var links = document.querySelectorAll("nav.languages a[hreflang]");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("data-href") || links[i].getAttribute("href");
      links[i].setAttribute("data-href", href);
      links[i].setAttribute("href", href.split(/[?#]/)[0] + window.location.search + window.location.hash);
    }
  }

  function clearAll(event) {
    if (event) event.preventDefault();
    for (var i = 0; i < selects.length; i++) {
      selects[i].value = "";
    }
    state = {};
    unknown = {};
    apply();
    writeURL();
    if (event && event.type === "click" && event.currentTarget !== reset) {
      // Whatever follows the form (the map) hears the filters change, as it hears "Show all".
      form.dispatchEvent(new Event("change"));
    }
    var first = selects.length ? selects[0] : reset;
    if (first) first.focus();  // the clear button is gone with the message; keep the focus in the form
  }

  // The counts of the rows the page shows: facet → [[key, count], ...] in the order of their labels.
  function pageFacets() {
    var facets = {};
    for (var facet in FIELDS) {
      var counts = {};
      items.forEach(function (item) {
        item.keys[facet].forEach(function (key) {
          if (key) counts[key] = (counts[key] || 0) + 1;
        });
      });
      facets[facet] = Object.keys(counts).sort(function (a, b) {
        var la = labelOf(facet, a), lb = labelOf(facet, b);
        return la < lb ? -1 : (la > lb ? 1 : 0);
      }).map(function (key) { return [key, counts[key]]; });
    }
    return facets;
  }

  // The selects, from the counts of the whole list (a paged list's data) or of the page's rows. A facet gets
  // one only if one of its values leaves some agreement out (every agreement has one status, so a status
  // that all share, or a country every tie has a party in, filters nothing).
  function makeSelects(facets, total) {
    ["status", "kind", "sector", "country"].forEach(function (name) {
      var values = facets[name] || [];
      var usable = values.some(function (v) { return v[1] < total; });
      if (!usable) return;
      var label = text("label", "filter", (facetNames[name] || name) + " ");
      var select = document.createElement("select");
      select.name = name;
      var all = document.createElement("option");
      all.value = "";
      all.textContent = words.all || "";
      select.appendChild(all);
      values.forEach(function (v) {
        var option = document.createElement("option");
        option.value = v[0];
        option.textContent = labelOf(name, v[0]) + " (" + v[1] + ")";
        select.appendChild(option);
      });
      label.appendChild(select);
      form.insertBefore(label, reset || form.firstChild);
    });
  }

  form.addEventListener("change", function () {
    shownRows = CHUNK;
    state = {};
    unknown = {};
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].value && FIELDS.hasOwnProperty(selects[i].name)) {
        state[selects[i].name] = selects[i].value;
      }
    }
    // a filter given in the address for a facet with no select stays until cleared
    var params = new URLSearchParams(window.location.search);
    for (var facet in FIELDS) {
      if (!selectFor(facet) && params.get(facet) && Object.prototype.hasOwnProperty.call(validFor(facet), params.get(facet))) {
        state[facet] = params.get(facet);
      }
    }
    apply();
    writeURL();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  if (reset) {
    reset.setAttribute("href", window.location.pathname);  // without the script's help it still leads to the whole list
    reset.addEventListener("click", clearAll);
  }

  function start() {
    selects = form.querySelectorAll("select");
    readURL();
    apply();
    keepQueryInLanguageLinks();
    var speaks = Object.keys(state).length > 0 || Object.keys(unknown).length > 0;
    form.hidden = !(selects.length > 0 || speaks);
  }

  if (source) {
    // Opened as files, the data cannot be fetched: no selects, and a filter in the address covers this page.
    fetchList().then(function (data) {
      listTotal = Number(data.total) || 0;
      makeSelects(data.facets || {}, listTotal);
    })["catch"](function () {
      failed = true;
    }).then(start);
  } else {
    makeSelects(pageFacets(), items.length);
    start();
  }
})();
