/* The search box on every page (templates/partials/search_box.html), loaded once as a file rather
 * than repeated inline in every page. Loads Pagefind's UI (pagefind/pagefind-ui.js and its
 * stylesheet, beside this script's assets/ folder) only where the box can work: over http(s).
 *
 * The index is in shards (catalogue/search.py): the primary bundle, beside pagefind-ui.js, holds
 * the countries, sectors and other pages and the search code; each shard holds some agreement and
 * place pages of one language. pagefind/shards.json names each language's shards; the box merges
 * the page's language's into its search (Pagefind's mergeIndex), so one search covers them all.
 * Its words (the box's name, the note for a site opened as a file) are the words file's search
 * words (assets/words.<lang>.js, catalogue/words.py), in English where a page has no words file.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  var bundle = new URL("../pagefind/", me ? me.src : location.href);
  var element = document.getElementById("site-search");
  if (!element) return;
  var words = (window.CATALOGUE_WORDS && window.CATALOGUE_WORDS.search) || {};
  // Browsers refuse fetch() and module imports on file://, so say how to search instead of failing.
  if (location.protocol === "file:") {
    var note = document.createElement("p");
    note.className = "search-note";
    note.id = "site-search-note";
    note.textContent = words.file || "Search works when the site is served over http(s), for example by " +
      "\u201ccatalogue serve\u201d, not opened as a file; the lists under Agreements, Places and Countries " +
      "work either way.";
    element.appendChild(note);
    return;
  }
  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("pagefind-ui.css", bundle).href;
  document.head.appendChild(style);
  var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase();

  // Pagefind answers a word missing from an index with the longest prefix of it that is there
  // ("mendidik" with "di"): a shard without the word gives such near misses while another shard
  // holds the word itself. Weighing the likeness of the matched word heavily ranks them last.
  var ranking = {termSimilarity: 8};

  function start(shards) {
    // processResult says what each result is (an agreement, a place, a country...): base.html gives every indexed page a kind.
    new PagefindUI({element: "#site-search", showImages: false, showSubResults: false,
      bundlePath: bundle.pathname, ranking: ranking,
      mergeIndex: shards.map(function (name) {
        return {bundlePath: new URL(name + "/", bundle).pathname, ranking: ranking};
      }),
      processResult: function (result) {
        if (result.meta && result.meta.kind && result.meta.title) {
          result.meta.title = result.meta.title + " · " + result.meta.kind;
        }
        return result;
      }
    });
    // Pagefind names its box only by a title: give it a name of its own, in the page's language.
    var box = element.querySelector("input");
    if (box) {
      box.setAttribute("aria-label", words.label || "Search the catalogue");
    }
  }

  // Revalidated each time, so a rebuilt site's new shards are found; without the list, the primary alone.
  var shards = fetch(new URL("shards.json", bundle), {cache: "no-cache"})
    .then(function (response) { return response.ok ? response.json() : {}; })
    .catch(function () { return {}; });
  var ui = document.createElement("script");
  ui.src = new URL("pagefind-ui.js", bundle).href;
  ui.onload = function () {
    if (!window.PagefindUI) return;
    shards.then(function (listed) { start(Array.isArray(listed[lang]) ? listed[lang] : []); });
  };
  document.head.appendChild(ui);
})();
