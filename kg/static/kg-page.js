/* govreport-kg graph page: layout, legible labels, filters, search, neighbourhood highlight,
   details panel. Reads the graph from <script id="kg-data">; uses only the embedded vis-network. */
(function () {
  "use strict";
  var t0 = performance.now();
  // Labels are drawn on a canvas, which does not wait for web fonts: start once the embedded
  // CJK font is ready (a data URL, so this takes milliseconds), or at once without one.
  var ready = document.fonts && document.fonts.load ? document.fonts.load('13px "KG Sans SC"', "\u6d77") : null;
  if (ready) ready.then(main, main); else main();

  function main() {
    var payload = JSON.parse(document.getElementById("kg-data").textContent);
    var meta = payload.meta;
    var T = meta.types, S = meta.sentences, P = meta.predicates;
    var LABEL_PX = 12;          // a label drawn at first sight is this tall on screen, whatever the zoom
    var SPACING = 40;           // the layout's unit, in canvas units
    var colourOf = {}, byId = {}, pinned = new Set();
    // a node's own colour, shape and title (given to pyvis's add_node) win over its type's
    payload.nodes.forEach(function (n) {
      var ty = T[n.t];
      byId[n.id] = n;
      if (n.x !== undefined && n.y !== undefined) pinned.add(n.id);
      n.color = n.color || ty.color; n.shape = n.shape || ty.shape;
      colourOf[n.id] = n.color;
      if (n.title !== undefined) return;
      var tip = [n.name, "类型 type: " + ty.name];
      if (n.path) tip.push("章节 section: " + n.path);
      (n.ev || []).forEach(function (i) { tip.push("证据 evidence: " + S[i]); });
      if (n.evn) tip.push("(+" + n.evn + " more)");
      n.title = tip.join("\n");  // plain text: vis shows a string title as text, never as HTML
    });
    if (meta.edgeStyle) {
      payload.edges.forEach(function (e) { if (e.p !== undefined) e.title = P[e.p]; if (e.d) e.dashes = true; });
    }
    var adjacency = {};
    payload.edges.forEach(function (e) {
      (adjacency[e.from] = adjacency[e.from] || []).push(e.to);
      (adjacency[e.to] = adjacency[e.to] || []).push(e.from);
    });

    // Types folded at first (indicators, results, targets: one click on the legend away).
    var state = { types: new Set(), group: -1, goal: null, derived: !!meta.derivedShown, collapsed: false,
                  open: new Set() };
    T.forEach(function (t, i) { if (!t.off) state.types.add(i); });
    // a cluster shows only while its section passes the section/goal filters
    function clusterHasVisible(k) {
      var grp = meta.groups[k];
      if (state.group >= 0 && state.group !== k && !(byId[grp.node].g || []).includes(state.group)) return false;
      if (state.goal && !state.goal.has(grp.node)) return false;
      return true;
    }
    function visible(n) {
      if (n.cl !== undefined) return state.collapsed && !state.open.has(n.cl) && clusterHasVisible(n.cl);
      if (!state.types.has(n.t)) return false;
      if (state.collapsed && T[n.t].family !== "outline" && n.g.length && !state.open.has(n.g[n.g.length - 1])) return false;
      if (state.group >= 0 && n.g.indexOf(state.group) < 0) return false;
      if (state.goal && !state.goal.has(n.id)) return false;
      return true;
    }

    // ---- Layout: a radial tree per report, the other nodes in a spiral around the outline
    // node they hang from; computed for what is shown, again whenever a filter changes.
    function natural(a, b) { a = String(a); b = String(b); return a < b ? -1 : a > b ? 1 : 0; }
    function byNumber(a, b) { return typeof a === "number" && typeof b === "number" ? a - b : natural(a, b); }
    function layout(list) {
      var shown = new Set(list.map(function (n) { return n.id; }));
      function up(id, key) {  // the nearest shown outline node at or above byId[id][key]
        var cur = byId[id] ? byId[id][key] : undefined, seen = 0;
        while (cur !== undefined && !shown.has(cur) && seen++ < 64) cur = byId[cur] ? byId[cur].pa : undefined;
        return cur !== undefined && shown.has(cur) ? cur : undefined;
      }
      var children = {}, roots = [], sats = {}, rest = [], pos = {};
      list.forEach(function (n) {
        if (pinned.has(n.id)) { pos[n.id] = [n.x, n.y]; return; }
        if (n.cl !== undefined) { var h0 = meta.groups[n.cl].node; (sats[h0] = sats[h0] || []).push(n); return; }
        if (T[n.t].family === "outline") {
          var p = up(n.id, "pa");
          if (p === undefined) roots.push(n); else (children[p] = children[p] || []).push(n);
        } else {
          var h = up(n.id, "h");
          if (h === undefined) rest.push(n); else (sats[h] = sats[h] || []).push(n);
        }
      });
      Object.keys(children).forEach(function (k) { children[k].sort(function (a, b) { return byNumber(a.id, b.id); }); });
      Object.keys(sats).forEach(function (k) {
        sats[k].sort(function (a, b) { return (b.dg || 0) - (a.dg || 0) || byNumber(a.id, b.id); });
      });
      roots.sort(function (a, b) { return byNumber(a.id, b.id); });
      var weight = {};
      function weigh(r) {
        var order = [], stack = [r];
        while (stack.length) { var c = stack.pop(); order.push(c); (children[c.id] || []).forEach(function (k) { stack.push(k); }); }
        for (var i = order.length - 1; i >= 0; i--) {
          var n = order[i], w = 1 + 0.35 * (sats[n.id] || []).length;
          (children[n.id] || []).forEach(function (k) { w += weight[k.id]; });
          weight[n.id] = w;
        }
        return weight[r.id];
      }
      function depth(r) {
        var best = 0, stack = [[r, 0]];
        while (stack.length) {
          var it = stack.pop(); best = Math.max(best, it[1]);
          (children[it[0].id] || []).forEach(function (k) { stack.push([k, it[1] + 1]); });
        }
        return best;
      }
      var discs = [];
      roots.forEach(function (r) {
        var total = weigh(r), dmax = depth(r), local = {};
        var ring = Math.max(SPACING * 3, total * SPACING / (2 * Math.PI * Math.max(dmax, 1)));
        local[r.id] = [0, 0];
        var stack = [[r, 0, 0, 2 * Math.PI]];
        while (stack.length) {
          var it = stack.pop(), kids = children[it[0].id] || [];
          if (!kids.length) continue;
          var tw = 0; kids.forEach(function (k) { tw += weight[k.id]; });
          var a = it[2];
          kids.forEach(function (k) {
            var span = (it[3] - it[2]) * weight[k.id] / tw, mid = a + span / 2, rad = ring * (it[1] + 1);
            local[k.id] = [rad * Math.cos(mid), rad * Math.sin(mid)];
            stack.push([k, it[1] + 1, a, a + span]);
            a += span;
          });
        }
        var extent = ring * dmax;
        Object.keys(local).forEach(function (h) {
          var ss = sats[h];
          if (!ss) return;
          var hx = local[h][0], hy = local[h][1];
          var ang = hx || hy ? Math.atan2(hy, hx) : 0;
          var cx = hx + Math.cos(ang) * SPACING * 1.5, cy = hy + Math.sin(ang) * SPACING * 1.5;
          ss.forEach(function (s, i) {
            var rr = SPACING * 1.3 * Math.sqrt(i + 1), th = i * 2.399963229728653 + ang;  // golden angle
            local[s.id] = [cx + rr * Math.cos(th), cy + rr * Math.sin(th)];
            extent = Math.max(extent, Math.hypot(local[s.id][0], local[s.id][1]));
          });
        });
        discs.push([extent + SPACING * 2, local]);
      });
      var cols = Math.max(1, Math.ceil(Math.sqrt(discs.length))), x = 0, y = 0, rowH = 0;
      discs.forEach(function (d, i) {
        if (i && i % cols === 0) { x = 0; y += rowH; rowH = 0; }
        var cx = x + d[0], cy = y + d[0];
        Object.keys(d[1]).forEach(function (k) { pos[k] = [cx + d[1][k][0], cy + d[1][k][1]]; });
        x += 2 * d[0]; rowH = Math.max(rowH, 2 * d[0]);
      });
      // the rest: next to a placed neighbour, else on a grid below
      var queue = Object.keys(pos), count = {}, head = 0, left = new Set(rest.map(function (n) { return String(n.id); }));
      while (head < queue.length && left.size) {
        var cur = queue[head++];
        (adjacency[cur] || []).forEach(function (nb) {
          if (!left.has(String(nb))) return;
          left.delete(String(nb));
          count[cur] = (count[cur] || 0) + 1;
          var th = count[cur] * 2.399963229728653, rr = SPACING * Math.sqrt(count[cur]);
          pos[nb] = [pos[cur][0] + rr * Math.cos(th), pos[cur][1] + rr * Math.sin(th)];
          queue.push(String(nb));
        });
      }
      if (left.size) {
        var bottom = 0; Object.keys(pos).forEach(function (k) { bottom = Math.max(bottom, pos[k][1]); });
        bottom += SPACING * 3;
        var lst = rest.filter(function (n) { return left.has(String(n.id)); }), c2 = Math.max(1, Math.ceil(Math.sqrt(lst.length)));
        lst.forEach(function (n, i) { pos[n.id] = [(i % c2) * SPACING * 1.5, bottom + Math.floor(i / c2) * SPACING * 1.5]; });
      }
      return list.map(function (n) { return { id: n.id, x: Math.round(pos[n.id][0] * 10) / 10, y: Math.round(pos[n.id][1] * 10) / 10 }; });
    }
    var first = payload.nodes.filter(visible);
    layout(first).forEach(function (p) { byId[p.id].x = p.x; byId[p.id].y = p.y; });
    var fontSize = {}, fontColour = {}, HIDDEN = 0.01;  // a label this small is not drawn until picked
    payload.nodes.forEach(function (n) {
      if (n.x === undefined) { n.x = 0; n.y = 0; }
      if (n.font === undefined) { n.font = { size: HIDDEN }; fontSize[n.id] = HIDDEN; }
    });

    // vis draws nodes in the order it is given them, each with its label: reports and parts
    // last, so that their names are drawn over the nodes around them.
    var onTop = function (n) { return n.t !== undefined && (T[n.t].name === "Report" || T[n.t].name === "Part") ? 1 : 0; };
    payload.nodes = payload.nodes.filter(function (n) { return !onTop(n); }).concat(payload.nodes.filter(onTop));
    var nodes = new vis.DataSet(payload.nodes);
    var edges = new vis.DataSet(payload.edges);
    var nodeView = new vis.DataView(nodes, { filter: visible });
    // an edge is drawn when both its ends are (vis builds an object for every edge it is given)
    var edgeView = new vis.DataView(edges, { filter: function (e) {
      if (e.d && !state.derived) return false;
      var a = byId[e.from] || nodes.get(e.from), b = byId[e.to] || nodes.get(e.to);
      return !!a && !!b && visible(a) && visible(b);
    } });
    var container = document.getElementById("kg-graph");
    var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, payload.options);

    var page = {
      network: network, nodes: nodes, edges: edges, nodeView: nodeView, meta: meta,
      firstPaintMs: null, stabilized: !meta.physics, labelPx: LABEL_PX,
      drawnNodeCount: function () { return network.body.nodeIndices.length; },
      drawnEdgeCount: function () { return network.body.edgeIndices.length; },
      totalNodeCount: function () { return payload.nodes.length; }
    };
    window.kgPage = page;

    // ---- Labels: at any zoom, the most connected nodes whose labels fit without touching
    // another are drawn LABEL_PX tall; the others' labels wait for the user to zoom in.
    var measure = document.createElement("canvas").getContext("2d");
    function priority(n) {
      var ty = T[n.t], fam = ty.family;
      var rank = ty.name === "Report" ? 0 : ty.name === "Part" ? 1 : fam === "entity" ? 2 : ty.name === "Goal" ? 3
        : ty.name === "Section" ? 4 : fam === "outline" ? 5 : 6;
      return rank;
    }
    function setFont(id, size, colour) {
      var f = { size: size };
      if (colour) f.color = colour;
      return { id: id, font: f };
    }
    function declutter() {
      var s = network.getScale(), W = container.clientWidth, H = container.clientHeight;
      var ids = network.body.nodeIndices.slice(), face = payload.options.nodes.font.face;
      var lit = page.highlighted ? new Set(page.highlighted) : null;  // a clicked node's neighbourhood first
      measure.font = LABEL_PX + "px " + face;
      var cand = [];
      ids.forEach(function (id) {
        var n = byId[id] || nodes.get(id);
        if (!n || n.cl !== undefined) return;
        cand.push(n);
      });
      cand.sort(function (a, b) {
        return (lit ? (lit.has(b.id) ? 1 : 0) - (lit.has(a.id) ? 1 : 0) : 0) ||
          priority(a) - priority(b) || (b.dg || 0) - (a.dg || 0) || byNumber(a.id, b.id);
      });
      var CELL = 48, grid = {}, upd = [], shown = [];
      // boxes: accepted labels, and every drawn node's shape (a node drawn later would cover a label)
      function cells(b, add, self) {
        for (var gx = Math.floor(b[0] / CELL); gx <= Math.floor(b[2] / CELL); gx++) {
          for (var gy = Math.floor(b[1] / CELL); gy <= Math.floor(b[3] / CELL); gy++) {
            var key = gx + ":" + gy, list = grid[key];
            if (add) { (grid[key] = list || []).push(b); continue; }
            if (list) for (var i = 0; i < list.length; i++) {
              var o = list[i];
              if (o[4] !== self && b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) return true;
            }
          }
        }
        return false;
      }
      function labelsAt(b) {  // an accepted label (not a node's shape) overlaps b
        for (var i = 0; i < shownBoxes.length; i++) {
          var o = shownBoxes[i];
          if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) return true;
        }
        return false;
      }
      var shownBoxes = [];
      ids.forEach(function (id) {
        var body = network.body.nodes[id];
        if (!body || (lit && !lit.has(id))) return;  // faded nodes do not hide a highlighted label
        var p = network.canvasToDOM({ x: body.x, y: body.y });
        var r = (body.shape && body.shape.width ? Math.max(body.shape.width, body.shape.height) / 2 : body.options.size) * s;
        cells([p.x - r, p.y - r, p.x + r, p.y + r, id], true);
      });
      cand.forEach(function (n) {
        var body = network.body.nodes[n.id], want = HIDDEN;
        if (body) {
          var p = network.canvasToDOM({ x: body.x, y: body.y });
          var half = (body.shape && body.shape.height ? body.shape.height / 2 : body.options.size) * s;
          var w = measure.measureText(String(n.label)).width + 4;
          var top = p.y + half + LABEL_PX / 2 + 4 * LABEL_PX / 13 - 2;
          var box = [p.x - w / 2, top, p.x + w / 2, top + LABEL_PX * 1.3 + 2, n.id];
          var inside = box[0] >= 0 && box[2] <= W && box[1] >= 0 && box[3] <= H;
          // a report's name is drawn over the nodes around it (see onTop): only other labels block it
          var clear = T[n.t].name === "Report" ? !labelsAt(box) : !cells(box, false, n.id);
          if (inside && clear) { cells(box, true); shownBoxes.push(box); want = LABEL_PX / s; shown.push(n.id); }
        }
        if (fontSize[n.id] !== want) { fontSize[n.id] = want; upd.push(setFont(n.id, want, fontColour[n.id])); }
      });
      if (upd.length) nodes.update(upd);
      page.labelled = shown;
      return shown.length;
    }
    page.declutter = declutter;
    var dtimer = null;
    function declutterSoon() { clearTimeout(dtimer); dtimer = setTimeout(declutter, 120); }
    network.on("zoom", declutterSoon);
    network.on("dragEnd", declutterSoon);
    window.addEventListener("resize", declutterSoon);
    if (window.ResizeObserver) new ResizeObserver(declutterSoon).observe(container);  // the panel opened or closed

    page.scriptStartMs = t0;  // ms since navigation start, like firstPaintMs
    network.once("afterDrawing", function () {
      network.fit({ animation: false });
      declutter();
      page.firstPaintMs = performance.now();
      document.body.setAttribute("data-ready", "1");
    });
    if (meta.physics) {
      // settle, then stop: physics off at the first "stabilized" event or after physicsMaxMs
      var stopPhysics = function () {
        if (page.stabilized) return;
        network.setOptions({ physics: { enabled: false } });
        network.fit({ animation: false });
        declutter();
        page.stabilized = true;
        document.body.setAttribute("data-stable", "1");
      };
      network.once("stabilized", stopPhysics);
      setTimeout(stopPhysics, meta.physicsMaxMs || 4000);
    } else {
      document.body.setAttribute("data-stable", "1");
    }

    // What is shown changed: lay it out again, fit it to the window, pick the labels.
    function relayout() {
      var list = [];
      nodeView.forEach(function (n) { list.push(byId[n.id] || n); });
      var moved = layout(list);
      moved.forEach(function (p) { if (byId[p.id]) { byId[p.id].x = p.x; byId[p.id].y = p.y; } });
      nodes.update(moved);
      network.fit({ animation: false });
      declutter();
    }
    page.relayout = relayout;

    function updateCount() {
      document.getElementById("kg-count").textContent =
        nodeView.length + " / " + payload.nodes.length + " 节点 nodes" + (state.collapsed ? " (" + clusterCount + " clusters)" : "");
    }
    function refresh() { nodeView.refresh(); edgeView.refresh(); updateCount(); relayout(); }

    // Cluster by section: the non-outline nodes under each section (or part) become one node.
    // Done with the same filter as the rest (vis's own network.cluster takes ~30 s on 5,000 nodes).
    var cbtn = document.getElementById("kg-cluster");
    var clusterCount = 0, made = false;
    function isCluster(id) { var n = nodes.get(id); return !!n && n.cl !== undefined; }
    function groupOf(n) { return n.g.length ? n.g[n.g.length - 1] : -1; }
    function makeClusters() {
      var members = {};
      payload.nodes.forEach(function (n) {
        if (T[n.t].family === "outline" || !n.g.length) return;
        (members[groupOf(n)] = members[groupOf(n)] || []).push(n);
      });
      var cn = [], ce = [];
      Object.keys(members).forEach(function (k) {
        var list = members[k], x = 0, y = 0;
        list.forEach(function (n) { x += n.x; y += n.y; });
        var grp = meta.groups[k];
        cn.push({ id: "cluster:" + k, cl: Number(k), label: grp.label + " · " + list.length, shape: "box",
                  color: "#fdebd0", x: x / list.length, y: y / list.length, name: grp.label, g: [],
                  title: grp.label + "\n" + list.length + " nodes (double-click to open)" });
        ce.push({ id: "cluster-edge:" + k, from: "cluster:" + k, to: grp.node });
        colourOf["cluster:" + k] = "#fdebd0";
      });
      nodes.add(cn);
      edges.add(ce);
      clusterCount = cn.length;
      made = true;
    }
    function expandAll() {
      if (!state.collapsed) return;
      state.collapsed = false;
      state.open = new Set();
      cbtn.setAttribute("aria-pressed", "false");
    }
    function collapseAll() {
      if (!made) makeClusters();
      state.collapsed = true;
      state.open = new Set();
      cbtn.setAttribute("aria-pressed", "true");
    }
    cbtn.addEventListener("click", function () {
      if (state.collapsed) expandAll(); else collapseAll();
      refresh();
    });
    network.on("doubleClick", function (p) {
      var id = p.nodes.length ? p.nodes[0] : null;
      if (id !== null && isCluster(id)) {
        state.open.add(nodes.get(id).cl);
        refresh();
      }
    });
    page.collapse = function () { collapseAll(); refresh(); };
    page.expand = function () { expandAll(); refresh(); };

    // Legend doubles as the type filter; folded types start unticked.
    var ul = document.getElementById("kg-types");
    meta.types.forEach(function (t, i) {
      var li = document.createElement("li");
      var box = document.createElement("input");
      box.type = "checkbox"; box.checked = !t.off; box.value = String(i);
      box.setAttribute("data-type", t.name);
      box.id = "kg-type-" + i;
      var sw = document.createElement("span");
      sw.className = "kg-sw " + t.shape; sw.style.background = t.color;
      var lab = document.createElement("label");
      lab.htmlFor = box.id; lab.textContent = t.name;
      if (t.off) lab.title = "folded into its section or goal (click the section); tick to draw";
      var n = document.createElement("span");
      n.className = "kg-n"; n.textContent = String(t.count);
      li.classList.toggle("kg-off", !box.checked);
      box.addEventListener("change", function () {
        if (box.checked) state.types.add(i); else state.types.delete(i);
        li.classList.toggle("kg-off", !box.checked);
        refresh();
      });
      li.appendChild(box); li.appendChild(sw); li.appendChild(lab); li.appendChild(n);
      ul.appendChild(li);
    });

    // Derived links (an entity to the sections its mentions sit in) can be shown or hidden.
    var dbox = document.getElementById("kg-derived");
    if (!meta.derivedCount) document.getElementById("kg-derived-label").hidden = true;
    dbox.checked = state.derived;
    dbox.addEventListener("change", function () { state.derived = dbox.checked; edgeView.refresh(); });

    // Section filter: a report, part or section and everything tied to it.
    var sel = document.getElementById("kg-section");
    meta.groups.forEach(function (g) {
      var o = document.createElement("option");
      o.value = String(g.id);
      o.textContent = "\u3000".repeat(g.depth) + g.label;
      sel.appendChild(o);
    });
    sel.addEventListener("change", function () {
      state.group = sel.value === "" ? -1 : Number(sel.value);
      refresh();
    });

    // Goal filter: a goal and its neighbourhood (with the outline above it).
    var gsel = document.getElementById("kg-goal");
    if (!meta.goals.length) document.getElementById("kg-goal-label").hidden = true;
    meta.goals.forEach(function (g, i) {
      var o = document.createElement("option");
      o.value = String(i); o.textContent = g.label; gsel.appendChild(o);
    });
    gsel.addEventListener("change", function () {
      if (gsel.value === "") { state.goal = null; refresh(); return; }
      var id = meta.goals[Number(gsel.value)].id;
      var keep = new Set([id]);
      (adjacency[id] || []).forEach(function (k) { keep.add(k); });
      // keep the outline above what is kept, so the goal stays in context
      Array.from(keep).forEach(function (k) {
        ((byId[k] || {}).g || []).forEach(function (gi) { keep.add(meta.groups[gi].node); });
      });
      state.goal = keep;
      refresh();
    });

    // Search: the name as typed first, then names that start with it, then the shortest names;
    // the first is shown, the others listed beside the box; Enter moves to the next.
    var search = document.getElementById("kg-search");
    var status = document.getElementById("kg-search-status");
    var choices = document.getElementById("kg-search-list");
    var matches = [], cursor = 0;
    function rankOf(n, q) {
      var name = (n.name || "").toLowerCase();
      return [name === q ? 0 : name.indexOf(q) === 0 ? 1 : (n.path || "").toLowerCase() === q ? 1 : 2, name.length, -(n.dg || 0)];
    }
    function runSearch() {
      var q = search.value.trim().toLowerCase();
      matches = [];
      cursor = 0;
      choices.textContent = "";
      choices.hidden = true;
      if (!q) { status.textContent = ""; status.removeAttribute("data-matches"); network.unselectAll(); return; }
      var found = [], hidden = 0;
      payload.nodes.forEach(function (n) {
        if ((n.name || "").toLowerCase().indexOf(q) < 0 && (n.path || "").toLowerCase() !== q) return;
        if (visible(n)) found.push([rankOf(n, q), n]); else hidden++;
      });
      found.sort(function (a, b) {
        return a[0][0] - b[0][0] || a[0][1] - b[0][1] || a[0][2] - b[0][2] || byNumber(a[1].id, b[1].id);
      });
      matches = found.map(function (f) { return f[1].id; });
      status.textContent = matches.length + " 个匹配 matches" + (hidden ? " (+" + hidden + " 已隐藏 hidden by filters)" : "") +
        (meta.banner ? " · 此页只有目录 outline only (see above)" : "");
      status.setAttribute("data-matches", String(matches.length));
      found.slice(0, 12).forEach(function (f, i) {
        var li = document.createElement("li");
        li.textContent = f[1].name;
        var ty = document.createElement("span"); ty.className = "kg-n"; ty.textContent = T[f[1].t].name;
        li.appendChild(ty);
        li.setAttribute("data-id", String(f[1].id));
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); cursor = i; focusOn(f[1].id); });
        choices.appendChild(li);
      });
      choices.hidden = found.length < 2;
      if (matches.length) {
        network.selectNodes(matches);
        focusOn(matches[0]);
      } else {
        network.unselectAll();
      }
    }
    function focusOn(id) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
      declutter();
      showInfo(id);
      Array.prototype.forEach.call(choices.children, function (li) {
        li.classList.toggle("kg-current", li.getAttribute("data-id") === String(id));
      });
    }
    var timer = null;
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(runSearch, 150); });
    search.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter") return;
      clearTimeout(timer);
      if (!matches.length || search.getAttribute("data-q") !== search.value) {
        search.setAttribute("data-q", search.value);
        runSearch();
      } else {
        cursor = (cursor + 1) % matches.length;
        focusOn(matches[cursor]);
      }
    });
    page.search = function (q) { search.value = q; search.setAttribute("data-q", q); runSearch(); return matches.slice(); };

    // Neighbourhood highlight: everything else fades; a background click restores.
    var dimmed = false;
    function highlight(id) {
      var near = new Set(network.getConnectedNodes(id));
      near.add(id);
      var upd = [];
      nodes.forEach(function (n) {
        var c = near.has(n.id) ? colourOf[n.id] : "rgba(200,200,200,0.35)";
        var fc = near.has(n.id) ? "#222" : "rgba(0,0,0,0.2)";
        if (n.color !== c) {
          fontColour[n.id] = fc;
          var u = setFont(n.id, fontSize[n.id] || payload.options.nodes.font.size, fc);
          u.color = c;
          upd.push(u);
        }
      });
      nodes.update(upd);
      dimmed = true;
      page.highlighted = Array.from(near);
      declutter();
    }
    function unhighlight() {
      if (!dimmed) return;
      var upd = [];
      nodes.forEach(function (n) {
        if (n.color === colourOf[n.id]) return;
        fontColour[n.id] = "#222";
        var u = setFont(n.id, fontSize[n.id] || payload.options.nodes.font.size, "#222");
        u.color = colourOf[n.id];
        upd.push(u);
      });
      nodes.update(upd);
      dimmed = false;
      page.highlighted = null;
      declutter();
    }
    page.highlight = highlight;

    // Details panel: type, section path, evidence, what is folded into a section or goal, IRI
    // (text only, never HTML from data).
    var info = document.getElementById("kg-info"), body = document.getElementById("kg-info-body");
    var folded = {};  // outline node or goal -> the folded nodes that hang from it
    payload.nodes.forEach(function (n) {
      if (!T[n.t].off) return;
      if (n.h !== undefined) (folded[n.h] = folded[n.h] || []).push(n);
      (adjacency[n.id] || []).forEach(function (o) {
        if (byId[o] && T[byId[o].t].name === "Goal" && o !== n.h) (folded[o] = folded[o] || []).push(n);
      });
    });
    function row(dl, k, v) {
      var dt = document.createElement("dt"); dt.textContent = k; dl.appendChild(dt);
      var dd = document.createElement("dd");
      if (v instanceof Node) dd.appendChild(v); else dd.textContent = v;
      dl.appendChild(dd);
    }
    function listOf(items, max) {
      var ulist = document.createElement("ul");
      ulist.className = "kg-list";
      items.slice(0, max).forEach(function (n) {
        var li = document.createElement("li"); li.textContent = n.name; ulist.appendChild(li);
      });
      if (items.length > max) {
        var li = document.createElement("li"); li.textContent = "(+" + (items.length - max) + " more)"; ulist.appendChild(li);
      }
      return ulist;
    }
    // Where `kg serve OUT` answers for a node's IRI: this page's own server when it served the
    // page, else the default address of kg serve.
    var serveBase = /^https?:$/.test(location.protocol) ? location.origin : (meta.serve || "http://127.0.0.1:8000");
    function serveLink(iri) {
      var at = iri.indexOf("/id/");
      if (at < 0) return null;
      var a = document.createElement("a");
      a.href = serveBase + iri.slice(at);
      a.textContent = iri;
      a.title = "kg serve OUT, then open this link";
      a.target = "_blank"; a.rel = "noopener";
      return a;
    }
    function mentionQuote(m) {  // [sentence index, start, end, section path]: the sentence, the mention marked
      var q = document.createElement("blockquote"), text = S[m[0]];
      if (m[3]) { var tag = document.createElement("span"); tag.className = "kg-path"; tag.textContent = m[3]; q.appendChild(tag); }
      q.appendChild(document.createTextNode(text.slice(0, m[1])));
      var mark = document.createElement("mark"); mark.textContent = text.slice(m[1], m[2]); q.appendChild(mark);
      q.appendChild(document.createTextNode(text.slice(m[2])));
      return q;
    }
    function related(id) {  // neighbouring entities, by type
      var groups = {};
      (adjacency[id] || []).forEach(function (o) {
        var m = byId[o];
        if (!m || m.id === id || T[m.t].family !== "entity") return;
        var k = T[m.t].name;
        groups[k] = groups[k] || [];
        if (groups[k].indexOf(m) < 0) groups[k].push(m);
      });
      return groups;
    }
    function entityLink(m) {
      var a = document.createElement("a");
      a.href = "#"; a.textContent = m.name;
      a.addEventListener("click", function (ev) { ev.preventDefault(); if (visible(m)) { network.selectNodes([m.id]); focusOn(m.id); } else showInfo(m.id); });
      return a;
    }
    function showInfo(id) {
      var n = nodes.get(id);
      if (!n) return;
      n.ev = n.ev || [];
      body.textContent = "";
      var h = document.createElement("h3"); h.textContent = n.name; body.appendChild(h);
      var dl = document.createElement("dl");
      var fam = n.t !== undefined ? T[n.t].family : "cluster";
      row(dl, "类型 type", n.t !== undefined ? meta.types[n.t].name : "cluster");
      if (n.path) row(dl, "章节 section", n.path);
      if (n.al && n.al.length) row(dl, "别名 also called", n.al.join("、"));
      if (n.code) row(dl, "行政区划代码 admin code", n.code + (n.lv ? " (" + n.lv + ")" : ""));
      if (fam === "entity" && n.mn) {
        var box = document.createElement("div"); box.className = "kg-mentions";
        n.mn.forEach(function (m) { box.appendChild(mentionQuote(m)); });
        if (n.mnn) { var more = document.createElement("div"); more.textContent = "(+" + n.mnn + " more)"; box.appendChild(more); }
        row(dl, "提及 mentions (" + (n.mn.length + (n.mnn || 0)) + ")", box);
        var rel = related(id);
        Object.keys(rel).sort().forEach(function (k) {
          var span = document.createElement("span");
          rel[k].forEach(function (m, i) { if (i) span.appendChild(document.createTextNode("、")); span.appendChild(entityLink(m)); });
          row(dl, "相关 related " + k, span);
        });
      } else {
        n.ev.forEach(function (i) {
          var q = document.createElement("blockquote"); q.textContent = S[i]; row(dl, "证据 evidence", q);
        });
        if (n.evn) row(dl, "", "(+" + n.evn + " more)");
      }
      var inside = folded[id] || [];
      var targets = inside.filter(function (m) { return /Target$/.test(T[m.t].name); });
      var results = inside.filter(function (m) { return T[m.t].name === "Observation"; });
      if (targets.length) row(dl, "目标 targets (" + targets.length + ")", listOf(targets, 30));
      if (results.length) row(dl, "结果 results (" + results.length + ")", listOf(results, 30));
      if (n.iri) row(dl, "IRI", serveLink(n.iri) || n.iri);
      body.appendChild(dl);
      info.hidden = false;
    }
    page.showInfo = showInfo;
    document.getElementById("kg-info-close").addEventListener("click", function () { info.hidden = true; });

    network.on("click", function (p) {
      if (p.nodes.length && isCluster(p.nodes[0])) return;
      if (p.nodes.length) { highlight(p.nodes[0]); showInfo(p.nodes[0]); }
      else { unhighlight(); }
    });
    document.getElementById("kg-fit").addEventListener("click", function () { network.fit({ animation: false }); declutter(); });

    // Promises vs results: each target beside the result a later report of the same issuer
    // states, both in the target's unit; sortable by any column, filtered by report, section, indicator.
    var PR = meta.promises || [];
    var pbtn = document.getElementById("kg-promises-button"), pview = document.getElementById("kg-promises");
    var COLS = [
      ["report", "报告 report"], ["section", "章节 section"], ["indicator", "指标 indicator"], ["year", "年 year"],
      ["target", "目标 target (as written)"], ["result", "结果 result (as written)"],
      ["target_in_unit", "目标 target", true], ["result_in_unit", "结果 result", true], ["unit", "单位 unit"],
      ["met", "达成 met"]
    ];
    var psort = { key: null, dir: 1 };
    function promiseCells(r) {
      var cmp = { ge: "≥", gt: ">", le: "≤", lt: "<", approx: "≈", range: "", eq: "" };
      return {
        report: r.report, section: r.section, indicator: r.indicator + (r.measure === "growth" ? " (增速 growth)" : ""),
        year: r.year, target: (cmp[r.comparator] || "") + r.target + r.target_unit,
        result: r.result ? r.result + r.result_unit + " (" + r.result_report + ")" : "",
        target_in_unit: r.target_in_unit, result_in_unit: r.result_in_unit, unit: r.result ? r.unit : "",
        met: r.met === "yes" ? "是 yes" : r.met === "no" ? "否 no" : ""
      };
    }
    function drawPromises() {
      var rep = document.getElementById("kg-p-report").value;
      var sec = document.getElementById("kg-p-section").value.trim();
      var ind = document.getElementById("kg-p-indicator").value.trim();
      var only = document.getElementById("kg-p-matched").checked;
      var rows = PR.filter(function (r) {
        return (!rep || r.report === rep) && (!sec || r.section.indexOf(sec) === 0) &&
          (!ind || r.indicator.indexOf(ind) >= 0) && (!only || r.result);
      });
      if (psort.key) {
        var k = psort.key, numeric = COLS.some(function (c) { return c[0] === k && c[2]; }) || k === "year";
        rows = rows.slice().sort(function (a, b) {
          var x = a[k], y = b[k];
          if (numeric) { x = x === "" ? -Infinity : Number(x); y = y === "" ? -Infinity : Number(y); }
          return (x < y ? -1 : x > y ? 1 : 0) * psort.dir;
        });
      }
      var tb = pview.querySelector("tbody");
      tb.textContent = "";
      rows.forEach(function (r) {
        var tr = document.createElement("tr"), c = promiseCells(r);
        tr.className = r.met ? "kg-met-" + r.met : "";
        COLS.forEach(function (col) {
          var td = document.createElement("td");
          td.textContent = c[col[0]];
          if (col[2]) td.className = "kg-num";
          if (col[0] === "met") td.className = "kg-met";
          if (col[0] === "target") td.title = r.target_text;
          if (col[0] === "result") td.title = r.result_text;
          tr.appendChild(td);
        });
        tb.appendChild(tr);
      });
      document.getElementById("kg-p-count").textContent = rows.length + " / " + PR.length + " 目标 targets";
      page.promiseRows = rows.length;
    }
    if (PR.length) {
      pbtn.hidden = false;
      var head = pview.querySelector("thead tr");
      COLS.forEach(function (col) {
        var th = document.createElement("th");
        th.textContent = col[1]; th.setAttribute("data-key", col[0]);
        th.addEventListener("click", function () {
          psort.dir = psort.key === col[0] ? -psort.dir : 1;
          psort.key = col[0];
          head.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", psort.dir > 0 ? "ascending" : "descending");
          drawPromises();
        });
        head.appendChild(th);
      });
      var rsel = document.getElementById("kg-p-report");
      Array.from(new Set(PR.map(function (r) { return r.report; }))).sort().forEach(function (r) {
        var o = document.createElement("option"); o.value = r; o.textContent = r; rsel.appendChild(o);
      });
      if (!PR.some(function (r) { return r.result; })) document.getElementById("kg-p-matched").checked = false;
      ["kg-p-report", "kg-p-section", "kg-p-indicator", "kg-p-matched"].forEach(function (id) {
        document.getElementById(id).addEventListener(id === "kg-p-report" || id === "kg-p-matched" ? "change" : "input", drawPromises);
      });
      pbtn.addEventListener("click", function () {
        var open = pview.hidden;
        pview.hidden = !open;
        container.hidden = open;
        pbtn.setAttribute("aria-pressed", String(open));
        if (open) drawPromises(); else { network.redraw(); }
      });
    }
    page.showPromises = function () { if (pview.hidden) pbtn.click(); };

    // A page that leaves things out says so, and how to draw them.
    if (meta.banner) {
      var bn = document.getElementById("kg-banner");
      bn.textContent = meta.banner;
      bn.hidden = false;
    }

    updateCount();
    if (meta.focus !== null && meta.focus !== undefined) {
      network.once("afterDrawing", function () { network.selectNodes([meta.focus]); highlight(meta.focus); showInfo(meta.focus); });
    }
  }
})();
