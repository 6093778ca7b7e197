/* The search box on every page (templates/partials/search_box.html), loaded once as a file rather
 * than repeated inline in every page. Runs after pagefind-ui.js (both deferred, in this order).
 *
 * The index is in shards (catalogue/search.py): the primary bundle, beside pagefind-ui.js, holds
 * the countries, sectors and other pages and the search code; each shard holds some agreement and
 * place pages of one language. pagefind/shards.json names each language's shards; the box merges
 * the page's language's into its search (Pagefind's mergeIndex), so one search covers them all.
 */
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var element = document.getElementById("site-search");
  if (!element) return;
  // Browsers refuse fetch() and module imports on file://, so say how to search instead of failing.
  if (location.protocol === "file:") {
    document.getElementById("site-search-note").hidden = false;
    return;
  }
  if (!window.PagefindUI) return;
  var script = document.querySelector("script[src$='pagefind-ui.js']");
  var bundle = new URL(".", script ? script.src : location.href);
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
      box.setAttribute("aria-label", element.getAttribute("data-label") || "Search");
    }
  }

  // Revalidated each time, so a rebuilt site's new shards are found; without the list, the primary alone.
  fetch(new URL("shards.json", bundle), {cache: "no-cache"})
    .then(function (response) { return response.ok ? response.json() : {}; })
    .catch(function () { return {}; })
    .then(function (listed) { start(Array.isArray(listed[lang]) ? listed[lang] : []); });
});
