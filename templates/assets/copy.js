/* Copy buttons: after each element marked data-copy="<which>" (the cite box's texts), a button
   (data-copy-target: the element's id) that copies its text, labelled with the words file's
   copy[<which>] (assets/words.<lang>.js, catalogue/words.py); what it did is said in the section's
   .copy-status. Without JavaScript there are no buttons and the text stays on the page to select
   by hand; where the clipboard is refused, the text is selected for Ctrl+C instead. */
(function () {
  "use strict";
  function select(node) {
    var range = document.createRange(), selection = window.getSelection();
    range.selectNodeContents(node);
    selection.removeAllRanges();
    selection.addRange(range);
  }
  // A site built without base_url cites each page by its path; where the page is served over
  // http(s), its own address is the absolute link a copied citation needs.
  var box = document.querySelector("section.cite[data-relative-url]");
  if (box && /^https?:$/.test(window.location.protocol)) {
    var relative = box.getAttribute("data-relative-url");
    var here = window.location.href.split("#")[0].split("?")[0];
    ["cite-text", "cite-bibtex", "cite-csl"].forEach(function (id) {
      var node = document.getElementById(id);
      if (node) node.textContent = node.textContent.split(relative).join(here);
    });
  }
  var words = (window.CATALOGUE_WORDS && window.CATALOGUE_WORDS.copy) || {};
  document.querySelectorAll("[data-copy][id]").forEach(function (target) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = words[target.getAttribute("data-copy")] || "Copy";
    button.setAttribute("data-copy-target", target.id);
    var section = target.closest("section");
    var status = section && section.querySelector(".copy-status[id]");
    if (status) button.setAttribute("data-copy-status", status.id);
    target.parentNode.insertBefore(button, target.nextSibling);
  });
  var timers = {};
  // The status line is a live region: emptied first, so the same words copied twice are heard twice.
  // The button shows it too ("copied" class, a tick in the stylesheet) for a few seconds.
  function say(button, which) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    var id = button.getAttribute("data-copy-target");
    document.querySelectorAll("button.copy.copied").forEach(function (b) { b.classList.remove("copied"); });
    if (which === "copied") button.classList.add("copied");
    if (!status) return;
    status.textContent = "";
    window.clearTimeout(timers[id]);
    window.setTimeout(function () { status.textContent = words[which] || ""; }, 50);
    timers[id] = window.setTimeout(function () { button.classList.remove("copied"); }, 4000);
  }
  function fallback(button, target) {
    select(target);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    say(button, copied ? "copied" : "selected");
  }
  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) return;
    button.addEventListener("click", function () {
      var text = target.textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { say(button, "copied"); },
          function () { fallback(button, target); }
        );
      } else {
        fallback(button, target);
      }
    });
  });
})();
