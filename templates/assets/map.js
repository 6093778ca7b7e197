/* The catalogue's map. Its input is the page's config (cfg: where the data is, the words in the
   page's language) and one map data file (catalogue/mapping.py map_data: places and ties as arrays
   with indexes), fetched after the page has shown.

   Two parts. CatalogueMapCore is pure: numbers in, numbers out, no Leaflet and no page, so tests
   run it on data in a real browser (tests/test_browser_map.py). catalogueMap draws with it.

   One marker per place, whatever its ties' statuses: a ring cut into the statuses of its ties, the
   number of ties inside, and a spoken name ("Surakarta, 4 ties: 2 active, 1 stalled, 1 ended").
   Places that sit close at the current zoom are grouped; a group counts its places and rings the
   statuses of its ties, each tie once even when both its places are in the group. Groups are made
   for one zoom at a time, when it is first shown (tens of milliseconds for 25k ties), so the first
   view costs one zoom, not every zoom. Markers are DOM buttons (Tab reaches them, Enter opens them);
   only those in view exist. Names beside places are drawn only where they overlap no other name
   or marker. Lines join groups, not ties: the ties between two groups are one line per status,
   side by side in their colours, as thick as they are many, so a world view of 25k ties is a few
   hundred lines; selecting a place draws its own ties. Names only ever go in as text. */
