// The app's map: every candidate of a region drawn, every one clickable: sites as points on a
// 2D canvas (drawPoints), parcels' outlines and the shortlist with deck.gl (WebGL).
//
// Geometry arrives once per region as binary files from the app's static folder (their names
// carry a digest of their content, so the browser caches them), stored tile by tile. On every
// change of the criteria only one byte per candidate (its class) and one (its score) arrive.
// The sites on the longlist and those to check are always drawn; the many that fall away are
// drawn per tile, only for the tiles in view and from FAIL_ZOOM on, so the work per frame
// follows what is on screen, not the size of the region. From OUTLINE_ZOOM on the parcels are
// drawn as their outlines. Talks to Streamlit with the custom-component protocol.
"use strict";

const HEIGHT = 620;
const FAIL_ZOOM = 11;        // from this zoom on, sites that fall away are drawn (grey)
const OUTLINE_ZOOM = 13.5;   // from this zoom on, candidates are drawn as their outlines
const MAX_TILES = 400;       // never more tiles than this at once
const FAIL = 1;
const CLICK_MS = 10000;     // longest press (or busy page) that still counts as a click
const SITE_PX = 3.5;         // radius of a site on the longlist or to check, in pixels
const EDGE_PX = 0.5;         // its outline's width, in pixels
const FAIL_PX = 2;           // radius of a site that falls away, in pixels
const SITE_EDGE = [60, 60, 60, 160];            // the outline of a site
const SHORTLIST_RING = [43, 131, 186, 255];
const SMOOTH_PX = 0.5;       // a pixel whose centre is this far outside a site is drawn (and picked)

const S = {
  base: null, files: null, geometry: null, contextLoad: null, ticket: 0,
  points: null, order: null, tiles: null, boxes: null, count: 0, context: null, ids: null,
  outlines: null, outlinesWanted: false,
  codes: null, scores: null, drawnCodes: null, palette: null, labels: null,
  passing: null, outlineColours: null, tileLayers: new Map(),
  shortlist: [], selected: -1, viewKey: null, view: null, tiles: false, tileError: false,
  deck: null, tileDeck: null, version: 0, drawn2d: null, shapes: [], reachShapes: [],
};

function post(type, data) {
  window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type }, data), "*");
}

async function binary(url, Type) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return new Type(await response.arrayBuffer());
}

