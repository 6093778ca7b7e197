/* The search box on every page (templates/partials/search_box.html), loaded once as a file rather
 * than repeated inline in every page. Runs after pagefind-ui.js (both deferred, in this order).
 */
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var element = document.getElementById("site-search");
  if (!element) return;
  // Browsers refuse fetch() and module imports on file://, so say how to search instead of failing.
  if (location.protocol === "file:") {
    document.getElementById("site-search-note").hidden = false;
  } else if (window.PagefindUI) {
    // processResult says what each result is (an agreement, a place, a country...): base.html gives every indexed page a kind.
    new PagefindUI({element: "#site-search", showImages: false, showSubResults: false,
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
});
