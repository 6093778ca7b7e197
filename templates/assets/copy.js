/* The cite box (templates/partials/cite_box.html) and its copy buttons.

   The page holds the plain citation, readable and selectable without JavaScript. Its BibTeX entry
   and CSL-JSON are made here from the entry's JSON export (the page's "Data: JSON" link), the page's
   version date (data-version) and the parts of the plain citation that are in the page's language
   (data-cite="about" and "dated"): the same text catalogue/cite.py makes, byte for byte
   (tests/test_browser_cite.py holds the two together). Where the export cannot be loaded (a page
   opened as a file), the box says so and keeps the plain citation.

   After each text marked data-copy="<which>", a button (data-copy-target: the text's id) copies it,
   labelled with the words file's copy[<which>] (assets/words.<lang>.js, catalogue/words.py); what it
   did is said in the section's .copy-status. Where the clipboard is refused, the text is selected
   for Ctrl+C instead. */
var CatalogueCite = (function () {
  "use strict";
  var SPECIALS = {
    "\\": "\\textbackslash{}", "{": "\\{", "}": "\\}", "%": "\\%", "&": "\\&", "$": "\\$", "#": "\\#",
    "_": "\\_", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}"
  };
  // Python's str.split() whitespace, so clean() collapses what cite.clean() does.
  var SPACE = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  var BIBTEX_TYPES = {
    "journal-article": ["article", "journal"], "book": ["book", "publisher"], "report": ["techreport", "institution"]
  };
  var CSL_TYPES = {
    "journal-article": "article-journal", "thesis": "thesis", "book": "book", "report": "report",
    "official-document": "document", "news": "article-newspaper", "web-page": "webpage"
  };

  function clean(text) {
    return text.split(SPACE).filter(Boolean).join(" ");
  }
  function escape(text) {
    return text.replace(/[\\{}%&$#_~^]/g, function (c) { return SPECIALS[c]; });
  }
  // urllib.parse.quote(url, safe="/:?&=+;,@!'()*[]-._~#%$"): every other character percent-encoded as UTF-8.
  function url(text) {
    return text.replace(/[^A-Za-z0-9_.\-~\/:?&=+;,@!'()*\[\]#%$]/gu, function (c) { return encodeURIComponent(c); });
  }
  function key(slug) {
    return slug.toLowerCase().replace(/[^a-z0-9-]+/g, "-") || "entry";
  }
  function yearText(source) {
    if (source.year === null || source.year === undefined) return null;
    return source.year_estimated ? "c. " + source.year : String(source.year);
  }
  // Python's json.dumps(value, ensure_ascii=False): ", " and ": " between items, strings as JSON writes them.
  function dumps(value) {
    if (Array.isArray(value)) return "[" + value.map(dumps).join(", ") + "]";
    if (value !== null && typeof value === "object") {
      return "{" + Object.keys(value).map(function (k) { return JSON.stringify(k) + ": " + dumps(value[k]); })
        .join(", ") + "}";
    }
    return JSON.stringify(value);
  }
  function entry(kind, name, fields) {
    return "@" + kind + "{" + name + ",\n" + fields.map(function (f) { return "  " + f[0] + " = {" + f[1] + "},\n"; })
      .join("") + "}\n";
  }
  function notes(source, words) {
    var out = [];
    if (source.title_supplied) out.push(words.supplied);
    var year = yearText(source);
    if (source.year_estimated && year) out.push(words.estimated.split("{year}").join(year));
    if (source.archive) out.push(words.archive.split("{url}").join(source.archive));
    return out;
  }
  function sourceBibtex(ident, source, words) {
    var type = BIBTEX_TYPES[source.type || ""] || ["misc", "howpublished"];
    if (!source.publisher && type[0] !== "misc") type = ["misc", "howpublished"];
    var fields = [];
    if (source.author) fields.push(["author", "{" + escape(clean(source.author)) + "}"]);
    fields.push(["title", "{" + escape(clean(source.title)) + "}"]);
    if (source.publisher) fields.push([type[1], escape(clean(source.publisher))]);
    var year = yearText(source);
    if (year) fields.push(["year", escape(year)]);
    if (source.doi) fields.push(["doi", escape(source.doi)]);
    if (source.isbn) fields.push(["isbn", escape(source.isbn)]);
    if (source.url) fields.push(["url", url(source.url)]);
    var said = notes(source, words);
    if (said.length) fields.push(["note", escape(said.join(" "))]);
    return entry(type[0], key(ident), fields);
  }
  function sourceCsl(ident, source, words) {
    var item = {id: ident, type: CSL_TYPES[source.type || ""] || "document", title: clean(source.title)};
    if (source.author) item.author = [{literal: clean(source.author)}];
    if (source.publisher) item[source.type === "journal-article" ? "container-title" : "publisher"] = clean(source.publisher);
    if (source.year !== null && source.year !== undefined) {
      item.issued = source.year_estimated ? {literal: yearText(source)} : {"date-parts": [[source.year]]};
    }
    [["DOI", source.doi], ["ISBN", source.isbn], ["URL", source.url]].forEach(function (pair) {
      if (pair[1]) item[pair[0]] = pair[1];
    });
    var said = notes(source, words);
    if (said.length) item.note = said.join(" ");
    return item;
  }

  /* The BibTeX and CSL-JSON of an entry (its JSON export's `agreement` record), as cite.citations makes them.
     page: {site, permalink, version: "2026-11-22" or "", about, dated, lang}; words: the source notes. */
  function formats(agreement, page, words) {
    var slug = agreement.slug, title = clean(agreement.title), site = clean(page.site);
    var about = page.about, note = about.charAt(0).toUpperCase() + about.slice(1) + ". " + page.dated;
    var sources = agreement.sources || [];
    var ids = sources.map(function (s, n) { return key(s.key ? slug + "-" + s.key : slug + "-source-" + (n + 1)); });
    var version = page.version ? page.version.split("-").map(Number) : null;
    var link = url(page.permalink);
    var fields = [
      ["author", "{" + escape(site) + "}"], ["title", "{" + escape(title) + "}"],
      ["howpublished", "\\url{" + link + "}"], ["url", link]
    ];
    if (version) fields.push(["year", String(version[0])]);
    fields.push(["note", escape(note)]);
    if (ids.length) fields.push(["related", ids.join(",")]);
    var bibtex = entry("misc", key(slug), fields) + sources.map(function (s, n) {
      return "\n" + sourceBibtex(ids[n], s, words);
    }).join("");
    var item = {id: slug, type: "webpage", title: title, "container-title": site, URL: page.permalink};
    if (version) item.issued = {"date-parts": [version]};
    item.note = note;
    item.language = page.lang;
    var items = [item].concat(sources.map(function (s, n) { return sourceCsl(ids[n], s, words); }));
    var csl = "[\n" + items.map(function (one) {
      return "  {\n" + Object.keys(one).map(function (k) { return "    " + JSON.stringify(k) + ": " + dumps(one[k]); })
        .join(",\n") + "\n  }";
    }).join(",\n") + "\n]\n";
    return {bibtex: bibtex, csl: csl};
  }
  return {formats: formats};
})();

(function () {
  "use strict";
  var box = document.querySelector("section.cite");
  if (!box) return;
  var words = (window.CATALOGUE_WORDS && window.CATALOGUE_WORDS.copy) || {};
  // The status line the copy buttons speak in: a live region made here, with the buttons (the page has neither
  // without the script), before anything is said in it.
  var status = document.createElement("p");
  status.id = "cite-status";
  status.className = "copy-status note";
  status.setAttribute("role", "status");
  box.appendChild(status);
  var text = document.getElementById("cite-text");
  function part(name) {
    var node = text && text.querySelector("[data-cite='" + name + "']");
    return node ? node.textContent : "";
  }
  var relative = box.getAttribute("data-relative-url");
  var canonical = document.querySelector("link[rel=canonical]");
  var permalink = relative || (canonical ? canonical.getAttribute("href") : "");
  // A site built without base_url cites each page by its path; where the page is served over
  // http(s), its own address is the absolute link a copied citation needs.
  if (relative && /^https?:$/.test(window.location.protocol)) {
    permalink = window.location.href.split("#")[0].split("?")[0];
  }
  var page = {
    site: (document.querySelector("header .brand") || {textContent: ""}).textContent,  // the site's name (base.html)
    permalink: permalink,
    version: box.getAttribute("data-version") || "",
    about: part("about"),
    dated: part("dated"),
    lang: document.documentElement.getAttribute("lang") || ""
  };
  if (text && relative && permalink !== relative) {
    text.textContent = text.textContent.split(relative).join(permalink);
  }

  function select(node) {
    var range = document.createRange(), selection = window.getSelection();
    range.selectNodeContents(node);
    selection.removeAllRanges();
    selection.addRange(range);
  }
  var timers = {};
  // The status line is a live region: emptied first, so the same words copied twice are heard twice.
  // The button shows it too ("copied" class, a tick in the stylesheet) for a few seconds.
  function say(button, which) {
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
  function addButton(target) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = words[target.getAttribute("data-copy")] || "Copy";
    button.setAttribute("data-copy-target", target.id);
    if (status) button.setAttribute("data-copy-status", status.id);
    target.parentNode.insertBefore(button, target.nextSibling);
    button.addEventListener("click", function () {
      var copied = target.textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(copied).then(
          function () { say(button, "copied"); },
          function () { fallback(button, target); }
        );
      } else {
        fallback(button, target);
      }
    });
  }
  // Each format: a heading and a <pre> a keyboard can reach and scroll (tabindex), named by its heading.
  function addFormat(which, id, label, code) {
    var heading = document.createElement("h3");
    heading.id = id + "-label";
    heading.textContent = label;
    var pre = document.createElement("pre");
    pre.id = id;
    pre.className = "cite-code";
    pre.tabIndex = 0;
    pre.setAttribute("aria-labelledby", heading.id);
    pre.setAttribute("data-copy", which);
    pre.textContent = code;
    box.insertBefore(heading, status);
    box.insertBefore(pre, status);
    addButton(pre);
  }

  if (text) addButton(text);
  // The entry's JSON export: the "Data: JSON" link of its permalink line (templates/agreement.html).
  var data = document.querySelector("p.permalink a[type='application/json'][href]");
  if (!data || !window.fetch) return;
  fetch(data.href)
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (record) {
      var made = CatalogueCite.formats(record.agreement, page, words);
      addFormat("bibtex", "cite-bibtex", "BibTeX", made.bibtex);
      addFormat("csl", "cite-csl", "CSL-JSON", made.csl);
      box.setAttribute("data-formats", "ready");
    })
    .catch(function () {
      var note = document.createElement("p");
      note.className = "note";
      note.textContent = words.unavailable || "";
      box.insertBefore(note, status);
      box.setAttribute("data-formats", "unavailable");
    });
})();