var CatalogueMapCore = (function () {
  "use strict";
  var TILE = 256;     // pixels of a Web Mercator tile at zoom 0
  var CELL = 16777216;  // 2^24: grid cells per row, more than any zoom up to 24 makes

  // Web Mercator, as Leaflet draws it: [lat, lon] → [x, y] in 0..1 of the world at zoom 0.
  function project(lat, lon) {
    var sin = Math.sin(lat * Math.PI / 180);
    var y = 0.5 - 0.25 * Math.log((1 + sin) / (1 - sin)) / Math.PI;
    return [lon / 360 + 0.5, y < 0 ? 0 : (y > 1 ? 1 : y)];
  }

  function unproject(x, y) {
    return [360 * Math.atan(Math.exp((1 - 2 * y) * Math.PI)) / Math.PI - 90, (x - 0.5) * 360];
  }

  // Groups of the places drawn (on[i]) at one zoom. Leaders are taken in `order` (the busiest
  // first); each takes every place not yet taken within `radius` pixels of it. Returns, per place,
  // its group (of, -1 when not drawn) and, per group, its centre (x, y: the mean of its places),
  // its number of places (size) and its leader (lead). A group of one is a place on its own.
  function cluster(xs, ys, on, order, zoom, radius) {
    var n = xs.length, r = radius / (TILE * Math.pow(2, zoom)), r2 = r * r;
    var of = new Int32Array(n).fill(-1), next = new Int32Array(n).fill(-1), heads = new Map();
    var i, key, head;
    for (i = 0; i < n; i++) {
      if (on[i]) {
        key = Math.floor(xs[i] / r) * CELL + Math.floor(ys[i] / r);
        head = heads.get(key);
        next[i] = head === undefined ? -1 : head;
        heads.set(key, i);
      }
    }
    var cx = [], cy = [], size = [], lead = [];
    for (var o = 0; o < order.length; o++) {
      var leader = order[o];
      if (!on[leader] || of[leader] >= 0) {
        continue;
      }
      var c = size.length, sx = 0, sy = 0, count = 0;
      var gx = Math.floor(xs[leader] / r), gy = Math.floor(ys[leader] / r);
      for (var dx = -1; dx <= 1; dx++) {
        for (var dy = -1; dy <= 1; dy++) {
          head = heads.get((gx + dx) * CELL + gy + dy);
          for (var j = head === undefined ? -1 : head; j >= 0; j = next[j]) {
            var ex = xs[j] - xs[leader], ey = ys[j] - ys[leader];
            if (of[j] < 0 && ex * ex + ey * ey <= r2) {
              of[j] = c;
              sx += xs[j];
              sy += ys[j];
              count += 1;
            }
          }
        }
      }
      cx.push(sx / count);
      cy.push(sy / count);
      size.push(count);
      lead.push(leader);
    }
    return {of: of, x: cx, y: cy, size: size, lead: lead, count: size.length};
  }

  // Ties per group and status (group * S + status): each shown tie counts once in each group
  // that holds one of its places, so a tie with both places in one group counts once there.
  function tieMix(tieA, tieB, tieS, shown, of, groups, S) {
    var mix = new Int32Array(groups * S);
    for (var k = 0; k < tieA.length; k++) {
      if (shown[k]) {
        var ca = of[tieA[k]], cb = of[tieB[k]], s = tieS[k];
        if (ca >= 0) {
          mix[ca * S + s] += 1;
        }
        if (cb >= 0 && cb !== ca) {
          mix[cb * S + s] += 1;
        }
      }
    }
    return mix;
  }

  // The shown ties joining two different groups, one bundle per pair of groups: {a, b, ties},
  // a < b, the bundles with most ties first (then by group, so the order is always the same).
  function bundle(tieA, tieB, shown, of) {
    var byPair = new Map(), out = [];
    for (var k = 0; k < tieA.length; k++) {
      var ca = of[tieA[k]], cb = of[tieB[k]];
      if (!shown[k] || ca < 0 || cb < 0 || ca === cb) {
        continue;
      }
      var lo = Math.min(ca, cb), hi = Math.max(ca, cb), key = lo * 67108864 + hi;
      var found = byPair.get(key);
      if (!found) {
        found = {a: lo, b: hi, ties: []};
        byPair.set(key, found);
        out.push(found);
      }
      found.ties.push(k);
    }
    out.sort(function (p, q) { return q.ties.length - p.ties.length || p.a - q.a || p.b - q.b; });
    return out;
  }

  function overlaps(a, b) {
    return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
  }

  // Which names to draw: labels [x, y, width, height] in pixels, most important first, each kept
  // only if it overlaps no obstacle (the markers) and no label kept before it.
  function placeLabels(labels, obstacles) {
    var kept = [], shown = [];
    labels.forEach(function (box) {
      var free = !obstacles.some(function (o) { return overlaps(box, o); }) &&
        !kept.some(function (k) { return overlaps(box, k); });
      if (free) {
        kept.push(box);
      }
      shown.push(free);
    });
    return shown;
  }

  // The list filters a URL query asks for, as indexes into the map data's vocabularies. A status
  // the data does not know is ignored; a kind or sector it does not know matches no tie (-1), as the
  // list's own filters show none; a country is its lower-case code.
  function readFilters(search, d) {
    var wanted = {}, params = new URLSearchParams(search);
    [["status", d.statuses], ["kind", d.kinds], ["sector", d.sectors]].forEach(function (pair) {
      var value = params.get(pair[0]);
      var at = value === null ? -1 : pair[1].indexOf(value);
      if (at >= 0) {
        wanted[pair[0]] = at;
      } else if (value !== null && value !== "" && pair[0] !== "status") {
        wanted[pair[0]] = -1;
      }
    });
    var country = params.get("country");
    if (country) {
      wanted.country = country.toLowerCase();
    }
    return wanted;
  }

  // Does tie t (a row of the map data) pass the filters? countryOf(place index) is its country code.
  function inFilters(t, wanted, countryOf) {
    if (wanted.hasOwnProperty("status") && t[2] !== wanted.status) { return false; }
    if (wanted.hasOwnProperty("kind") && t[3] !== wanted.kind) { return false; }
    if (wanted.hasOwnProperty("sector") && t[4].indexOf(wanted.sector) < 0) { return false; }
    if (wanted.country && countryOf(t[0]) !== wanted.country && countryOf(t[1]) !== wanted.country) { return false; }
    return true;
  }

  // The part of a shared map data file a page shows (catalogue/mapdata.py shared_maps): the ties that pass
  // `only` (a list's filter as in its address, "country=jp", or "tie=<slug>") and the places they join,
  // numbered anew in the order the ties reach them. The vocabularies stay whole, so indexes keep their meaning.
  function subset(d, only) {
    var slug = new URLSearchParams(only).get("tie"), wanted = readFilters(only, d);
    var renumbered = {}, places = [], ties = [], out = {};
    function countryOf(i) { return d.places[i][3].split("/")[0]; }
    function at(i) {
      if (!renumbered.hasOwnProperty(i)) {
        renumbered[i] = places.length;
        places.push(d.places[i]);
      }
      return renumbered[i];
    }
    d.ties.forEach(function (t) {
      if (slug !== null ? t[5] === slug : inFilters(t, wanted, countryOf)) {
        ties.push([at(t[0]), at(t[1])].concat(t.slice(2)));
      }
    });
    Object.keys(d).forEach(function (key) { out[key] = d[key]; });
    out.places = places;
    out.ties = ties;
    return out;
  }

  return {
    project: project, unproject: unproject, cluster: cluster, tieMix: tieMix, bundle: bundle,
    placeLabels: placeLabels, readFilters: readFilters, inFilters: inFilters, subset: subset
  };
})();

