/* Draws the catalogue's map layers from JSON records: one layer per status, each a cluster of
   canvas circle markers (places) and polylines (ties). Popups are built from text nodes, so no
   name in an entry can become markup. The data arrays scale to tens of thousands of ties. */
function catalogueMap(map, d) {
  "use strict";
  var renderer = L.canvas({padding: 0.5});
  if (d.land && window.CATALOGUE_LAND) {
    map.getContainer().style.background = "#cfe0ee";
    L.geoJSON(window.CATALOGUE_LAND, {
      interactive: false, renderer: renderer,
      style: {color: "#9aa7b3", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1}
    }).addTo(map);
  }
  function link(text, href) {
    var a = document.createElement("a");
    a.textContent = text;
    a.href = d.root + href;
    return a;
  }
  function popup(title, href, ties, label) {
    var box = document.createElement("div"), head = document.createElement("strong");
    head.appendChild(link(title, href));
    box.appendChild(head);
    if (ties.length) {
      var list = document.createElement("ul");
      ties.forEach(function (t) {
        var li = document.createElement("li");
        li.appendChild(link(t[0], t[1]));
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    var status = document.createElement("div");
    status.className = "popup-status";
    status.textContent = label;
    box.appendChild(status);
    return box;
  }
  var overlays = {}, bounds = [], state = {};
  // Thousands of lines over a whole world read as a hairball: past this many, lines appear only
  // once the reader has zoomed in (markers and clusters always show).
  var LINE_LIMIT = 2000, LINE_ZOOM = 4, lineGroups = [];
  var manyLines = d.layers.reduce(function (n, layer) { return n + layer.lines.length; }, 0) > LINE_LIMIT;
  d.layers.forEach(function (layer) {
    var group = L.featureGroup();
    var cluster = L.markerClusterGroup({
      chunkedLoading: true, maxClusterRadius: 40,
      // Clusters in their status's colour: the library's green/yellow ones read as statuses.
      iconCreateFunction: function (c) {
        var n = c.getChildCount();
        return L.divIcon({
          html: '<span style="background:' + layer.colour + '">' + n + "</span>",
          className: "status-cluster", iconSize: L.point(32, 32)
        });
      }
    });
    var dot = {radius: 7, color: "#ffffff", weight: 1.5, fillColor: layer.colour, fillOpacity: 0.9, renderer: renderer};
    cluster.addLayers(layer.points.map(function (p) {
      bounds.push([p[0], p[1]]);
      var m = L.circleMarker([p[0], p[1]], dot);
      m.bindPopup(function () { return popup(p[2], p[3], p[4], layer.label); });
      m.bindTooltip(function () { return document.createTextNode(p[2]); });  // a string would be set as HTML
      return m;
    }));
    group.addLayer(cluster);
    var stroke = {color: layer.colour, weight: 2, opacity: 0.7, renderer: renderer};
    var lines = L.layerGroup(layer.lines.map(function (l) {
      var line = L.polyline([[l[0], l[1]], [l[2], l[3]]], stroke);
      line.bindPopup(function () { return popup(l[4], l[5], [], layer.label); });
      return line;
    }));
    if (manyLines) {
      lineGroups.push({group: group, lines: lines});
    } else {
      group.addLayer(lines);
    }
    group.addTo(map);
    overlays[layer.label + " (" + layer.count + ")"] = group;
    state[layer.status] = {group: group, cluster: cluster, points: layer.points.length, lines: layer.lines.length};
  });
  L.control.layers(null, overlays, {collapsed: false}).addTo(map);
  if (manyLines) {
    var showLines = function () {
      var near = map.getZoom() >= LINE_ZOOM;
      lineGroups.forEach(function (g) {
        if (near && !g.group.hasLayer(g.lines)) { g.group.addLayer(g.lines); }
        if (!near && g.group.hasLayer(g.lines)) { g.group.removeLayer(g.lines); }
      });
    };
    map.on("zoomend", showLines);
    var hint = L.control({position: "bottomleft"});
    hint.onAdd = function () {
      var box = L.DomUtil.create("div", "map-hint");
      box.textContent = d.zoomHint;
      return box;
    };
    hint.addTo(map);
  }
  if (bounds.length) {
    map.fitBounds(L.latLngBounds(bounds).pad(0.15), {maxZoom: d.maxZoom});
  }
  if (manyLines) { showLines(); }
  map.catalogue = state;  // for tests and the curious: what each status layer holds
}
