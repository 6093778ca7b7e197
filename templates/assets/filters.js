/* Filters above a list of agreements (templates/partials/filters.html).
 *
 * The state lives in the URL query (?status=stalled&sector=education&country=JP&kind=sister-city),
 * so a filtered view can be shared, survives a reload and follows the reader to the other language.
 * A value that is not a valid choice is named as such, with the choices; a valid one that leaves
 * nothing says so and offers to clear. The form stays hidden unless this script runs, so without
 * JavaScript the full list shows. Page text is only ever set as text.
 */
(function () {
  "use strict";

  // facet (the select's name and the URL parameter) → the list item's attribute, a space-separated list of keys
  var ATTRIBUTES = {status: "data-status", kind: "data-kind", sector: "data-sectors", country: "data-countries"};

  var form = document.querySelector("form.filters");
  if (!form || !window.URLSearchParams || !window.history || !window.history.replaceState) {
    return;
  }
  var selects = form.querySelectorAll("select");
  var count = form.querySelector(".filters-count");
  var notice = form.querySelector(".filters-notice");
  var reset = form.querySelector(".filters-reset");
  var choices = readChoices();
  var facetNames = readJSON(form.getAttribute("data-facet-names")) || {};
  var items = [];
  var lists = listsAfter(form);
  for (var l = 0; l < lists.length; l++) {
    var nodes = lists[l].querySelectorAll("li.entry");
    for (var i = 0; i < nodes.length; i++) {
      items.push({node: nodes[i], keys: keysOf(nodes[i])});
    }
  }
  var state = {};     // facet → the valid value the address or a select asks for
  var unknown = {};   // facet → a value in the address that is not a choice

  function readJSON(text) {
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  function readChoices() {
    var text = form.getAttribute("data-choices");
    return text ? readJSON(text) : null;
  }

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
    var keys = {};
    for (var facet in ATTRIBUTES) {
      keys[facet] = (node.getAttribute(ATTRIBUTES[facet]) || "").split(/\s+/);
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
    for (var facet in ATTRIBUTES) {
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

  function apply() {
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var match = matches(items[i]);
      items[i].node.hidden = !match;
      // the site's stylesheet gives .entry a display, which would win over the hidden attribute
      items[i].node.style.display = match ? "" : "none";
      if (match) {
        shown += 1;
      }
    }
    var template = form.getAttribute("data-count") || "{shown} / {total}";
    count.textContent = template.replace("{shown}", String(shown)).replace("{total}", String(items.length));
    say(shown);
  }

  function queryWith(facet, value) {
    var params = new URLSearchParams(window.location.search);
    params.set(facet, value);
    return "?" + params.toString();
  }

  function say(shown) {
    while (notice.firstChild) notice.removeChild(notice.firstChild);
    for (var facet in unknown) {
      var p = document.createElement("p");
      p.className = "filters-unknown";
      p.textContent = (form.getAttribute("data-unknown") || "{value}: {facet}")
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
    if (shown === 0 && items.length > 0) {
      var empty = document.createElement("p");
      empty.className = "filters-empty";
      empty.textContent = (form.getAttribute("data-empty") || "") + " ";
      var clear = document.createElement("button");
      clear.type = "button";
      clear.className = "filters-clear";
      clear.textContent = form.getAttribute("data-clear") || "Clear";
      clear.addEventListener("click", clearAll);
      empty.appendChild(clear);
      notice.appendChild(empty);
    }
  }

  function writeURL() {
    var params = new URLSearchParams(window.location.search);
    for (var facet in ATTRIBUTES) {
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

  form.addEventListener("change", function () {
    state = {};
    unknown = {};
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].value && ATTRIBUTES.hasOwnProperty(selects[i].name)) {
        state[selects[i].name] = selects[i].value;
      }
    }
    // a filter given in the address for a facet with no select stays until cleared
    var params = new URLSearchParams(window.location.search);
    for (var facet in ATTRIBUTES) {
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

  readURL();
  apply();
  keepQueryInLanguageLinks();
  var speaks = Object.keys(state).length > 0 || Object.keys(unknown).length > 0;
  form.hidden = !(selects.length > 0 || speaks);
})();