function catalogueMap(map, cfg) {
  "use strict";
  var core = CatalogueMapCore;
  var RADIUS = 48;       // pixels within which places are grouped
  var MAX_ZOOM = 17;     // the last zoom that groups: past it, only places at the very same spot share a marker
  var LINE_LIMIT = 1000; // lines drawn at most, the busiest bundles first
  var NAME_FONT = "600 12px system-ui, sans-serif";  // map.css .map-name, to measure names by
  var text = cfg.text;
  var state = {ready: false, error: null, timings: {start: performance.now()}};
  map.catalogue = state;  // for tests and the curious: what the map holds and shows
  var container = map.getContainer();

  function mark(name) {
    state.timings[name] = performance.now();
  }

  function plural(n, one, other) {
    return (n === 1 ? one : other).replace("{n}", String(n));
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return values.hasOwnProperty(key) ? values[key] : all; });
  }

  function note(message) {
    var box = L.control({position: "bottomleft"});
    box.onAdd = function () {
      var div = L.DomUtil.create("div", "map-note");
      div.setAttribute("role", "status");
      div.textContent = message;
      return div;
    };
    box.addTo(map);
    return box;
  }

  // -- Leaflet's own controls, in the page's language ----------------------------------------------
  function speak(element, words) {
    if (element) {
      element.title = words;
      element.setAttribute("aria-label", words);
    }
  }
  if (map.zoomControl) {
    speak(map.zoomControl._zoomInButton, text.zoomIn);
    speak(map.zoomControl._zoomOutButton, text.zoomOut);
  }
  map.on("popupopen", function (e) {
    speak(e.popup.getElement().querySelector(".leaflet-popup-close-button"), text.close);
  });

  // -- land and borders, shipped with the site: drawn when there are no tiles or they fail -----------
  var landDrawn = false;
  function drawLand() {
    if (landDrawn || !window.CATALOGUE_LAND) {
      return;
    }
    landDrawn = true;
    var pane = map.createPane("land");
    pane.style.zIndex = 150;  // under the lines and markers, where the tiles were
    var renderer = L.canvas({pane: "land", padding: 0.5});
    container.classList.add("map-no-tiles");
    L.geoJSON(window.CATALOGUE_LAND, {
      interactive: false, pane: "land", renderer: renderer,
      style: {color: "#8a97a3", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1}
    }).addTo(map);
    if (window.CATALOGUE_BORDERS) {
      L.geoJSON(window.CATALOGUE_BORDERS, {
        interactive: false, pane: "land", renderer: renderer,
        style: {color: "#8a97a3", weight: 0.8, dashArray: "3 3", fill: false}
      }).addTo(map);
    }
  }
  function loadLand() {
    if (window.CATALOGUE_LAND) {
      drawLand();
      return;
    }
    var script = document.createElement("script");
    script.src = cfg.assets + "assets/land-110m.js";
    script.onload = drawLand;
    document.head.appendChild(script);
  }
  // Without tiles, the outline is loaded once the first markers are drawn (or the data failed):
  // it is 135 KB the first view can wait for.
  function landIfNoTiles() {
    if (!cfg.tiles) {
      loadLand();
    }
  }
  // With tiles asked for but none arriving (offline, blocked), fall back by itself and say so.
  map.eachLayer(function (layer) {
    if (!(layer instanceof L.TileLayer)) {
      return;
    }
    var loaded = 0;
    layer.on("tileload", function () { loaded += 1; });
    layer.on("tileerror", function () {
      if (loaded || state.offline) {
        return;
      }
      state.offline = true;
      map.removeLayer(layer);
      loadLand();
      note(text.offline);
    });
  });

  if (location.protocol === "file:") {
    landIfNoTiles();
    note(text.file);  // browsers refuse fetch() on file://
    return;
  }
  fetch(cfg.data).then(function (response) {
    if (!response.ok) {
      throw new Error(response.status + " " + cfg.data);
    }
    mark("fetched");
    return response.json();
  }).then(function (data) {
    mark("parsed");
    draw(cfg.only ? core.subset(data, cfg.only) : data);
  }).catch(function (error) {
    state.error = String(error);
    landIfNoTiles();
    note(text.unavailable);
  });

  function draw(d) {
    var places = d.places, ties = d.ties, S = d.statuses.length, P = places.length, T = ties.length;
    // The records as flat arrays: where each place is drawn, each tie's places and status, and the
    // ties of each place (tiesAt(i): its part of atList, from atStart[i] to atStart[i + 1]).
    var xs = new Float64Array(P), ys = new Float64Array(P), located = new Uint8Array(P);
    var tieA = new Int32Array(T), tieB = new Int32Array(T), tieS = new Int32Array(T);
    var atStart = new Int32Array(P + 1), atList, i, k, t;
    for (i = 0; i < P; i++) {
      if (places[i][0] !== null) {
        var xy = core.project(places[i][0], places[i][1]);
        xs[i] = xy[0];
        ys[i] = xy[1];
        located[i] = 1;
      }
    }
    for (k = 0; k < T; k++) {
      t = ties[k];
      tieA[k] = t[0];
      tieB[k] = t[1];
      tieS[k] = t[2];
      atStart[t[0] + 1] += 1;
      if (t[1] !== t[0]) {
        atStart[t[1] + 1] += 1;
      }
    }
    for (i = 0; i < P; i++) {
      atStart[i + 1] += atStart[i];
    }
    atList = new Int32Array(atStart[P]);
    var filled = atStart.slice(0, P);
    for (k = 0; k < T; k++) {
      atList[filled[tieA[k]]++] = k;
      if (tieB[k] !== tieA[k]) {
        atList[filled[tieB[k]]++] = k;
      }
    }
    function tiesAt(i) { return Array.prototype.slice.call(atList.subarray(atStart[i], atStart[i + 1])); }
    var placeIndex = null;
    function indexOfPlace(key) {
      if (!placeIndex) {
        placeIndex = {};
        places.forEach(function (p, n) { placeIndex[p[3]] = n; });
      }
      return placeIndex[key];
    }
    function countryOf(i) { return places[i][3].split("/")[0]; }
    function zeros() { var a = []; for (var s = 0; s < S; s++) { a.push(0); } return a; }
    function lower(word) { return word.toLocaleLowerCase(document.documentElement.lang || undefined); }
    function tieUrl(t) { return cfg.root + d.urls.tie.replace("{}", t[5]); }
    function placeUrl(i) { return cfg.root + d.urls.place.replace("{}", places[i][3]); }
    function tieTitle(t) { return t[6] !== null ? t[6] : places[t[0]][2] + " – " + places[t[1]][2]; }

    // -- which ties show: the status boxes, and on pages with list filters, the filters in the URL --
    var present = zeros();
    for (k = 0; k < T; k++) { present[tieS[k]] += 1; }
    var statusOn = present.map(function (n) { return n > 0; });
    var wanted = {};
    function readFilters() {
      wanted = cfg.filters && window.URLSearchParams ? core.readFilters(window.location.search, d) : {};
    }
    // Per tie: shown or not; per place: its shown ties by status (placeTies), in all (weight), drawn or not.
    var shownTie = new Uint8Array(T), placeTies = new Int32Array(P * S), weight = new Int32Array(P);
    var drawn = new Uint8Array(P), order = null;
    function shown(k) { return shownTie[k] === 1; }
    function mixOf(i) { return Array.prototype.slice.call(placeTies.subarray(i * S, i * S + S)); }
    function sum(mix) { var n = 0; for (var s = 0; s < mix.length; s++) { n += mix[s]; } return n; }
    function mixWords(mix) {
      var parts = [];
      for (var s = 0; s < S; s++) {
        if (mix[s]) { parts.push(mix[s] + " " + lower(cfg.labels[s])); }
      }
      return parts.join(", ");
    }
    function ring(mix) {
      var total = sum(mix), at = 0, stops = [];
      for (var s = 0; s < S; s++) {
        if (mix[s]) {
          stops.push(d.colours[s] + " " + (360 * at / total) + "deg " + (360 * (at + mix[s]) / total) + "deg");
          at += mix[s];
        }
      }
      return "conic-gradient(" + stops.join(", ") + ")";
    }

    // -- groups, one zoom at a time, each made when first shown and kept until the filters change -----
    var levels = {};
    function levelAt(zoom) {
      if (levels[zoom]) {
        return levels[zoom];
      }
      var level = core.cluster(xs, ys, drawn, order, zoom, RADIUS);
      level.mix = core.tieMix(tieA, tieB, tieS, shownTie, level.of, level.count, S);
      level.lat = [];
      level.lng = [];
      for (var c = 0; c < level.count; c++) {
        var where = level.size[c] === 1 ? places[level.lead[c]] : core.unproject(level.x[c], level.y[c]);
        level.lat.push(where[0]);
        level.lng.push(where[1]);
      }
      levels[zoom] = level;
      return level;
    }
    function zoomNow() { return Math.min(MAX_ZOOM, Math.max(0, Math.floor(map.getZoom()))); }
    function membersOf(level, c) {
      var out = [];
      for (var i = 0; i < P; i++) { if (level.of[i] === c) { out.push(i); } }
      return out;
    }

    // -- markers ------------------------------------------------------------------------------------
    var markers = {}, markerLayer = L.layerGroup().addTo(map), selected = null, nameWidths = {};
    function rebuild(first) {
      placeTies.fill(0);
      drawn.fill(0);
      for (var k = 0; k < T; k++) {
        shownTie[k] = statusOn[tieS[k]] && core.inFilters(ties[k], wanted, countryOf) ? 1 : 0;
        if (shownTie[k]) {
          placeTies[tieA[k] * S + tieS[k]] += 1;
          if (tieB[k] !== tieA[k]) {
            placeTies[tieB[k] * S + tieS[k]] += 1;
          }
        }
      }
      var list = [];
      for (var i = 0; i < P; i++) {
        weight[i] = sum(placeTies.subarray(i * S, i * S + S));
        if (located[i] && weight[i]) {
          drawn[i] = 1;
          list.push(i);
        }
      }
      // The busiest places lead their groups, so a group sits where most of its ties are.
      order = Int32Array.from(list).sort(function (a, b) { return weight[b] - weight[a] || a - b; });
      state.places = list.length;
      levels = {};
      markerLayer.clearLayers();
      markers = {};
      refresh();
      if (!first) {
        drawLines();
      }
      if (selected !== null && !weight[selected]) {
        map.closePopup();
      }
    }
    function icon(kind, count, mix, name, words) {
      // The button's name is its words (said first, in full); what is drawn is hidden from
      // screen readers, so the name a reader hears and the text on screen never disagree.
      var box = document.createElement("div");
      box.className = "map-mark map-" + kind;
      var spoken = document.createElement("span");
      spoken.className = "map-spoken map-visually-hidden";
      spoken.textContent = words;
      box.appendChild(spoken);
      var circle = document.createElement("span");
      circle.className = "map-ring";
      circle.setAttribute("aria-hidden", "true");
      circle.style.background = ring(mix);
      var number = document.createElement("span");
      number.className = "map-count";
      number.textContent = String(count);
      circle.appendChild(number);
      box.appendChild(circle);
      if (name) {
        var label = document.createElement("span");
        label.className = "map-name";
        label.setAttribute("aria-hidden", "true");
        label.textContent = name;
        box.appendChild(label);
      }
      var size = kind === "cluster" ? 40 : 30;
      return L.divIcon({html: box, className: "map-icon", iconSize: [size, size]});
    }
    function button(latlng, markIcon, words, activate) {
      var marker = L.marker(latlng, {icon: markIcon, keyboard: true, title: words, riseOnHover: true});
      marker.on("click", activate);
      marker.on("add", function () {
        marker.getElement().addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            activate();
          }
        });
      });
      return marker;
    }
    function near(lng, centre) {
      // The copy of a longitude nearest the view, so markers follow the world as it wraps.
      centre = centre === undefined ? map.getCenter().lng : centre;
      return lng + 360 * Math.round((centre - lng) / 360);
    }
    var measure = document.createElement("canvas").getContext("2d");
    function nameWidth(name) {
      if (!nameWidths.hasOwnProperty(name)) {
        measure.font = NAME_FONT;
        nameWidths[name] = Math.ceil(measure.measureText(name).width) + 4;
      }
      return nameWidths[name];
    }
    function refresh() {
      if (!order) { return; }
      var zoom = zoomNow(), level = levelAt(zoom), bounds = map.getBounds().pad(0.05);
      var inView = [], centre = map.getCenter().lng;
      for (var c = 0; c < level.count; c++) {
        var latlng = [level.lat[c], near(level.lng[c], centre)];
        if (bounds.contains(latlng)) {
          inView.push({c: c, latlng: latlng});
        }
      }
      // Names beside single places, the busiest first, where they cover no marker and no other name.
      var obstacles = [], labels = [], singles = [];
      inView.forEach(function (v) {
        var at = map.latLngToContainerPoint(v.latlng), half = level.size[v.c] === 1 ? 15 : 20;
        v.at = at;
        obstacles.push([at.x - half, at.y - half, 2 * half, 2 * half]);
        if (level.size[v.c] === 1) { singles.push(v); }
      });
      singles.sort(function (a, b) { return weight[level.lead[b.c]] - weight[level.lead[a.c]] || level.lead[a.c] - level.lead[b.c]; });
      singles.forEach(function (v) {
        labels.push([v.at.x + 19, v.at.y - 8, nameWidth(places[level.lead[v.c]][2]), 16]);
      });
      var named = core.placeLabels(labels, obstacles);
      singles.forEach(function (v, n) { v.named = named[n]; });
      state.names = named.filter(Boolean).length;
      var keep = {};
      inView.forEach(function (v) {
        var c = v.c, latlng = v.latlng, key, mix = Array.prototype.slice.call(level.mix.subarray(c * S, c * S + S));
        if (level.size[c] > 1) {
          key = "z" + zoom + "c" + c + "@" + latlng[1];
          if (!markers[key]) {
            var words = fill(text.cluster, {places: plural(level.size[c], text.placeOne, text.placeOther), mix: mixWords(mix)});
            markers[key] = button(latlng, icon("cluster", level.size[c], mix, null, words), words, function () { expand(level, zoom, c, latlng); });
            markers[key].members = function () { return membersOf(level, c); };
          }
        } else {
          var i = level.lead[c];
          key = "p" + i + (v.named ? "n" : "") + "@" + latlng[1];
          if (!markers[key]) {
            var n = sum(mix);
            var spoken = fill(text.place, {name: places[i][2], ties: plural(n, text.tieOne, text.tieOther), mix: mixWords(mix)});
            markers[key] = button(latlng, icon("place", n, mix, v.named ? places[i][2] : null, spoken), spoken, function () { select(i, latlng); });
            markers[key].members = function () { return [i]; };
          }
        }
        keep[key] = true;
        if (!markerLayer.hasLayer(markers[key])) {
          markerLayer.addLayer(markers[key]);
        }
      });
      Object.keys(markers).forEach(function (key) {
        if (!keep[key]) {
          markerLayer.removeLayer(markers[key]);
          delete markers[key];
        }
      });
    }
    function expand(level, zoom, c, latlng) {
      // The first zoom at which the group's places no longer share one marker.
      var members = membersOf(level, c);
      for (var z = zoom + 1; z <= MAX_ZOOM; z++) {
        var of = levelAt(z).of, apart = members.some(function (i) { return of[i] !== of[members[0]]; });
        if (apart) {
          map.setView(latlng, z);
          container.focus();  // the group's button is gone; Tab goes on from the map
          return;
        }
      }
      // Places at the very same spot never come apart: list them all in one popup instead.
      openPopup(latlng, members, null);
    }

    // -- popups: every shown tie of a place, grouped by status, with links -------------------------------
    function link(words, href) {
      var a = document.createElement("a");
      a.textContent = words;
      a.href = href;
      return a;
    }
    function statusGroups(box, tieList, describe) {
      for (var s = 0; s < S; s++) {
        var group = tieList.filter(function (k) { return tieS[k] === s; });
        if (!group.length) { continue; }
        var title = document.createElement("p");
        title.className = "map-popup-status";
        var dot = document.createElement("span");
        dot.className = "dot";
        dot.style.background = d.colours[s];
        dot.setAttribute("aria-hidden", "true");
        title.appendChild(dot);
        title.appendChild(document.createTextNode(cfg.labels[s] + " (" + group.length + ")"));
        box.appendChild(title);
        var list = document.createElement("ul");
        group.forEach(function (k) {
          var item = document.createElement("li");
          item.appendChild(link(tieTitle(ties[k]), tieUrl(ties[k])));
          describe(k, item);
          list.appendChild(item);
        });
        box.appendChild(list);
      }
    }
    function placeSection(i, box) {
      var head = document.createElement("p");
      head.className = "map-popup-place";
      var strong = document.createElement("strong");
      strong.appendChild(link(places[i][2], placeUrl(i)));
      head.appendChild(strong);
      var mine = tiesAt(i).filter(shown);
      head.appendChild(document.createTextNode(" · " + plural(mine.length, text.tieOne, text.tieOther)));
      box.appendChild(head);
      statusGroups(box, mine, function (k, item) {
        var t = ties[k], other = t[0] === i ? t[1] : t[0];
        if (other !== i) {
          item.appendChild(document.createTextNode(" · " + text.partner + ": "));
          item.appendChild(link(places[other][2], placeUrl(other)));
        }
      });
    }
    var popup = L.popup({maxWidth: 340, maxHeight: 300, autoPanPadding: [16, 16]});
    var returnFocus = null;
    function show(latlng, box) {
      returnFocus = document.activeElement && container.contains(document.activeElement) ? document.activeElement : null;
      popup.setLatLng(latlng).setContent(box).openOn(map);
      var first = popup.getElement() && popup.getElement().querySelector(".map-popup a");
      if (first && returnFocus) {
        first.focus();  // a keyboard reader lands in what they opened
      }
    }
    function openPopup(latlng, placeList, tie) {
      var box = document.createElement("div");
      box.className = "map-popup";
      if (tie !== null) {
        var t = ties[tie], head = document.createElement("p");
        head.appendChild(link(tieTitle(t), tieUrl(t)));
        head.appendChild(document.createTextNode(" · " + cfg.labels[t[2]]));
        box.appendChild(head);
        var parties = document.createElement("p");
        [t[0], t[1]].forEach(function (i, n) {
          if (n) { parties.appendChild(document.createTextNode(" – ")); }
          parties.appendChild(link(places[i][2], placeUrl(i)));
        });
        box.appendChild(parties);
      } else {
        placeList.forEach(function (i) { placeSection(i, box); });
      }
      show(latlng, box);
    }
    function openBundle(latlng, tieList) {
      // The ties of one line: its count and statuses, then each tie with its two places.
      var box = document.createElement("div"), head = document.createElement("p"), mix = zeros();
      box.className = "map-popup";
      tieList.forEach(function (k) { mix[tieS[k]] += 1; });
      head.className = "map-popup-place";
      head.textContent = plural(tieList.length, text.tieOne, text.tieOther) + ": " + mixWords(mix);
      box.appendChild(head);
      statusGroups(box, tieList, function (k, item) {
        var t = ties[k];
        if (t[6] !== null) {
          item.appendChild(document.createTextNode(" · " + places[t[0]][2] + " – " + places[t[1]][2]));
        }
      });
      show(latlng, box);
    }
    function select(i, latlng) {
      selected = i;
      drawSelected();
      openPopup(latlng, [i], null);
    }
    map.on("popupclose", function () {
      selected = null;
      drawSelected();
      if (returnFocus && document.body.contains(returnFocus)) {
        returnFocus.focus();
      }
      returnFocus = null;
    });
    container.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && map.hasLayer(popup)) {
        map.closePopup();
      }
    });

    // -- lines: one per pair of groups at this zoom, and the selected place's own ---------------------
    var renderer = L.canvas({padding: 0.5});
    var lineLayer = L.layerGroup().addTo(map), selectedLayer = L.layerGroup().addTo(map), linesNote = null;
    function shortWay(a, b) {
      // The short way round: Jakarta to Los Angeles crosses the Pacific, not Africa.
      var lng = b[1];
      while (lng - a[1] > 180) { lng -= 360; }
      while (lng - a[1] < -180) { lng += 360; }
      return [a, [b[0], lng]];
    }
    function strands(tieList) {
      // The ties of one line split by status, in the vocabulary's order: one strand each.
      var out = [];
      for (var s = 0; s < S; s++) {
        var these = tieList.filter(function (k) { return tieS[k] === s; });
        if (these.length) { out.push({status: s, ties: these}); }
      }
      return out;
    }
    function beside(ends, offset) {
      // A line moved `offset` pixels sideways, so the strands of one bundle lie side by side.
      if (!offset) { return ends; }
      var a = map.latLngToLayerPoint(ends[0]), b = map.latLngToLayerPoint(ends[1]), dx = b.x - a.x, dy = b.y - a.y;
      var length = Math.sqrt(dx * dx + dy * dy);
      if (!length) { return ends; }
      var shift = L.point(-dy / length * offset, dx / length * offset);
      return [map.layerPointToLatLng(a.add(shift)), map.layerPointToLatLng(b.add(shift))];
    }
    function drawLines() {
      lineLayer.clearLayers();
      var zoom = zoomNow(), level = levelAt(zoom), view = map.getBounds().pad(0.5);
      if (!level.bundles) {
        level.bundles = core.bundle(tieA, tieB, shownTie, level.of);
        level.within = 0;  // ties with both places in one group: no line at this zoom
        for (var k = 0; k < T; k++) {
          if (shownTie[k] && tieA[k] !== tieB[k] && level.of[tieA[k]] >= 0 && level.of[tieA[k]] === level.of[tieB[k]]) {
            level.within += 1;
          }
        }
      }
      var count = 0, tieCount = 0, left = 0, faded = selected !== null, centre = map.getCenter().lng;
      state.drawnLines = [];
      level.bundles.forEach(function (b) {
        var ends = shortWay([level.lat[b.a], near(level.lng[b.a], centre)], [level.lat[b.b], level.lng[b.b]]);
        if (!view.intersects(L.latLngBounds(ends))) {
          return;
        }
        var parts = strands(b.ties);
        if (count + parts.length > LINE_LIMIT) {
          left += 1;
          return;
        }
        parts.forEach(function (strand, at) {
          var n = strand.ties.length, weight = Math.min(6, 1.5 + Math.log(n) / Math.LN2);
          var drawnLine = L.polyline(beside(ends, (at - (parts.length - 1) / 2) * 5), {
            color: d.colours[strand.status], weight: weight, opacity: faded ? 0.2 : 0.7, renderer: renderer
          });
          drawnLine.on("click", function (e) {
            if (n === 1) {
              openPopup(e.latlng, null, strand.ties[0]);
            } else {
              openBundle(e.latlng, strand.ties);
            }
          });
          lineLayer.addLayer(drawnLine);
          var latlngs = drawnLine.getLatLngs();
          state.drawnLines.push({ends: [[latlngs[0].lat, latlngs[0].lng], [latlngs[1].lat, latlngs[1].lng]], status: d.statuses[strand.status], ties: strand.ties.map(function (k) { return ties[k][5]; })});
          count += 1;
          tieCount += n;
        });
      });
      state.bundles = count;  // lines drawn
      state.lines = tieCount;  // ties they join
      state.bundlesLeft = left;  // lines past LINE_LIMIT, not drawn
      state.within = level.within;
      if (left && !linesNote) {
        linesNote = note(text.lines);
      } else if (!left && linesNote) {
        linesNote.remove();
        linesNote = null;
      }
    }
    function drawSelected() {
      selectedLayer.clearLayers();
      var faded = selected !== null;
      lineLayer.eachLayer(function (l) { l.setStyle({opacity: faded ? 0.2 : 0.7}); });
      state.selectedLines = 0;
      if (selected === null) { return; }
      tiesAt(selected).forEach(function (k) {
        var t = ties[k];
        if (shown(k) && located[t[0]] && located[t[1]] && t[0] !== t[1]) {
          var drawnLine = L.polyline(shortWay([places[t[0]][0], places[t[0]][1]], [places[t[1]][0], places[t[1]][1]]),
            {color: d.colours[t[2]], weight: 4, opacity: 1, renderer: renderer});
          drawnLine.on("click", function (e) { openPopup(e.latlng, null, k); });
          selectedLayer.addLayer(drawnLine);
          state.selectedLines += 1;
        }
      });
    }

    // -- the status box: a legend of the statuses present, each a switch ---------------------------------
    var control = L.control({position: "topright"});
    var boxes = [];
    control.onAdd = function () {
      var details = L.DomUtil.create("details", "map-statuses");
      details.open = container.clientWidth >= 560;  // on a phone it starts folded, off the places
      var summary = L.DomUtil.create("summary", "", details);
      summary.textContent = text.statuses;
      var fieldset = L.DomUtil.create("fieldset", "", details);
      var legend = L.DomUtil.create("legend", "map-visually-hidden", fieldset);
      legend.textContent = text.statuses;
      present.forEach(function (n, s) {
        if (!n) { return; }
        var label = L.DomUtil.create("label", "map-status", fieldset);
        var input = L.DomUtil.create("input", "", label);
        input.type = "checkbox";
        input.checked = true;
        input.value = d.statuses[s];
        var dot = L.DomUtil.create("span", "dot", label);
        dot.style.background = d.colours[s];
        dot.setAttribute("aria-hidden", "true");
        var words = L.DomUtil.create("span", "", label);
        boxes.push({status: s, words: words});
        input.addEventListener("change", function () {
          statusOn[s] = input.checked;
          rebuild(false);
        });
      });
      L.DomEvent.disableClickPropagation(details);
      L.DomEvent.disableScrollPropagation(details);
      return details;
    };
    function countBoxes() {
      var counts = zeros();
      ties.forEach(function (t) { if (core.inFilters(t, wanted, countryOf)) { counts[t[2]] += 1; } });
      boxes.forEach(function (b) { b.words.textContent = cfg.labels[b.status] + " (" + counts[b.status] + ")"; });
    }
    control.addTo(map);

    // -- list filters in the URL (assets/filters.js writes them; the map reads them after it) ------------
    if (cfg.filters) {
      var form = document.querySelector("form.filters");
      var follow = function () {
        window.setTimeout(function () { readFilters(); countBoxes(); rebuild(false); }, 0);
      };
      if (form) {
        form.addEventListener("change", follow);
        form.addEventListener("click", function (event) {
          if (event.target.closest && event.target.closest(".filters-reset")) { follow(); }
        });
      }
    }

    // -- first view: every mapped place, on a phone as on a desktop -----------------------------------------
    readFilters();
    countBoxes();
    var south = 90, north = -90, west = 180, east = -180;
    for (i = 0; i < P; i++) {
      if (located[i]) {
        south = Math.min(south, places[i][0]);
        north = Math.max(north, places[i][0]);
        west = Math.min(west, places[i][1]);
        east = Math.max(east, places[i][1]);
      }
    }
    if (south <= north) {
      map.fitBounds([[south, west], [north, east]], {padding: [24, 24], maxZoom: cfg.maxZoom, animate: false});
    }
    rebuild(true);
    mark("drawn");
    map.on("moveend", function () {
      refresh();
      drawLines();
    });
    // Lines in a task of their own, so the markers are on screen before they are drawn.
    window.setTimeout(function () {
      drawLines();
      mark("lines");
      landIfNoTiles();
      state.ready = true;
    }, 0);

    state.data = d;
    state.shownTies = function () { return ties.map(function (t, k) { return k; }).filter(shown).map(function (k) { return ties[k][5]; }); };
    // The markers on screen: what each says and the places it stands for.
    state.marks = function () {
      return Object.keys(markers).map(function (key) {
        return {spoken: markers[key].options.title, places: markers[key].members().map(function (i) { return places[i][3]; })};
      });
    };
    state.open = function (key) {
      var i = indexOfPlace(key);
      select(i, [places[i][0], near(places[i][1])]);
      return popup.getElement();
    };
  }
}