async function json(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function say(text) {
  const box = document.getElementById("melding");
  box.textContent = text || "";
  box.style.display = text ? "block" : "none";
}

function legend(rows, note) {
  const box = document.getElementById("legenda");
  box.replaceChildren();
  const title = document.createElement("b");
  title.textContent = "Legenda";
  box.append(title, document.createElement("br"));
  for (const [colour, label, shape] of rows) {
    const swatch = document.createElement("i");
    if (shape === "ring") swatch.style.cssText = `border:3px solid ${colour};border-radius:50%;width:8px;height:8px`;
    else if (shape === "line") swatch.style.cssText = `height:0;border-top:2px solid ${colour}`;
    else if (shape === "area") swatch.style.cssText = `background:${colour}33;border:1px solid ${colour}`;
    else swatch.style.cssText = `background:${colour};border-radius:50%`;
    box.append(swatch, document.createTextNode(label), document.createElement("br"));
  }
  if (note) {
    const small = document.createElement("small");
    small.textContent = note;
    box.append(small);
  }
}

// --- per-candidate attributes (stored order) --------------------------------------------------

function classify() {
  // codes arrive in candidate order; the geometry is stored tile by tile
  const n = S.count;
  S.drawnCodes = new Uint8Array(n);
  for (let j = 0; j < n; j++) S.drawnCodes[j] = S.codes[S.order[j]];
  // the sites that do not fall away: one compact layer, always drawn
  let m = 0;
  for (let j = 0; j < n; j++) if (S.drawnCodes[j] > FAIL) m++;
  const at = new Uint32Array(m), positions = new Float32Array(2 * m), colours = new Uint8Array(4 * m);
  for (let j = 0, k = 0; j < n; j++) {
    const code = S.drawnCodes[j];
    if (code <= FAIL) continue;
    at[k] = j;
    positions[2 * k] = S.points[2 * j]; positions[2 * k + 1] = S.points[2 * j + 1];
    colours.set(S.palette[code], 4 * k);
    k++;
  }
  S.passing = { at, positions, colours };
  S.pointsDirty = true;
  S.outlineColours = null;
  S.tileLayers = new Map();
}

function outlineColours() {
  if (S.outlineColours) return S.outlineColours;
  const { coords, starts, owners } = S.outlines;
  const colours = new Uint8Array(2 * coords.length);
  for (let p = 0; p < owners.length; p++) {
    const rgba = S.palette[S.drawnCodes[owners[p]]];
    if (!S.drawnCodes[owners[p]] || !rgba) continue;
    for (let v = starts[p]; v < starts[p + 1]; v++) colours.set(rgba, 4 * v);
  }
  S.outlineColours = colours;
  return colours;
}

function position(stored) {
  return [S.points[2 * stored], S.points[2 * stored + 1]];
}

function storedOf(candidate) {
  // the stored position of a candidate (for the shortlist and the chosen site)
  if (!S.inverse) {
    S.inverse = new Uint32Array(S.count);
    for (let j = 0; j < S.count; j++) S.inverse[S.order[j]] = j;
  }
  return S.inverse[candidate];
}

// --- the region's context: a 2D canvas below the sites -------------------------------------------

// Boundaries, areas, work sites and the reach zone are a few thousand vertices. They are drawn
// with the 2D canvas under deck.gl's, not by deck.gl: its programs for polygons, paths and
// points took ~3 s to compile in software WebGL before the first map could appear, and their
// picking ~1.6 s more at the first hover. Drawn after each frame deck.gl draws, with the
// viewport of that frame, so both move together.

// how each kind of context feature is drawn: set by locscan.maps.deck.CONTEXT_DRAW
let CONTEXT = {};
const WORK_SITE_PX = 6;      // radius of a work site, in pixels
const HIT_PX = 3;            // how near a boundary the pointer must be for its tooltip
const FLAT = new deck.WebMercatorViewport({ width: 1, height: 1, longitude: 0, latitude: 0, zoom: 0 });
const REACH = { line: [8, 48, 107, 200], width: 1, fill: [8, 48, 107, 20] };   // the reach zone

function style(kind) {
  return CONTEXT[kind] || CONTEXT.gemeente || { line: [0, 0, 0, 255], width: 1, fill: [0, 0, 0, 0] };
}

function css([r, g, b, a]) {
  return `rgba(${r},${g},${b},${a / 255})`;
}

function flatten(geometry, paths, points) {
  // a GeoJSON geometry as world coordinates: its rings and lines in `paths`, points in `points`
  if (!geometry) return;
  const flat = (c) => FLAT.projectFlat(c);
  const path = (coords, closed) => {
    const xy = new Float64Array(2 * coords.length);
    coords.forEach((c, k) => { const [x, y] = flat(c); xy[2 * k] = x; xy[2 * k + 1] = y; });
    paths.push({ xy, closed });
  };
  const c = geometry.coordinates;
  switch (geometry.type) {
    case "Point": points.push(flat(c)); break;
    case "MultiPoint": c.forEach((q) => points.push(flat(q))); break;
    case "LineString": path(c, false); break;
    case "MultiLineString": c.forEach((l) => path(l, false)); break;
    case "Polygon": c.forEach((r) => path(r, true)); break;
    case "MultiPolygon": c.forEach((poly) => poly.forEach((r) => path(r, true))); break;
    case "GeometryCollection": geometry.geometries.forEach((g) => flatten(g, paths, points)); break;
    default: break;
  }
}

function shapesOf(features, kinds, filled) {
  // features of these kinds, in world coordinates, in the order they are drawn
  const out = [];
  for (const f of features) {
    const kind = (f.properties && f.properties.kind) || "gemeente";
    if (kinds && !kinds.includes(kind)) continue;
    const paths = [], points = [];
    flatten(f.geometry, paths, points);
    out.push({ kind, properties: f.properties || {}, paths, points, filled, path2d: null, pixels: [],
      box: boxOf(paths, points) });
  }
  return out;
}

function boxOf(paths, points) {
  // the world-coordinate bounds [west, south, east, north] of a shape's paths and points
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (x, y) => {
    if (x < box[0]) box[0] = x; if (y < box[1]) box[1] = y;
    if (x > box[2]) box[2] = x; if (y > box[3]) box[3] = y;
  };
  for (const { xy } of paths) for (let k = 0; k < xy.length; k += 2) add(xy[k], xy[k + 1]);
  for (const [x, y] of points) add(x, y);
  return box;
}

const CULL_PX = 2 * WORK_SITE_PX;   // a shape this near the view (in pixels) is drawn

function viewBox(viewport) {
  // the world-coordinate bounds of what the viewport shows (rotated or pitched too), widened
  // by CULL_PX
  const [w, s, e, n] = viewport.getBounds();
  const [x0, y0] = FLAT.projectFlat([w, s]), [x1, y1] = FLAT.projectFlat([e, n]);
  const pad = CULL_PX / viewport.scale;
  return [Math.min(x0, x1) - pad, Math.min(y0, y1) - pad, Math.max(x0, x1) + pad,
    Math.max(y0, y1) + pad];
}

function contextShapes(geojson) {
  // areas first (filled), then the boundaries (lines), the work sites last: on top
  const features = geojson.features || [];
  return [...shapesOf(features, ["cores", "business_parks", "exclusions"], true),
    ...shapesOf(features, ["gemeente", "subregio"], false),
    ...shapesOf(features, ["work_site"], true)];
}

function toPixels(m, x, y) {
  // world coordinates to pixels: the viewport's pixelProjectionMatrix, as viewport.project
  const w = m[3] * x + m[7] * y + m[15];
  return [(m[0] * x + m[4] * y + m[12]) / w, (m[1] * x + m[5] * y + m[13]) / w];
}

function blank(id, viewport) {
  // the 2D canvas `id` sized to the viewport and cleared; drawn on in CSS pixels
  const canvas = document.getElementById(id);
  const ratio = window.devicePixelRatio || 1;
  const width = viewport.width, height = viewport.height;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`; canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

function drawContext(viewport) {
  const ctx = blank("context", viewport);
  ctx.lineJoin = "round";
  const m = viewport.pixelProjectionMatrix;
  // the reach zone above the areas and boundaries, below the work sites
  const sites = S.shapes.filter((shape) => shape.kind === "work_site");
  // only what lies in view: a national region's boundaries and areas are 100,000s of
  // vertices, of which a gemeente's view shows a few per cent
  const [vx0, vy0, vx1, vy1] = viewBox(viewport);
  const order = [...S.shapes.filter((shape) => shape.kind !== "work_site"), ...S.reachShapes,
    ...sites].filter(({ box }) => box[0] <= vx1 && box[2] >= vx0 && box[1] <= vy1 && box[3] >= vy0);
  for (const shape of order) {
    const look = shape.colours || style(shape.kind);
    const path2d = new Path2D();
    for (const { xy, closed } of shape.paths) {
      for (let k = 0; k < xy.length / 2; k++) {
        const [px, py] = toPixels(m, xy[2 * k], xy[2 * k + 1]);
        if (k === 0) path2d.moveTo(px, py); else path2d.lineTo(px, py);
      }
      if (closed) path2d.closePath();
    }
    shape.pixels = shape.points.map(([x, y]) => toPixels(m, x, y));
    for (const [px, py] of shape.pixels) {
      path2d.moveTo(px + WORK_SITE_PX, py);
      path2d.arc(px, py, WORK_SITE_PX, 0, 2 * Math.PI);
    }
    shape.path2d = path2d;
    if (shape.filled && look.fill[3] > 0) {
      ctx.fillStyle = css(look.fill);
      ctx.fill(path2d, "evenodd");
    }
    if (look.width > 0 && look.line[3] > 0) {
      ctx.strokeStyle = css(look.line);
      ctx.lineWidth = look.width;
      ctx.stroke(path2d);
    }
  }
  S.drawn2d = order;
}

function contextAt(x, y) {
  // the context feature with a tooltip under pixel (x, y): a work site, an area, a boundary
  const order = S.drawn2d;
  if (!order) return null;
  const ctx = document.getElementById("context").getContext("2d");
  const ratio = window.devicePixelRatio || 1;
  for (let k = order.length - 1; k >= 0; k--) {
    const shape = order[k];
    if (shape.colours || !shape.path2d) continue;   // the reach zone has no tooltip
    if (shape.kind === "work_site") {
      if (shape.pixels.some(([px, py]) => (px - x) ** 2 + (py - y) ** 2 <= WORK_SITE_PX ** 2)) return shape;
      continue;
    }
    ctx.lineWidth = Math.max(style(shape.kind).width, 2 * HIT_PX);
    if ((shape.filled && ctx.isPointInPath(shape.path2d, x * ratio, y * ratio, "evenodd"))
        || ctx.isPointInStroke(shape.path2d, x * ratio, y * ratio)) return shape;
  }
  return null;
}

// --- background tiles: a deck of their own, below the context --------------------------------

function tileLayers() {
  return [new deck.TileLayer({
    id: "achtergrond", data: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    minZoom: 0, maxZoom: 19, tileSize: 256,
    onTileError: () => {
      if (!S.tileError) { S.tileError = true; say("De achtergrondkaart (OpenStreetMap) is niet bereikbaar; de kaart toont alleen de eigen lagen."); }
    },
    renderSubLayers: (props) => {
      const { boundingBox } = props.tile;
      return new deck.BitmapLayer(props, {
        data: null, image: props.data,
        bounds: [boundingBox[0][0], boundingBox[0][1], boundingBox[1][0], boundingBox[1][1]],
      });
    },
  })];
}

function showTiles(on) {
  // turns the background deck on or off (it follows the view in onViewStateChange)
  if (on === !!S.tilesShown) return;
  S.tilesShown = on;
  const canvas = document.getElementById("tegels");
  canvas.style.display = on ? "block" : "none";
  if (!on) { if (S.tileDeck) S.tileDeck.setProps({ layers: [] }); return; }
  if (!S.tileDeck) {
    S.tileDeck = new deck.Deck({ canvas, width: "100%", height: HEIGHT, controller: false,
      views: new deck.MapView({ repeat: false }), viewState: S.view });
  }
  S.tileDeck.setProps({ viewState: S.view, layers: tileLayers() });
}

// --- layers ----------------------------------------------------------------------------------

function visibleTiles(view) {
  const viewport = new deck.WebMercatorViewport({
    width: document.getElementById("kaart").clientWidth || 900, height: HEIGHT, ...view });
  const [[w, s], [e, n]] = [viewport.unproject([0, HEIGHT]), viewport.unproject([viewport.width, 0])];
  const out = [];
  const boxes = S.boxes;
  for (let t = 0; t < boxes.length / 4; t++) {
    if (boxes[4 * t] <= e && boxes[4 * t + 2] >= w && boxes[4 * t + 1] <= n && boxes[4 * t + 3] >= s) {
      out.push(t);
      if (out.length > MAX_TILES) return null;
    }
  }
  return out;
}

function tileLayer(t) {
  // the outlines of tile t's candidates (from OUTLINE_ZOOM on), made once per classification
  let layer = S.tileLayers.get(t);
  if (layer) return layer;
  const a = S.tiles[t], b = S.tiles[t + 1];
  const { coords, starts, owners } = S.outlines;
  // outlines of this tile: those owned by stored positions a..b (owners are sorted)
  const p0 = lowerBound(owners, a), p1 = lowerBound(owners, b);
  const v0 = starts[p0], v1 = starts[p1];
  const rebased = new Uint32Array(p1 - p0 + 1);
  for (let p = p0; p <= p1; p++) rebased[p - p0] = starts[p] - v0;
  const colours = outlineColours();
  const attributes = {
    getPolygon: { value: coords.subarray(2 * v0, 2 * v1), size: 2 },
    getFillColor: { value: colours.subarray(4 * v0, 4 * v1), size: 4, normalized: true },
  };
  layer = [
    new deck.SolidPolygonLayer({
      id: `vlakken-${t}-${S.version}`, pickable: true, opacity: 0.75, _normalize: false,
      data: { length: p1 - p0, startIndices: rebased, attributes }, tileFirst: p0,
    }),
    new deck.PathLayer({
      id: `randen-${t}-${S.version}`, pickable: false, widthUnits: "pixels", getWidth: 1,
      getColor: [60, 60, 60, 200], _pathType: "open",
      data: { length: p1 - p0, startIndices: rebased,
        attributes: { getPath: { value: coords.subarray(2 * v0, 2 * v1), size: 2 } } },
    }),
  ];
  S.tileLayers.set(t, layer);
  return layer;
}

// The sites drawn as points are drawn on a 2D canvas below deck.gl's, pixel by pixel on the
// CPU: as deck.gl points, software WebGL took ~20 µs per site and frame (0.5 s for the 25,000
// sites of a small gemeente at its zoom), this takes well under 1 µs. A pixel takes a site's
// colour when its centre lies within the site's radius plus SMOOTH_PX: the rule pointsAt picks
// by, so a click names the site drawn under it.
function drawPoints(viewport) {
  S.pointsDirty = false;
  const canvas = document.getElementById("punten");
  const width = Math.round(viewport.width), height = Math.round(viewport.height);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width; canvas.height = height;
    canvas.style.width = `${width}px`; canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext("2d");
  const drawn = S.drawnPoints;
  if (!drawn || !S.passing || (!drawn.sites && !drawn.tiles.length)) {
    ctx.clearRect(0, 0, width, height);
    return;
  }
  const image = ctx.createImageData(width, height);
  const pixels = new Uint32Array(image.data.buffer);
  const m = viewport.pixelProjectionMatrix;
  const stamp = (lon, lat, reach, inner, fill, edge) => {
    // the pixels whose centre lies within `reach` of the point: `fill` within `inner`
    const [x, y] = FLAT.projectFlat([lon, lat]);
    const [cx, cy] = toPixels(m, x, y);
    const r2 = reach * reach, i2 = inner * inner;
    const x0 = Math.max(0, Math.ceil(cx - reach - 0.5)), x1 = Math.min(width - 1, Math.floor(cx + reach - 0.5));
    const y0 = Math.max(0, Math.ceil(cy - reach - 0.5)), y1 = Math.min(height - 1, Math.floor(cy + reach - 0.5));
    for (let py = y0; py <= y1; py++) {
      const dy = py + 0.5 - cy, row = py * width;
      for (let px = x0; px <= x1; px++) {
        const dx = px + 0.5 - cx, d2 = dx * dx + dy * dy;
        if (d2 < r2) pixels[row + px] = d2 < i2 ? fill : edge;
      }
    }
  };
  // the sites that fall away, then those on the longlist or to check: on top, the last on top
  const grey = rgba(S.palette[FAIL]);
  const codes = S.drawnCodes, fail = FAIL_PX + SMOOTH_PX;
  for (const t of drawn.tiles) {
    for (let j = S.tiles[t]; j < S.tiles[t + 1]; j++) {
      if (codes[j] === FAIL) stamp(S.points[2 * j], S.points[2 * j + 1], fail, Infinity, grey, grey);
    }
  }
  if (drawn.sites) {
    const { positions, colours } = S.passing;
    const edge = rgba(SITE_EDGE), colour = new Uint32Array(colours.buffer, colours.byteOffset, colours.length / 4);
    const reach = SITE_PX + EDGE_PX / 2 + SMOOTH_PX, inner = SITE_PX - EDGE_PX / 2 + SMOOTH_PX;
    for (let k = 0; k < positions.length / 2; k++) {
      stamp(positions[2 * k], positions[2 * k + 1], reach, inner, colour[k], edge);
    }
  }
  ctx.putImageData(image, 0, 0);
}

function rgba(colour) {
  // an [r, g, b, a] colour as one pixel of an ImageData's Uint32Array
  return new Uint32Array(new Uint8Array(colour).buffer)[0];
}

function lowerBound(sorted, value) {
  let lo = 0, hi = sorted.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] < value) lo = mid + 1; else hi = mid; }
  return lo;
}

function layers() {
  // the outlines and the shortlist: the sites as points on a 2D canvas below (drawPoints), the
  // context on one below that (drawContext), the background
  // tiles by a deck of their own below that (tileLayers)
  const view = S.view;
  const out = [];
  if (S.passing && view) {
    const outlines = S.outlines && view.zoom >= OUTLINE_ZOOM;
    const tiles = view.zoom >= FAIL_ZOOM ? visibleTiles(view) : null;
    // outlines by deck.gl; the sites as points on a 2D canvas (drawPoints), picked by
    // pointsAt
    if (tiles && outlines) for (const t of tiles) out.push(...tileLayer(t));
    const failing = tiles && !outlines ? tiles : [];
    if (!S.drawnPoints || S.drawnPoints.tiles.join() !== failing.join()
        || S.drawnPoints.sites !== !outlines) S.pointsDirty = true;
    S.drawnPoints = { sites: !outlines, tiles: failing };
  }
  if (S.points && S.shortlist.length) {
    out.push(new deck.ScatterplotLayer({
      id: `shortlist-${S.version}`, data: S.shortlist, getPosition: (i) => position(storedOf(i)),
      radiusUnits: "pixels", getRadius: 8, stroked: true, filled: false, pickable: true,
      getLineColor: SHORTLIST_RING, lineWidthUnits: "pixels", getLineWidth: 3,
    }));
  }
  return out;
}

// The ring around the chosen site is drawn on a 2D canvas above deck.gl's: as a deck.gl layer,
// every click made deck.gl draw all sites again (up to ~1 s in software WebGL), and the page
// waited for that frame before it showed the site's criteria.
const CHOSEN_PX = 11;        // radius of the ring around the chosen site (its stroke's middle)

function drawChosen(viewport) {
  const ctx = blank("keuze", viewport);
  document.getElementById("kaart").dataset.selected = String(S.selected);
  if (!S.points || S.selected < 0 || S.selected >= S.count) return;
  const [x, y] = viewport.project(position(storedOf(S.selected)));
  ctx.beginPath();
  ctx.arc(x, y, CHOSEN_PX, 0, 2 * Math.PI);
  ctx.lineWidth = 3;
  ctx.strokeStyle = "#000";
  ctx.stroke();
}

// --- picking ---------------------------------------------------------------------------------

// The sites drawn as points are picked here, on the CPU, as they are drawn (drawPoints): when
// deck.gl drew them, its picking drew every pickable layer again and read the pixels back,
// which at 400,000 candidates in software WebGL took ~250 ms for every hover and every press.
// This scan over the drawn points takes well under a millisecond: a point covers a pixel whose
// centre lies within its outer radius (its outline's outer half included) plus SMOOTH_PX, and
// the last one drawn is on top.

function covers(viewport, cx, cy, lon, lat, radius) {
  const [px, py] = viewport.project([lon, lat]);
  return (px - cx) ** 2 + (py - cy) ** 2 < radius * radius;
}

function viewportNow() {
  // the map's viewport, or null before deck.gl has set itself up (its device is made
  // asynchronously: files that load at once, from the browser's cache, can arrive first)
  return S.deck && S.deck.isInitialized ? S.deck.getViewports()[0] || null : null;
}

function pointsAt(x, y) {
  // the candidate drawn as a point under pixel (x, y), or -1
  const drawn = S.drawnPoints;
  const viewport = S.passing && drawn ? viewportNow() : null;
  if (!viewport) return -1;
  // the pixel deck.gl would read: the one x, y round to; its centre is tested
  const cx = Math.round(x) + 0.5, cy = Math.round(y) + 0.5;
  const site = SITE_PX + EDGE_PX / 2 + SMOOTH_PX;
  const r = Math.max(site, FAIL_PX + SMOOTH_PX);
  // the lon/lat box around the pixel (its corners unprojected: right under rotation and pitch)
  let w = Infinity, e = -Infinity, s = Infinity, n = -Infinity;
  for (const [qx, qy] of [[cx - r, cy - r], [cx + r, cy - r], [cx - r, cy + r], [cx + r, cy + r]]) {
    const [lon, lat] = viewport.unproject([qx, qy]);
    w = Math.min(w, lon); e = Math.max(e, lon); s = Math.min(s, lat); n = Math.max(n, lat);
  }
  const inBox = (lon, lat) => lon >= w && lon <= e && lat >= s && lat <= n;
  if (drawn.sites) {   // drawn last, so on top; within the layer the last one drawn is on top
    const p = S.passing.positions;
    for (let k = S.passing.at.length - 1; k >= 0; k--) {
      const lon = p[2 * k], lat = p[2 * k + 1];
      if (inBox(lon, lat) && covers(viewport, cx, cy, lon, lat, site)) {
        return S.order[S.passing.at[k]];
      }
    }
  }
  const codes = S.drawnCodes, fail = FAIL_PX + SMOOTH_PX;
  for (let q = drawn.tiles.length - 1; q >= 0; q--) {   // then the sites that fall away
    const t = drawn.tiles[q];
    for (let j = S.tiles[t + 1] - 1; j >= S.tiles[t]; j--) {
      const lon = S.points[2 * j], lat = S.points[2 * j + 1];
      if (codes[j] === FAIL && inBox(lon, lat) && covers(viewport, cx, cy, lon, lat, fail)) {
        return S.order[j];
      }
    }
  }
  return -1;
}

function siteAt(x, y, info) {
  // the candidate under pixel (x, y), or -1: a shortlist ring (drawn above the points), else a
  // point (pointsAt), else what deck.gl picked below them (a parcel's outline)
  const above = info && info.layer && info.layer.id.startsWith("shortlist");
  const i = above ? -1 : pointsAt(x, y);
  return i >= 0 ? i : candidateOf(info);
}

function candidateOf(info) {
  // the candidate's position in Scan.candidates of what deck.gl picked, or -1
  if (!info || !info.layer || info.index < 0) return -1;
  const id = info.layer.id;
  if (id.startsWith("vlakken")) return S.order[S.outlines.owners[info.layer.props.tileFirst + info.index]];
  if (id.startsWith("shortlist")) return S.shortlist[info.index];
  return -1;
}

function tooltip(info) {
  const tip = document.getElementById("tip");
  let text = "";
  const i = siteAt(info.x, info.y, info);
  if (i >= 0 && S.codes[i]) {
    const score = S.scores[i];
    text = `${S.ids ? S.ids[i] : "locatie"}\n${S.labels[S.codes[i]] || ""}`
      + (score === 255 ? "" : `\nscore ${score}`);
  } else {
    const shape = contextAt(info.x, info.y);
    const p = shape ? shape.properties : null;
    if (p) {
      text = [p.name, p.subregio && p.kind === "gemeente" ? `subregio ${p.subregio}` : "",
        p.kind === "work_site" && p.workers != null ? `${p.workers} werknemers` : ""]
        .filter(Boolean).join("\n");
    }
  }
  S.hovering = Boolean(text);
  tip.style.display = text ? "block" : "none";
  if (text) {
    tip.textContent = text;
    tip.style.left = `${info.x + 12}px`;
    tip.style.top = `${info.y + 12}px`;
  }
  if (i >= 0) wantIds();
}

function wantIds() {
  // the ids (several MB at 400,000 candidates) are only needed for tooltips: loaded on the
  // first hover, or before it when the page is idle after the map is drawn (a first hover then
  // names the site at once, not "locatie" until they have loaded)
  if (S.ids || S.idsWanted || !S.files) return;
  S.idsWanted = true;
  const f = S.files;
  json(`${S.base}${f.ids}`).then((ids) => { if (S.files.key === f.key) S.ids = ids; })
    .catch(() => { if (S.files.key === f.key) S.idsWanted = false; });
}

function click(info) {
  const i = siteAt(info.x, info.y, info);
  if (i < 0 || !S.codes[i]) return;
  // the ring around the chosen site is drawn when Streamlit sends it back as `selected`
  post("streamlit:setComponentValue", {
    value: { index: i, key: S.files.key, at: Date.now() }, dataType: "json",
  });
}

// --- view and drawing ------------------------------------------------------------------------

function fit(bounds) {
  const width = document.getElementById("kaart").clientWidth || 900;
  if (!bounds) return { longitude: 5.4, latitude: 52.1, zoom: 7 };
  const viewport = new deck.WebMercatorViewport({ width, height: HEIGHT });
  const { longitude, latitude, zoom } = viewport.fitBounds(
    [[bounds[0], bounds[1]], [bounds[2], bounds[3]]], { padding: 20 });
  return { longitude, latitude, zoom: Math.min(zoom, 16), pitch: 0, bearing: 0 };
}

// The app writes the outlines after the map's other files (they are more than half the work,
// and only needed from street zoom on): until they are there, the map asks again.
const OUTLINE_TRIES = 60, OUTLINE_WAIT_MS = 1000;

function wantOutlines() {
  if (!S.view || S.view.zoom < OUTLINE_ZOOM - 0.5 || S.outlinesWanted || !S.files) return;
  S.outlinesWanted = true;
  loadOutlines(S.files, 0);
}

function loadOutlines(f, tries) {
  Promise.all([binary(S.base + f.rings, Float32Array), binary(S.base + f.starts, Uint32Array),
    binary(S.base + f.owners, Uint32Array)])
    .then(([coords, starts, owners]) => {
      if (S.files.key !== f.key) return;
      S.outlines = { coords, starts, owners };
      redraw();
    })
    .catch((error) => {
      if (S.files.key !== f.key) return;   // another map: its own outlines are asked for
      if (tries + 1 < OUTLINE_TRIES) { setTimeout(() => loadOutlines(f, tries + 1), OUTLINE_WAIT_MS); return; }
      S.outlinesWanted = false;   // the next zoom asks again
      say(`De vlakken van de locaties konden niet worden geladen (${error.message}).`);
    });
}

let pending = false;
function redraw() {
  if (!S.deck) {
    S.deck = new deck.Deck({
      canvas: document.getElementById("locaties"), width: "100%", height: HEIGHT,
      views: new deck.MapView({ repeat: false }), initialViewState: S.view, controller: { doubleClickZoom: false },
      // A click is a press and release without moving, however long the press and however busy
      // the page: deck.gl picks on every press, and at 400,000 candidates in software WebGL that
      // pick alone can outlast the default 250 ms a tap may take, which dropped the click. No
      // double click, so no wait for a second tap (interval 0) either.
      eventRecognizerOptions: { dblclick: { enable: false }, click: { time: CLICK_MS, interval: 0 } },
      // a hand over a site (picked by pointsAt or deck.gl) or a context feature with a tooltip
      getCursor: ({ isDragging }) => (isDragging ? "grabbing" : S.hovering ? "pointer" : "grab"),
      onViewStateChange: ({ viewState }) => {
        S.view = viewState;
        if (S.tileDeck && S.tiles_on) S.tileDeck.setProps({ viewState });
        wantOutlines();
        if (!pending) {   // at most one new set of layers per animation frame
          pending = true;
          requestAnimationFrame(() => { pending = false; S.deck.setProps({ layers: layers() }); });
        }
        return viewState;
      },
      onHover: tooltip, onClick: click,
      onAfterRender: () => {
        const viewport = S.deck.getViewports()[0];
        if (viewport && (S.contextDirty || viewport !== S.contextViewport)) {
          S.contextDirty = false; S.contextViewport = viewport;
          drawContext(viewport);
          drawChosen(viewport);
          S.pointsDirty = true;
        }
        if (viewport && S.pointsDirty) drawPoints(viewport);
        if (!S.passing) return;   // only the context yet: the map is not drawn until its sites are
        document.getElementById("kaart").dataset.drawn = String(S.version);
      },
    });
  }
  S.deck.setProps({ layers: layers() });
  // drawn after the frame (onAfterRender), which deck.gl draws only for a reason
  if (S.contextDirty || S.pointsDirty) S.deck.redraw("context");
}

function forget() {
  // another selection's sites are on their way: the map stops drawing (and picking) the
  // previous ones now, or it would draw them once more at the new view while they load (in
  // software WebGL up to ~0.5 s of the wait)
  Object.assign(S, { passing: null, drawnPoints: null, points: null, classified: null,
    tileLayers: new Map(), pointsDirty: true });
  if (S.deck) S.deck.setProps({ layers: [] });
}

async function render(args) {
  const ticket = ++S.ticket;   // a newer render makes an older one that is still loading stop
  try {
    S.base = args.base;
    const f = args.files;
    if (!S.geometry || S.geometry.key !== f.key) {
      // one load per region, shared by every render that arrives while it runs
      S.geometry = { key: f.key, data: Promise.all([
        binary(S.base + f.points, Float32Array), binary(S.base + f.order, Uint32Array),
        binary(S.base + f.tiles, Uint32Array), binary(S.base + f.boxes, Float32Array)]) };
      if (S.files && S.files.key !== f.key) forget();
    }
    // the classes load with the geometry, not after it
    const classified = `${f.key}|${args.classes}`;
    const classes = S.classified === classified ? null : binary(S.base + args.classes, Uint8Array);
    if (classes) classes.catch(() => {});   // reported where it is awaited (below)
    if (!S.contextLoad || S.contextLoad.name !== f.context) {
      S.contextLoad = { name: f.context, data: json(S.base + f.context), shown: false };
    }
    S.palette = args.palette;
    CONTEXT = args.context_style || CONTEXT;
    S.labels = args.labels;
    if (args.view_key !== S.viewKey) {
      S.viewKey = args.view_key;
      S.view = fit(args.bounds);
      if (S.deck) S.deck.setProps({ initialViewState: S.view });
      if (S.tileDeck && S.tiles_on) S.tileDeck.setProps({ viewState: S.view });
    }
    const load = S.contextLoad;
    const context = await load.data;
    if (ticket !== S.ticket) return;
    if (!load.shown) {   // the shapes are prepared once per context file
      S.shapes = contextShapes(context);
      S.contextDirty = true;
      load.shown = true;
      // Draw the region's context while its candidates load: setting up WebGL then overlaps
      // the download.
      if (!S.deck) redraw();
    }
    const [points, order, tiles, boxes] = await S.geometry.data;
    if (ticket !== S.ticket) return;
    if (!S.files || S.files.key !== f.key) {
      Object.assign(S, { points, order, tiles, boxes, count: order.length, inverse: null,
        outlines: null, outlinesWanted: false, ids: null, idsWanted: false });
    }
    S.files = f;
    if (S.classified !== classified) {   // a click or another tab names the same file again
      // the codes, then the scores
      const both = await (classes || binary(S.base + args.classes, Uint8Array));
      if (ticket !== S.ticket) return;
      if (both.length !== 2 * S.count) throw new Error(`${both.length / 2} klassen voor ${S.count} locaties`);
      S.codes = both.subarray(0, S.count);
      S.scores = both.subarray(S.count);
      S.version += 1;
      classify();
      S.classified = classified;
    }
    const shortlist = args.shortlist || [];
    if (shortlist.join() !== S.shortlist.join()) S.shortlist = shortlist;   // the same: no redraw
    const selected = args.selected == null ? -1 : args.selected;
    S.tiles_on = !!args.tiles;
    showTiles(S.tiles_on);
    const reach = args.reach ? JSON.stringify(args.reach) : "";
    if (reach !== S.reachKey) {
      S.reachKey = reach;
      S.reachShapes = args.reach ? shapesOf(args.reach.features || [args.reach], null, true)
        .map((shape) => ({ ...shape, colours: REACH })) : [];
      S.contextDirty = true;
    }
    if (!S.tiles_on && S.tileError) { S.tileError = false; say(""); }
    legend(args.legend || [], args.note);
    redraw();
    if (selected !== S.selected || S.chosenVersion !== S.version) {
      S.selected = selected; S.chosenVersion = S.version;
      const viewport = viewportNow();
      if (viewport) drawChosen(viewport);   // else after deck.gl's first frame (onAfterRender)
    }
    wantOutlines();
    (window.requestIdleCallback || ((then) => setTimeout(then, 1000)))(wantIds);
  } catch (error) {
    say(`De kaart kan niet worden getekend: ${error.message}`);
  }
}

window.addEventListener("message", (event) => {
  if (event.data && event.data.type === "streamlit:render") render(event.data.args);
});
post("streamlit:componentReady", { apiVersion: 1 });
post("streamlit:setFrameHeight", { height: HEIGHT });
