/* Filters above a list of agreements (templates/partials/filters.html).
 *
 * The state lives in the URL query (?status=stalled&sector=education&country=JP&kind=sister-city),
 * so a filtered view can be shared and survives a reload. The form stays hidden unless this script
 * runs, so without JavaScript the full list shows. Page text is only ever set as text.
 */
(function () {
  "use strict";

  // facet (the select's name and the URL parameter) → the list item's attribute, a space-separated list of keys
  var ATTRIBUTES = {status: "data-status", kind: "data-kind", sector: "data-sectors", country: "data-countries"};

  var form = document.querySelector("form.filters");
  if (!form || !window.URLSearchParams || !window.history || !window.history.replaceState) {
    return;
  }
  var list = listAfter(form);
  if (!list) {
    return;
  }
  var selects = form.querySelectorAll("select");
  var count = form.querySelector(".filters-count");
  var reset = form.querySelector(".filters-reset");
  var items = [];
  var nodes = list.querySelectorAll("li.entry");
  for (var i = 0; i < nodes.length; i++) {
    items.push({node: nodes[i], keys: keysOf(nodes[i])});
  }

  function listAfter(element) {
    var lists = document.querySelectorAll("ul.entries");
    for (var i = 0; i < lists.length; i++) {
      if (element.compareDocumentPosition(lists[i]) & Node.DOCUMENT_POSITION_FOLLOWING) {
        return lists[i];
      }
    }
    return null;
  }

  function keysOf(node) {
    var keys = {};
    for (var facet in ATTRIBUTES) {
      keys[facet] = (node.getAttribute(ATTRIBUTES[facet]) || "").split(/\s+/);
    }
    return keys;
  }

  function hasOption(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) {
        return true;
      }
    }
    return false;
  }

  function chosen() {
    var state = {};
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].value && ATTRIBUTES.hasOwnProperty(selects[i].name)) {
        state[selects[i].name] = selects[i].value;
      }
    }
    return state;
  }

  function matches(item, state) {
    for (var facet in state) {
      if (item.keys[facet].indexOf(state[facet]) < 0) {
        return false;
      }
    }
    return true;
  }

  function apply() {
    var state = chosen();
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var match = matches(items[i], state);
      items[i].node.hidden = !match;
      // the site's stylesheet gives .entry a display, which would win over the hidden attribute
      items[i].node.style.display = match ? "" : "none";
      if (match) {
        shown += 1;
      }
    }
    var template = form.getAttribute("data-count") || "{shown} / {total}";
    count.textContent = template.replace("{shown}", String(shown)).replace("{total}", String(items.length));
  }

  function readURL() {
    var params = new URLSearchParams(window.location.search);
    for (var i = 0; i < selects.length; i++) {
      var value = params.get(selects[i].name);
      selects[i].value = value !== null && hasOption(selects[i], value) ? value : "";
    }
  }

  function writeURL() {
    var params = new URLSearchParams(window.location.search);
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].value) {
        params.set(selects[i].name, selects[i].value);
      } else {
        params["delete"](selects[i].name);
      }
    }
    var query = params.toString();
    window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  form.addEventListener("change", function () {
    apply();
    writeURL();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  if (reset) {
    reset.setAttribute("href", window.location.pathname);  // without the script's help it still leads to the whole list
    reset.addEventListener("click", function (event) {
      event.preventDefault();
      for (var i = 0; i < selects.length; i++) {
        selects[i].value = "";
      }
      apply();
      writeURL();
    });
  }

  readURL();
  apply();
  form.hidden = false;
})();
