// casegraph views: draws the data of #cg-data as SVG or a table. Every element is
// built with createElement and textContent: text from documents is never parsed.
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("cg-data").textContent);
  const NS = "http://www.w3.org/2000/svg";
  const panel = document.getElementById("cg-panel");
  const form = document.getElementById("cg-filters");
  const legend = document.getElementById("cg-legend");
  const view = document.getElementById("cg-view");

  // -- small builders -------------------------------------------------------------
  function put(node, attrs, text) {
    for (const k in attrs || {}) if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  const el = (tag, attrs, text) => put(document.createElement(tag), attrs, text);
  const sv = (tag, attrs, text) => put(document.createElementNS(NS, tag), attrs, text);
  function add(parent, ...kids) { kids.forEach((k) => k && parent.appendChild(k)); return parent; }
  const lower = (s) => String(s || "").toLowerCase();
  const short = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

  if (DATA.note) {
    const note = document.getElementById("cg-note");
    note.textContent = DATA.note;
    note.hidden = false;
  }

  function field(label, input) {
    add(form, add(el("label"), document.createTextNode(label + " "), input));
    input.addEventListener("input", () => redraw());
    return input;
  }
  function select(label, id, options) {
    const s = el("select", {id: id});
    add(s, el("option", {value: ""}, "all"));
    options.forEach(([value, text]) => add(s, el("option", {value: value}, text)));
    return field(label, s);
  }
  function panelStart(title, sub) {
    panel.replaceChildren(el("h2", null, title));
    if (sub) add(panel, el("p", {"class": "cg-meta"}, sub));
  }
  function cite(parts) {
    return el("div", {"class": "cg-cite"}, parts.filter((p) => p !== null && p !== undefined && p !== "").join(" · "));
  }
  function quoteBlock(q) {
    // q = [quote, paragraph, page, document]
    const box = el("div");
    add(box, el("blockquote", {"class": "cg-quote"}, "“" + q[0] + "”"),
      cite([q[1] ? "¶ " + q[1] : null, q[2] !== null && q[2] !== undefined ? "p. " + q[2] : null, q[3]]));
    return box;
  }

  // Zoom with the wheel and pan by dragging, by moving the SVG's viewBox.
  function zoomable(svg, w, h) {
    let box = [0, 0, w, h];
    const apply = () => svg.setAttribute("viewBox", box.join(" "));
    apply();
    svg.addEventListener("wheel", (ev) => {
      ev.preventDefault();
      const r = svg.getBoundingClientRect();
      const f = ev.deltaY > 0 ? 1.15 : 1 / 1.15;
      const px = box[0] + (ev.clientX - r.left) / r.width * box[2];
      const py = box[1] + (ev.clientY - r.top) / r.height * box[3];
      box = [px - (px - box[0]) * f, py - (py - box[1]) * f, box[2] * f, box[3] * f];
      apply();
    }, {passive: false});
    let drag = null;
    svg.addEventListener("pointerdown", (ev) => { drag = [ev.clientX, ev.clientY, box[0], box[1]]; });
    window.addEventListener("pointerup", () => { drag = null; });
    svg.addEventListener("pointermove", (ev) => {
      if (!drag) return;
      const r = svg.getBoundingClientRect();
      box[0] = drag[2] - (ev.clientX - drag[0]) / r.width * box[2];
      box[1] = drag[3] - (ev.clientY - drag[1]) / r.height * box[3];
      apply();
    });
    return (nw, nh) => { box = [0, 0, nw, nh]; apply(); };
  }

  let redraw = () => {};
  const EDGE_BUDGET = 80;  // lines the network draws at first
  const PANEL_ITEMS = 100;  // reviews a line's panel lists before "show all"
  const NODE_ITEMS = 10;  // the same for each line of a node's panel

  // -- repeated failures: network and matrix ------------------------------------------
  function failures() {
    const nodes = new Map(DATA.nodes.map((n) => [n.id, n]));
    const reviews = DATA.reviews, places = DATA.places, quotes = DATA.quotes, docs = DATA.documents;
    const typeName = (t) => (DATA.types && DATA.types[t]) || t;
    const years = reviews.map((r) => r[3]).filter((y) => y);
    const span = years.length ? {min: Math.min(...years), max: Math.max(...years)} : {};
    const f = {
      place: select("Locality", "cg-f-place", places.filter((p) => p).sort().map((p) => [lower(p), p])),
      rtype: select("Review type", "cg-f-rtype", [...new Set(reviews.map((r) => r[2]).filter((t) => t))].sort().map((t) => [t, t])),
      from: field("Years", el("input", {type: "number", id: "cg-f-from", min: span.min, max: span.max, placeholder: span.min})),
      to: field("to", el("input", {type: "number", id: "cg-f-to", min: span.min, max: span.max, placeholder: span.max})),
      min: field("Min. reviews", el("input", {type: "number", id: "cg-f-min", min: DATA.min_reviews, value: DATA.min_reviews})),
      theme: select("Theme", "cg-f-theme", DATA.nodes.filter((n) => n.side === "t").map((n) => [n.id, n.name]).sort((a, b) => a[1].localeCompare(b[1]))),
      atype: select("Agency type", "cg-f-atype", [...new Set(DATA.nodes.filter((n) => n.side === "a" && n.type).map((n) => n.type))].sort().map((t) => [t, typeName(t)])),
      text: field("Search", el("input", {type: "search", id: "cg-f-text", placeholder: "agency, theme or quote"})),
    };
    // The reviews of an edge that pass the filters, one entry each (the first with a quote).
    function passing(e) {
      const from = parseInt(f.from.value, 10), to = parseInt(f.to.value, 10);
      const seen = new Map();
      for (const it of e.e) {
        const r = reviews[it[0]];
        if (f.place.value && lower(places[it[1]]) !== f.place.value) continue;
        if (f.rtype.value && r[2] !== f.rtype.value) continue;
        if (!isNaN(from) && !(r[3] >= from)) continue;
        if (!isNaN(to) && !(r[3] <= to)) continue;
        if (!seen.has(it[0]) || (seen.get(it[0]).length < 3 && it.length > 2)) seen.set(it[0], it);
      }
      return [...seen.values()];
    }
    function matches(e, words) {
      if (!words) return true;
      const hay = [nodes.get(e.s).name, nodes.get(e.t).name, e.s, e.t];
      for (const it of e.e) if (it.length > 2) hay.push(quotes[it[2]][0]);
      return lower(hay.join(" ")).includes(words);
    }
    function visibleEdges() {
      const min = Math.max(parseInt(f.min.value, 10) || DATA.min_reviews, 1);
      const words = lower(f.text.value.trim());
      const out = [];
      for (const e of DATA.edges) {
        if (f.theme.value && e.t !== f.theme.value) continue;
        if (f.atype.value && nodes.get(e.s).type !== f.atype.value) continue;
        const items = passing(e);
        if (items.length < min || !matches(e, words)) continue;
        out.push({edge: e, items: items, n: items.length});
      }
      return out;
    }
    function evidenceList(items, total, limit) {
      const list = el("ol", {"class": "cg-evidence"});
      for (const it of items.slice(0, limit)) {
        const r = reviews[it[0]];
        const li = add(el("li"), el("strong", null, r[1]),
          el("span", {"class": "cg-meta"}, " (" + [r[2], r[3], places[it[1]]].filter((x) => x).join(", ") + ")"));
        if (it.length > 2) {
          const q = quotes[it[2]];
          add(li, quoteBlock([q[0], q[1], q[2], docs[q[3]]]));
        } else {
          add(li, el("div", {"class": "cg-cite"}, "quote not kept in this file"));
        }
        add(list, li);
      }
      if (items.length > limit) {
        const more = el("button", {type: "button"}, "Show all " + items.length + " reviews");
        more.addEventListener("click", () => list.replaceWith(evidenceList(items, total, Infinity)));
        add(list, more);
      }
      if (total > items.filter((it) => it.length > 2).length) {
        add(list, el("p", {"class": "cg-hint"}, "Quotes are kept for some reviews only; " +
          "`casegraph query repeated-failures --evidence` lists every one."));
      }
      return list;
    }
    function showEdge(v) {
      const a = nodes.get(v.edge.s), t = nodes.get(v.edge.t);
      panelStart((a.label || a.name) + " — " + t.name, v.n + (v.n === 1 ? " review" : " reviews") +
        " found this failure" + (a.place ? " (" + a.place + ")" : ""));
      add(panel, evidenceList(v.items, v.n, PANEL_ITEMS));
    }
    function showNode(n, shown) {
      const mine = shown.filter((v) => v.edge.s === n.id || v.edge.t === n.id).sort((x, y) => y.n - x.n);
      panelStart(n.label || n.name, (n.side === "a" ? (n.type ? typeName(n.type) : "agency") : "theme") +
        ": " + mine.length + " repeated failures");
      for (const v of mine) {
        const other = nodes.get(n.side === "a" ? v.edge.t : v.edge.s);
        add(panel, el("h3", null, other.name + ": " + v.n + " reviews"), evidenceList(v.items, v.n, NODE_ITEMS));
      }
    }
    return {nodes, visibleEdges, showEdge, showNode, f};
  }

  function network() {
    const F = failures();
    const svg = sv("svg", {"class": "cg-svg", role: "img", "aria-label": "repeated-failure network"});
    view.appendChild(svg);
    const W = 1000, LX = 330, RX = 670, TOP = 24, ROW = 30;
    const resize = zoomable(svg, W, 400);
    const maxN = Math.max(1, ...DATA.edges.map((e) => e.n));
    const width = (n) => 1.5 + 12 * Math.sqrt(n / maxN);
    legendNetwork(width, maxN);
    // More lines than a reader can follow: start with the most repeated, and say so.
    const counts = DATA.edges.map((e) => e.n).sort((a, b) => b - a);
    // (ties at the cut all drawn, so never none)
    const start = counts.length > EDGE_BUDGET ? counts[EDGE_BUDGET - 1] : 0;
    if (start > DATA.min_reviews) {
      F.f.min.value = start;
      const note = document.getElementById("cg-note");
      note.textContent = (DATA.note ? DATA.note + " " : "") + "Of " + counts.length + " repeated failures, those stated in at least " +
        start + " reviews are drawn (" + counts.filter((n) => n >= start).length + "): lower Min. reviews to draw more; the matrix shows all.";
      note.hidden = false;
    }
    let selected = null;
    redraw = function () {
      svg.replaceChildren();
      const shown = F.visibleEdges();
      const used = new Set();
      shown.forEach((v) => { used.add(v.edge.s); used.add(v.edge.t); });
      const pos = new Map();
      for (const side of ["a", "t"]) {
        DATA.nodes.filter((n) => n.side === side && used.has(n.id)).sort((p, q) => p.y - q.y)
          .forEach((n, i) => pos.set(n.id, [side === "a" ? LX : RX, TOP + i * ROW]));
      }
      const rows = Math.max(1, ...[...pos.values()].map((p) => (p[1] - TOP) / ROW + 1));
      const H = TOP * 2 + (rows - 1) * ROW;
      svg.setAttribute("width", W);
      svg.setAttribute("height", H);
      resize(W, H);
      if (!shown.length) {
        add(svg, sv("text", {x: W / 2, y: 30, "text-anchor": "middle"}, "No repeated failures match these filters."));
      }
      const [edgeLayer, badgeLayer, nodeLayer] = [sv("g"), sv("g"), sv("g")];
      add(svg, edgeLayer, badgeLayer, nodeLayer);
      const badges = [];
      shown.sort((x, y) => y.n - x.n);  // the biggest counts take the best places...
      for (const v of shown) {
        const [x1, y1] = pos.get(v.edge.s), [x2, y2] = pos.get(v.edge.t);
        const mx = (x1 + x2) / 2;
        const d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
        const attrs = {"data-s": v.edge.s, "data-t": v.edge.t, "data-n": v.n};
        const g = sv("g", Object.assign({"class": "cg-edge", tabindex: 0}, attrs));
        const what = (F.nodes.get(v.edge.s).label || F.nodes.get(v.edge.s).name) + " — " + F.nodes.get(v.edge.t).name + ": " + v.n + " reviews";
        add(g, sv("path", {"class": "cg-hit", d: d, "stroke-width": Math.max(12, width(v.n) + 6)}),
          sv("path", {"class": "cg-line", d: d, "stroke-width": width(v.n).toFixed(1)}), sv("title", null, what));
        // The count sits on the curve where it overlaps no other count.
        const label = String(v.n);
        const [bx, by] = freeSpot(badges, [x1, y1, mx, x2, y2]);
        badges.push([bx, by]);
        const badge = sv("g", Object.assign({"class": "cg-edge cg-badge"}, attrs));
        add(badge, sv("rect", {x: bx - 4 - 3.5 * label.length, y: by - 8, width: 8 + 7 * label.length, height: 16, rx: 4}),
          sv("text", {x: bx, y: by + 4, "text-anchor": "middle"}, label), sv("title", null, what));
        for (const target of [g, badge]) {
          target.addEventListener("click", () => { mark(g); F.showEdge(v); });
        }
        edgeLayer.prepend(g);  // ...and are drawn on top
        badgeLayer.prepend(badge);
      }
      for (const [id, [x, y]] of pos) {
        const n = F.nodes.get(id);
        const g = sv("g", {"class": "cg-node cg-" + (n.side === "a" ? "agency" : "theme"), "data-id": id, tabindex: 0});
        const shape = n.side === "a"
          ? sv("rect", {x: x - 7, y: y - 7, width: 14, height: 14, fill: "#2f7d4f"})
          : sv("circle", {cx: x, cy: y, r: 7, fill: "#1d8fa8"});
        add(g, shape, sv("text", n.side === "a" ? {x: x - 14, y: y + 4, "text-anchor": "end"} : {x: x + 14, y: y + 4},
          short(n.label || n.name, 44)), sv("title", null, n.label || n.name));
        g.addEventListener("click", () => { mark(g); F.showNode(n, shown); });
        g.addEventListener("mouseenter", () => dim(id));
        g.addEventListener("mouseleave", () => dim(null));
        nodeLayer.appendChild(g);
      }
      selected = null;
    };
    function mark(g) {
      if (selected) selected.classList.remove("cg-on");
      selected = g;
      g.classList.add("cg-on");
    }
    function dim(id) {
      svg.querySelectorAll(".cg-edge").forEach((g) => g.classList.toggle("cg-dim",
        id !== null && g.getAttribute("data-s") !== id && g.getAttribute("data-t") !== id));
    }
    panelStart("Repeated failures", "Click a line for the reviews and quotes behind it, or a name for all of its failures.");
  }

  // A point of the curve from (x1, y1) to (x2, y2) at least 18 units from every placed one.
  function freeSpot(placed, [x1, y1, mx, x2, y2]) {
    const at = (t) => {
      const u = 1 - t;
      return [u * u * u * x1 + 3 * u * t * mx + t * t * t * x2, u * u * u * y1 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y2];
    };
    for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.45, 0.55, 0.35, 0.65, 0.15, 0.85]) {
      const p = at(t);
      if (placed.every((q) => Math.abs(q[0] - p[0]) > 22 || Math.abs(q[1] - p[1]) > 17)) return p;
    }
    return at(0.5);
  }

  function legendNetwork(width, maxN) {
    const item = (svg, text) => add(legend, add(el("span"), svg, document.createTextNode(" " + text)));
    item(add(sv("svg", {width: 14, height: 14}), sv("rect", {x: 1, y: 1, width: 12, height: 12, fill: "#2f7d4f"})),
      DATA.by === "agency-type" ? "agency type" : "agency");
    item(add(sv("svg", {width: 14, height: 14}), sv("circle", {cx: 7, cy: 7, r: 6, fill: "#1d8fa8"})), "theme");
    const steps = [...new Set([DATA.min_reviews, Math.round(maxN / 2), maxN])].filter((n) => n >= DATA.min_reviews && n > 0);
    for (const n of steps) {
      item(add(sv("svg", {width: 40, height: 16}), sv("line", {x1: 2, y1: 8, x2: 38, y2: 8, stroke: "#8fa7c4", "stroke-width": width(n)})),
        n + " reviews");
    }
    add(legend, el("span", null, "line width and number = reviews stating the failure"));
  }

  function matrix() {
    const F = failures();
    const maxN = Math.max(1, ...DATA.edges.map((e) => e.n));
    const colour = (n) => {
      const t = Math.min(1, n / maxN);
      return `hsl(${Math.round(48 - 48 * t)}, 90%, ${Math.round(88 - 50 * t)}%)`;
    };
    for (const n of [...new Set([DATA.min_reviews, Math.round((DATA.min_reviews + maxN) / 2), maxN])]) {
      add(legend, add(el("span"), el("span", {style: `display:inline-block;width:18px;height:14px;vertical-align:middle;background:${colour(n)}`}),
        document.createTextNode(" " + n + " reviews")));
    }
    add(legend, el("span", null, "rows and columns with the most reviews first"));
    let selected = null;
    redraw = function () {
      const shown = F.visibleEdges();
      const rowSum = new Map(), colSum = new Map(), cell = new Map();
      for (const v of shown) {
        rowSum.set(v.edge.s, (rowSum.get(v.edge.s) || 0) + v.n);
        colSum.set(v.edge.t, (colSum.get(v.edge.t) || 0) + v.n);
        cell.set(v.edge.s + "\n" + v.edge.t, v);
      }
      const order = (m) => [...m.keys()].sort((a, b) => m.get(b) - m.get(a) || F.nodes.get(a).name.localeCompare(F.nodes.get(b).name));
      const rows = order(rowSum), cols = order(colSum);
      const table = el("table", {"class": "cg-matrix"});
      const head = add(el("tr"), el("th"));
      cols.forEach((c) => add(head, add(el("th", {scope: "col", "data-col": c}), el("div", null, F.nodes.get(c).name))));
      add(table, add(el("thead"), head));
      const body = el("tbody");
      add(table, body);
      for (const r of rows) {
        const n = F.nodes.get(r);
        const tr = add(el("tr", {"data-row": r}), el("th", {scope: "row"}, n.label || n.name));
        for (const c of cols) {
          const v = cell.get(r + "\n" + c);
          if (!v) { add(tr, el("td")); continue; }
          const td = el("td", {"class": "cg-cell", "data-row": r, "data-col": c, tabindex: 0,
            title: (n.label || n.name) + " — " + F.nodes.get(c).name + ": " + v.n + " reviews", style: "background:" + colour(v.n) + (v.n / maxN > 0.55 ? ";color:#fff" : "")}, v.n);
          td.addEventListener("click", () => {
            if (selected) selected.classList.remove("cg-on");
            selected = td;
            td.classList.add("cg-on");
            F.showEdge(v);
          });
          add(tr, td);
        }
        add(body, tr);
      }
      view.replaceChildren(shown.length ? table : el("p", null, "No repeated failures match these filters."));
    };
    panelStart("Repeated failures", "Click a cell for the reviews and quotes behind its count.");
  }

  // -- one case: contacts on a timeline ----------------------------------------------
  const STATUS = {
    "missed": ["#c62828", "missed"], "declined": ["#e07b00", "declined"],
    "not-followed-up": ["#6a3d9a", "not followed up"], "": ["#5b7083", "other contact"],
  };
  function marker(status, x, y) {
    const c = (STATUS[status] || STATUS[""])[0];
    if (status === "missed") return sv("circle", {cx: x, cy: y, r: 7, fill: "#fff", stroke: c, "stroke-width": 3});
    if (status === "declined") return sv("rect", {x: x - 6, y: y - 6, width: 12, height: 12, fill: c});
    if (status === "not-followed-up") return sv("path", {d: `M${x},${y - 8} L${x + 7},${y + 6} L${x - 7},${y + 6} Z`, fill: c});
    return sv("circle", {cx: x, cy: y, r: 5, fill: c});
  }
  function timeline() {
    const C = DATA;
    for (const s of ["missed", "declined", "not-followed-up", ""]) {
      add(legend, add(el("span"), add(sv("svg", {width: 18, height: 18}), marker(s, 9, 10)), document.createTextNode(" " + STATUS[s][1])));
    }
    add(legend, el("span", null, "one lane per agency, time left to right; a contact whose date is not stated follows the one before"));
    const LEFT = 220, LANE = 34, TOP = 30, W = Math.max(900, LEFT + 40 + C.contacts.length * 16);
    const H = TOP + C.lanes.length * LANE + 10;
    const svg = sv("svg", {"class": "cg-svg", width: W, height: H, role: "img", "aria-label": "contacts timeline"});
    zoomable(svg, W, H);
    const xOf = (c) => LEFT + 20 + c.x * (W - LEFT - 40);
    C.lanes.forEach((lane, i) => {
      const y = TOP + i * LANE + LANE / 2;
      add(svg, add(sv("g", {"class": "cg-lane", "data-agency": lane.id}),
        sv("line", {x1: LEFT, y1: y, x2: W - 10, y2: y, stroke: "#ddd"}),
        sv("text", {x: LEFT - 8, y: y + 4, "text-anchor": "end"}, short(lane.name, 32))));
    });
    const axis = sv("g", {"class": "cg-axis"});
    add(svg, axis);
    for (const t of C.ticks) {
      const x = LEFT + 20 + t.x * (W - LEFT - 40);
      add(axis, sv("line", {x1: x, y1: TOP - 6, x2: x, y2: H - 6, stroke: "#f0f0f0"}), sv("text", {x: x, y: TOP - 10, "text-anchor": "middle"}, t.label));
    }
    let selected = null;
    const show = (c, g) => {
      if (selected) selected.classList.remove("cg-on");
      selected = g;
      if (g) g.classList.add("cg-on");
      caseDetails(c);
    };
    C.contacts.forEach((c, i) => {
      const x = xOf(c), y = TOP + c.lane * LANE + LANE / 2;
      const g = sv("g", {"class": "cg-contact", "data-date": c.date || "", "data-seq": i, "data-status": c.status || "",
        "data-x": x.toFixed(1), tabindex: 0});
      add(g, marker(c.status || "", x, y), sv("title", null, (c.date_text || "date not stated") + ": " + c.summary));
      g.addEventListener("click", () => show(c, g));
      add(svg, g);
    });
    add(view, svg);
    const table = el("table", {"class": "cg-chrono"});
    add(table, add(el("thead"), add(el("tr"), ...["Date", "Agency", "Contact", "Status", "¶", "What happened"].map((h) => el("th", null, h)))));
    const body = el("tbody");
    add(table, body);
    C.contacts.forEach((c) => {
      const tr = add(el("tr", {"data-date": c.date || ""}), el("td", null, c.date_text || "—"), el("td", null, C.lanes[c.lane].name),
        el("td", null, [c.kind, c.role].filter((x) => x).join(", ")),
        el("td", {"class": c.status ? "cg-status-" + c.status : null}, c.status ? STATUS[c.status] ? STATUS[c.status][1] : c.status : ""),
        el("td", null, c.paragraph || ""), el("td", null, c.summary));
      tr.addEventListener("click", () => show(c, null));
      add(body, tr);
    });
    add(view, el("h2", null, "Contacts in date order"), table);
    caseDetails(null);
  }
  function caseDetails(c) {
    const C = DATA;
    panelStart(C.case.name, [C.case.locality, C.case.incident_date ? "incident " + C.case.incident_date : null, C.case.outcome,
      C.reviews.join(", ")].filter((x) => x).join(" · "));
    if (c) {
      add(panel, el("h3", null, (c.date_text || "date not stated") + " — " + C.lanes[c.lane].name),
        el("p", {"class": c.status ? "cg-status-" + c.status : "cg-meta"}, [c.kind, c.role, c.status].filter((x) => x).join(", ")),
        quoteBlock([c.summary, c.paragraph, c.page, c.document]));
    } else {
      add(panel, el("p", {"class": "cg-hint"}, "Click a contact for what happened."));
    }
    add(panel, el("h3", null, "Findings (" + C.findings.length + ")"));
    const fl = el("ol", {"class": "cg-findings"});
    add(panel, fl);
    C.findings.forEach((x) => add(fl, add(el("li"), el("div", null, x.text),
      cite([x.polarity, x.themes.join(", "), x.agencies.join(", "), x.paragraph ? "¶ " + x.paragraph : null]))));
    add(panel, el("h3", null, "Recommendations (" + C.recommendations.length + ")"));
    const rl = el("ol", {"class": "cg-recommendations"});
    add(panel, rl);
    C.recommendations.forEach((x) => add(rl, add(el("li"), el("div", null, (x.number ? x.number + ". " : "") + x.text),
      cite([x.addressed_to.length ? "to " + x.addressed_to.join(", ") : null, x.themes.join(", ")]))));
  }

  // -- a neighbourhood: any nodes and edges, laid out beforehand ----------------------
  function neighbourhood() {
    const G = DATA;
    const W = 1100, H = 760, PAD = 60;
    const svg = sv("svg", {"class": "cg-svg", width: "100%", height: H, role: "img", "aria-label": "neighbourhood"});
    zoomable(svg, W, H);
    add(view, svg);
    const PADX = 2.2 * PAD;  // room for the labels of the outer ring
    const pos = new Map(G.nodes.map((n) => [n.id, [PADX + n.x * (W - 2 * PADX), PAD + n.y * (H - 2 * PAD)]]));
    const hidden = new Set();
    for (const [label, colour] of Object.entries(G.styles)) {
      const count = G.nodes.filter((n) => n.label === label).length;
      if (!count) continue;
      const box = el("input", {type: "checkbox", "data-label": label});
      box.checked = true;
      box.addEventListener("change", () => { box.checked ? hidden.delete(label) : hidden.add(label); redraw(); });
      add(legend, add(el("label"), box, add(sv("svg", {width: 14, height: 14}), sv("circle", {cx: 7, cy: 7, r: 6, fill: colour})),
        document.createTextNode(" " + label + " (" + count + ")")));
    }
    const search = field("Search", el("input", {type: "search", id: "cg-f-text", placeholder: "name"}));
    const byId = new Map(G.nodes.map((n) => [n.id, n]));
    redraw = function () {
      svg.replaceChildren();
      const words = lower(search.value.trim());
      const on = (n) => !hidden.has(n.label);
      for (const e of G.edges) {
        const a = byId.get(e.s), b = byId.get(e.t);
        if (!on(a) || !on(b)) continue;
        const [x1, y1] = pos.get(e.s), [x2, y2] = pos.get(e.t);
        add(svg, add(sv("g", {"class": "cg-link"}), sv("line", {x1, y1, x2, y2, stroke: "#bbb", "stroke-width": 1 + Math.min(e.n, 12) / 3}),
          sv("title", null, a.name + " " + e.rel + (e.n > 1 ? " ×" + e.n : "") + " " + b.name)));
      }
      for (const n of G.nodes) {
        if (!on(n)) continue;
        const [x, y] = pos.get(n.id);
        const dimmed = words && !lower(n.name + " " + n.id).includes(words);
        const g = sv("g", {"class": "cg-node cg-graph" + (dimmed ? " cg-dim" : ""), "data-id": n.id, "data-label": n.label, tabindex: 0});
        add(g, sv("circle", {cx: x, cy: y, r: n.seed ? 11 : 7, fill: G.styles[n.label] || "#888", stroke: n.seed ? "#000" : "#fff", "stroke-width": 2}),
          sv("text", {x: x, y: y + 20, "text-anchor": "middle"}, short(n.name, 28)), sv("title", null, n.label + ": " + n.name));
        g.addEventListener("click", () => showGraphNode(n));
        add(svg, g);
      }
    };
    panelStart(G.title || "Neighbourhood", "Click a node for its details and quotes.");
  }
  function showGraphNode(n) {
    panelStart(n.name, n.label + " · " + n.id);
    const table = el("table");
    for (const [k, v] of n.props) add(table, add(el("tr"), el("th", null, k), el("td", null, v)));
    add(panel, table);
    if (n.quotes.length) add(panel, el("h3", null, "Evidence"));
    n.quotes.forEach((q) => add(panel, quoteBlock(q)));
  }

  // Enter on a focused line, node, cell or contact opens it as a click does.
  document.addEventListener("keydown", (ev) => {
    const t = ev.target;
    if (ev.key === "Enter" && t.getAttribute && t.getAttribute("tabindex") === "0") {
      t.dispatchEvent(new MouseEvent("click", {bubbles: true}));
    }
  });

  ({network, matrix, case: timeline, neighbourhood})[document.body.getAttribute("data-kind")]();
  redraw();
  document.body.setAttribute("data-ready", "1");
})();