/* Every map on the page: a div.map-canvas whose data-map attribute is its config (catalogue/mapping.py
   build_map: the data file, the roots, tiles or not, list filters or not). The words come from the
   language's words file (assets/words.<lang>.js, catalogue/words.py), loaded before this script. So a
   page carries no script of its own for its map, and this one is loaded once for every page. A page
   names only this script: where it has a map, Leaflet (its script and stylesheet) and the map's own
   stylesheet are loaded from the site's assets, and the maps are made once all three have arrived. */
(function () {
  "use strict";
  var TILES = {
    openstreetmap: {
      url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
      options: {
        attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        maxZoom: 19
      }
    }
  };
  var FIT_MAX_ZOOM = 9;  // the first view fits the places, no closer than this (mapping.py FIT_MAX_ZOOM)
  var words = (window.CATALOGUE_WORDS && window.CATALOGUE_WORDS.map) || {};
  var divs = document.querySelectorAll("div.map-canvas[data-map]");

  function draw() {
    for (var i = 0; i < divs.length; i++) {
      var div = divs[i], cfg;
      try { cfg = JSON.parse(div.getAttribute("data-map")); } catch (e) { continue; }
      // Left out of the page's config where it is the site root (catalogue/mapping.py build_map).
      if (cfg.assets === undefined) cfg.assets = cfg.root;
      // Fractional zoom so the first view fits every place on a phone as well as on a desktop.
      var map = L.map(div, {
        center: [0, 110], zoom: 2, worldCopyJump: true, minZoom: 0, maxZoom: 18, zoomSnap: 0.25, zoomDelta: 0.5
      });
      var tiles = cfg.tiles && TILES[cfg.tiles];
      if (tiles) {
        L.tileLayer(tiles.url, tiles.options).addTo(map);
      }
      window[div.id] = map;
      cfg.text = words;
      cfg.labels = words.labels || [];
      cfg.maxZoom = FIT_MAX_ZOOM;
      // What the drawing means, after the legend's status counts: only where there is a map to explain.
      var figure = div.parentNode;
      var legend = figure && figure.nextElementSibling;
      if (words.legend && legend && legend.classList.contains("map-legend")) {
        legend.appendChild(document.createTextNode("· " + words.legend));
      }
      catalogueMap(map, cfg);
    }
  }

  if (!divs.length) return;
  var first;
  try { first = JSON.parse(divs[0].getAttribute("data-map")); } catch (e) { return; }
  var assets = (first.assets === undefined ? first.root : first.assets) + "assets/";
  var files = [
    ["link", assets + "vendor/leaflet/leaflet.css"],
    ["link", assets + "map.css"],
    ["script", assets + "vendor/leaflet/leaflet.js"]
  ];
  var waiting = files.length;
  files.forEach(function (file) {
    var node = document.createElement(file[0]);
    if (file[0] === "link") {
      node.rel = "stylesheet";
      node.href = file[1];
    } else {
      node.src = file[1];
    }
    // Leaflet measures the map's box when it makes the map: its stylesheet must be there first.
    node.onload = function () {
      waiting -= 1;
      if (waiting === 0 && window.L) draw();
    };
    document.head.appendChild(node);
  });
})();
