/* The catalogue's map. Its input is the page's config (cfg: where the data is, the words in the
   page's language) and one map data file (catalogue/mapping.py map_data: places and ties as arrays
   with indexes), fetched after the page has shown.

   One marker per place, whatever its ties' statuses: a ring cut into the statuses of its ties, the
   number of ties inside, and a spoken name ("Surakarta, 4 ties: 2 active, 1 stalled, 1 ended").
   supercluster groups places that sit close; a group counts its places and rings its status mix.
   Markers are DOM buttons (Tab reaches them, Enter opens them); only those in view exist, so 50k
   places cost no more than the few hundred on screen. Lines join the parties of each tie; past
   LINE_LIMIT they are drawn only for the selected place. Names only ever go in as text. */
function catalogueMap(map, cfg) {
  "use strict";
  var LINE_LIMIT = 1000;
  var text = cfg.text;
  var state = {ready: false, error: null};
  map.catalogue = state;  // for tests and the curious: what the map holds and shows
  var container = map.getContainer();

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
  if (!cfg.tiles) {
    loadLand();  // after the page, not in its head: the outline is 135 KB the first view can wait for
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
    note(text.file);  // browsers refuse fetch() on file://
    return;
  }
  fetch(cfg.data).then(function (response) {
    if (!response.ok) {
      throw new Error(response.status + " " + cfg.data);
    }
    return response.json();
  }).then(function (data) {
    draw(data);
  }).catch(function (error) {
    state.error = String(error);
    note(text.unavailable);
  });

  function draw(d) {
    var places = d.places, ties = d.ties, S = d.statuses.length;
    var tiesAt = places.map(function () { return []; });
    var placeIndex = {};
    places.forEach(function (p, i) { placeIndex[p[3]] = i; });
    ties.forEach(function (t, i) {
      tiesAt[t[0]].push(i);
      if (t[1] !== t[0]) {
        tiesAt[t[1]].push(i);
      }
    });
    function located(i) { return places[i][0] !== null; }
    function zeros() { var a = []; for (var k = 0; k < S; k++) { a.push(0); } return a; }
    function lower(word) { return word.toLocaleLowerCase(document.documentElement.lang || undefined); }
    function tieUrl(t) { return cfg.root + d.urls.tie.replace("{}", t[5]); }
    function placeUrl(i) { return cfg.root + d.urls.place.replace("{}", places[i][3]); }
    function tieTitle(t) { return t[6] !== null ? t[6] : places[t[0]][2] + " – " + places[t[1]][2]; }

    // -- which ties show: the status boxes, and on pages with list filters, the filters in the URL --
    var present = zeros();
    ties.forEach(function (t) { present[t[2]] += 1; });
    var statusOn = present.map(function (n) { return n > 0; });
    var wanted = {};
    function readFilters() {
      wanted = {};
      if (!cfg.filters || !window.URLSearchParams) {
        return;
      }
      var params = new URLSearchParams(window.location.search);
      // A value this map does not know is ignored, as the list's filters ignore it.
      [["status", d.statuses], ["kind", d.kinds], ["sector", d.sectors]].forEach(function (pair) {
        var value = params.get(pair[0]);
        var at = value === null ? -1 : pair[1].indexOf(value);
        if (at >= 0) {
          wanted[pair[0]] = at;
        } else if (value !== null && pair[0] !== "status") {
          wanted[pair[0]] = -1;  // a kind or sector no tie here has: the list shows none either
        }
      });
      var country = params.get("country");
      if (country) {
        wanted.country = country.toLowerCase();
      }
    }
    function inFilters(t) {
      if (wanted.hasOwnProperty("status") && t[2] !== wanted.status) { return false; }
      if (wanted.hasOwnProperty("kind") && t[3] !== wanted.kind) { return false; }
      if (wanted.hasOwnProperty("sector") && t[4].indexOf(wanted.sector) < 0) { return false; }
      if (wanted.country && places[t[0]][3].split("/")[0] !== wanted.country && places[t[1]][3].split("/")[0] !== wanted.country) { return false; }
      return true;
    }
    function shown(i) { return statusOn[ties[i][2]] && inFilters(ties[i]); }
    function mixOf(i) {
      var mix = zeros();
      tiesAt[i].forEach(function (k) { if (shown(k)) { mix[ties[k][2]] += 1; } });
      return mix;
    }
    function sum(mix) { return mix.reduce(function (a, b) { return a + b; }, 0); }
    function mixWords(mix) {
      var parts = [];
      mix.forEach(function (n, s) { if (n) { parts.push(n + " " + lower(cfg.labels[s])); } });
      return parts.join(", ");
    }
    function ring(mix) {
      var total = sum(mix), at = 0, stops = [];
      mix.forEach(function (n, s) {
        if (n) {
          stops.push(d.colours[s] + " " + (360 * at / total) + "deg " + (360 * (at + n) / total) + "deg");
          at += n;
        }
      });
      return "conic-gradient(" + stops.join(", ") + ")";
    }

    // -- markers ------------------------------------------------------------------------------------
    var index = null, markers = {}, markerLayer = L.layerGroup().addTo(map), selected = null;
    function rebuild(first) {
      var features = [];
      places.forEach(function (p, i) {
        if (!located(i)) { return; }
        var mix = mixOf(i);
        if (sum(mix)) {
          features.push({type: "Feature", geometry: {type: "Point", coordinates: [p[1], p[0]]}, properties: {i: i, m: mix}});
        }
      });
      index = new Supercluster({
        radius: 48, maxZoom: 16,
        map: function (props) { return {m: props.m.slice()}; },
        reduce: function (acc, props) { for (var k = 0; k < S; k++) { acc.m[k] += props.m[k]; } }
      }).load(features);
      state.places = features.length;
      markerLayer.clearLayers();
      markers = {};
      refresh();
      if (!first) {
        drawLines();
      }
      if (selected !== null && !sum(mixOf(selected))) {
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
    function near(lng) {
      // The copy of a longitude nearest the view, so markers follow the world as it wraps.
      var centre = map.getCenter().lng;
      return lng + 360 * Math.round((centre - lng) / 360);
    }
    function refresh() {
      if (!index) { return; }
      var bounds = map.getBounds(), zoom = Math.max(0, Math.floor(map.getZoom()));
      var west = bounds.getWest(), east = bounds.getEast();
      var box = east - west >= 360 ? [-180, -85, 180, 85] :
        [((west + 180) % 360 + 360) % 360 - 180, Math.max(-85, bounds.getSouth()), ((east + 180) % 360 + 360) % 360 - 180, Math.min(85, bounds.getNorth())];
      var found = index.getClusters(box, zoom);
      var singles = found.filter(function (f) { return !f.properties.cluster; }).length;
      var named = singles <= 60 || zoom >= 6;  // names beside places, once they no longer crowd
      var keep = {};
      found.forEach(function (f) {
        var c = f.geometry.coordinates, latlng = [c[1], near(c[0])], p = f.properties, key;
        if (p.cluster) {
          key = "c" + p.cluster_id + "@" + latlng[1];
          if (!markers[key]) {
            var words = fill(text.cluster, {places: plural(p.point_count, text.placeOne, text.placeOther), mix: mixWords(p.m)});
            markers[key] = button(latlng, icon("cluster", p.point_count, p.m, null, words), words, function () { expand(p.cluster_id, latlng); });
          }
        } else {
          key = "p" + p.i + (named ? "n" : "") + "@" + latlng[1];
          if (!markers[key]) {
            var n = sum(p.m), i = p.i;
            var spoken = fill(text.place, {name: places[i][2], ties: plural(n, text.tieOne, text.tieOther), mix: mixWords(p.m)});
            markers[key] = button(latlng, icon("place", n, p.m, named ? places[i][2] : null, spoken), spoken, function () { select(i, latlng); });
            markers[key].placeIndex = i;
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
    function expand(id, latlng) {
      var zoom = index.getClusterExpansionZoom(id);
      if (zoom > 16) {
        // Places at the very same spot never come apart: list them all in one popup instead.
        var leaves = index.getLeaves(id, Infinity).map(function (f) { return f.properties.i; });
        openPopup(latlng, leaves, null);
        return;
      }
      map.setView(latlng, zoom);
      container.focus();  // the cluster's button is gone; Tab goes on from the map
    }

    // -- popups: every shown tie of a place, grouped by status, with links -------------------------------
    function link(words, href) {
      var a = document.createElement("a");
      a.textContent = words;
      a.href = href;
      return a;
    }
    function placeSection(i, box) {
      var head = document.createElement("p");
      head.className = "map-popup-place";
      var strong = document.createElement("strong");
      strong.appendChild(link(places[i][2], placeUrl(i)));
      head.appendChild(strong);
      var mine = tiesAt[i].filter(shown);
      head.appendChild(document.createTextNode(" · " + plural(mine.length, text.tieOne, text.tieOther)));
      box.appendChild(head);
      for (var s = 0; s < S; s++) {
        var group = mine.filter(function (k) { return ties[k][2] === s; });
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
          var t = ties[k], item = document.createElement("li"), other = t[0] === i ? t[1] : t[0];
          item.appendChild(link(tieTitle(t), tieUrl(t)));
          if (other !== i) {
            item.appendChild(document.createTextNode(" · " + text.partner + ": "));
            item.appendChild(link(places[other][2], placeUrl(other)));
          }
          list.appendChild(item);
        });
        box.appendChild(list);
      }
    }
    var popup = L.popup({maxWidth: 340, maxHeight: 300, autoPanPadding: [16, 16]});
    var returnFocus = null;
    function openPopup(latlng, placeList, tie) {
      var box = document.createElement("div");
      box.className = "map-popup";
      if (tie !== null) {
        var t = ties[tie], head = document.createElement("p");
        head.appendChild(link(tieTitle(t), tieUrl(t)));
        head.appendChild(document.createTextNode(" · " + cfg.labels[t[2]]));
        box.appendChild(head);
        placeList = [t[0], t[1]];
        var parties = document.createElement("p");
        placeList.forEach(function (i, n) {
          if (n) { parties.appendChild(document.createTextNode(" – ")); }
          parties.appendChild(link(places[i][2], placeUrl(i)));
        });
        box.appendChild(parties);
      } else {
        placeList.forEach(function (i) { placeSection(i, box); });
      }
      returnFocus = document.activeElement && container.contains(document.activeElement) ? document.activeElement : null;
      popup.setLatLng(latlng).setContent(box).openOn(map);
      var first = popup.getElement() && popup.getElement().querySelector(".map-popup a");
      if (first && returnFocus) {
        first.focus();  // a keyboard reader lands in what they opened
      }
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

    // -- lines ------------------------------------------------------------------------------------------
    var renderer = L.canvas({padding: 0.5});
    var lineLayer = L.layerGroup().addTo(map), selectedLayer = L.layerGroup().addTo(map);
    var joined = [], isJoined = [];
    ties.forEach(function (t, k) {
      isJoined.push(located(t[0]) && located(t[1]) && t[0] !== t[1]);
      if (isJoined[k]) { joined.push(k); }
    });
    var allLines = joined.length <= LINE_LIMIT;
    function ends(t) {
      var a = places[t[0]], b = places[t[1]], lng = b[1];
      // The short way round: Jakarta to Los Angeles crosses the Pacific, not Africa.
      while (lng - a[1] > 180) { lng -= 360; }
      while (lng - a[1] < -180) { lng += 360; }
      return [[a[0], a[1]], [b[0], lng]];
    }
    function line(k, style) {
      var t = ties[k];
      var drawn = L.polyline(ends(t), {color: d.colours[t[2]], weight: style.weight, opacity: style.opacity, renderer: renderer});
      drawn.on("click", function (e) { openPopup(e.latlng, null, k); });
      return drawn;
    }
    function drawLines() {
      lineLayer.clearLayers();
      state.lines = 0;
      if (allLines) {
        joined.forEach(function (k) {
          if (shown(k)) {
            lineLayer.addLayer(line(k, {weight: 2, opacity: 0.7}));
            state.lines += 1;
          }
        });
      }
      drawSelected();
    }
    function drawSelected() {
      selectedLayer.clearLayers();
      var faded = selected !== null;
      lineLayer.eachLayer(function (l) { l.setStyle({opacity: faded ? 0.2 : 0.7}); });
      state.selectedLines = 0;
      if (selected === null) { return; }
      tiesAt[selected].forEach(function (k) {
        if (shown(k) && isJoined[k]) {
          selectedLayer.addLayer(line(k, {weight: 4, opacity: 1}));
          state.selectedLines += 1;
        }
      });
    }
    if (!allLines) {
      note(text.lines);
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
      ties.forEach(function (t) { if (inFilters(t)) { counts[t[2]] += 1; } });
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
    var all = [];
    places.forEach(function (p, i) { if (located(i)) { all.push([p[0], p[1]]); } });
    if (all.length) {
      map.fitBounds(L.latLngBounds(all), {padding: [24, 24], maxZoom: cfg.maxZoom, animate: false});
    }
    map.on("moveend", refresh);
    rebuild(true);
    // Lines in a task of their own, so the markers are on screen before they are drawn.
    window.setTimeout(function () {
      drawLines();
      state.ready = true;
    }, 0);

    state.data = d;
    state.shownTies = function () { return ties.map(function (t, k) { return k; }).filter(shown).map(function (k) { return ties[k][5]; }); };
    state.open = function (key) {
      var i = placeIndex[key];
      select(i, [places[i][0], near(places[i][1])]);
      return popup.getElement();
    };
  }
}
