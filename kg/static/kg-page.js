/* govreport-kg graph page: filters, search, neighbourhood highlight, details panel.
   Reads the graph from <script id="kg-data">; uses only the embedded vis-network. */
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
    var colourOf = {};
    // a node's own colour, shape and title (given to pyvis's add_node) win over its type's
    payload.nodes.forEach(function (n) {
      var ty = T[n.t];
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
    var nodes = new vis.DataSet(payload.nodes);
    var edges = new vis.DataSet(payload.edges);

    var state = { types: new Set(meta.types.map(function (_, i) { return i; })), group: -1, goal: null,
                  derived: !!meta.derivedShown, collapsed: false, open: new Set() };
    // a cluster shows only while its section passes the section/goal filters
    function clusterHasVisible(k) {
      var grp = meta.groups[k];
      if (state.group >= 0 && state.group !== k && !(nodes.get(grp.node).g || []).includes(state.group)) return false;
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
    var nodeView = new vis.DataView(nodes, { filter: visible });
    var edgeView = new vis.DataView(edges, { filter: function (e) { return state.derived || !e.d; } });
    var container = document.getElementById("kg-graph");
    var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, payload.options);

    var page = {
      network: network, nodes: nodes, edges: edges, nodeView: nodeView, meta: meta,
      firstPaintMs: null, stabilized: !meta.physics,
      drawnNodeCount: function () { return network.body.nodeIndices.length; },
      drawnEdgeCount: function () { return network.body.edgeIndices.length; },
      totalNodeCount: function () { return payload.nodes.length; }
    };
    window.kgPage = page;

    page.scriptStartMs = t0;  // ms since navigation start, like firstPaintMs
    network.once("afterDrawing", function () {
      page.firstPaintMs = performance.now();
      document.body.setAttribute("data-ready", "1");
    });
    if (meta.physics) {
      // settle, then stop: physics off at the first "stabilized" event or after physicsMaxMs
      var stopPhysics = function () {
        if (page.stabilized) return;
        network.setOptions({ physics: { enabled: false } });
        network.fit({ animation: false });
        page.stabilized = true;
        document.body.setAttribute("data-stable", "1");
      };
      network.once("stabilized", stopPhysics);
      setTimeout(stopPhysics, meta.physicsMaxMs || 4000);
    } else {
      document.body.setAttribute("data-stable", "1");
    }

    function updateCount() {
      document.getElementById("kg-count").textContent =
        nodeView.length + " / " + payload.nodes.length + " 节点 nodes" + (state.collapsed ? " (" + clusterCount + " clusters)" : "");
    }
    function refresh() { nodeView.refresh(); updateCount(); }

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
      nodeView.refresh(); updateCount();
    });
    network.on("doubleClick", function (p) {
      var id = p.nodes.length ? p.nodes[0] : null;
      if (id !== null && isCluster(id)) {
        state.open.add(nodes.get(id).cl);
        nodeView.refresh(); updateCount();
      }
    });
    page.collapse = function () { collapseAll(); nodeView.refresh(); updateCount(); };
    page.expand = function () { expandAll(); nodeView.refresh(); updateCount(); };

    // Legend doubles as the type filter.
    var ul = document.getElementById("kg-types");
    meta.types.forEach(function (t, i) {
      var li = document.createElement("li");
      var box = document.createElement("input");
      box.type = "checkbox"; box.checked = true; box.value = String(i);
      box.setAttribute("data-type", t.name);
      box.id = "kg-type-" + i;
      var sw = document.createElement("span");
      sw.className = "kg-sw " + t.shape; sw.style.background = t.color;
      var lab = document.createElement("label");
      lab.htmlFor = box.id; lab.textContent = t.name;
      var n = document.createElement("span");
      n.className = "kg-n"; n.textContent = String(t.count);
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
      network.fit({ animation: false });
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
      edges.forEach(function (e) {
        if (e.from === id) keep.add(e.to);
        if (e.to === id) keep.add(e.from);
      });
      // keep the outline above what is kept, so the goal stays in context
      Array.from(keep).forEach(function (k) {
        (nodes.get(k).g || []).forEach(function (gi) { keep.add(meta.groups[gi].node); });
      });
      state.goal = keep;
      refresh();
      network.fit({ animation: false });
    });

    // Search: substring of the full name; Enter moves to the next match.
    var search = document.getElementById("kg-search");
    var status = document.getElementById("kg-search-status");
    var matches = [], cursor = 0;
    function runSearch() {
      var q = search.value.trim().toLowerCase();
      matches = [];
      cursor = 0;
      if (!q) { status.textContent = ""; network.unselectAll(); return; }
      nodeView.forEach(function (n) {
        if ((n.name || "").toLowerCase().indexOf(q) >= 0 || (n.path || "").toLowerCase() === q) matches.push(n.id);
      });
      status.textContent = matches.length + " 个匹配 matches";
      status.setAttribute("data-matches", String(matches.length));
      if (matches.length) {
        network.selectNodes(matches);
        focusOn(matches[0]);
      } else {
        network.unselectAll();
      }
    }
    function focusOn(id) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
      showInfo(id);
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
        if (n.color !== c) upd.push({ id: n.id, color: c, font: { color: near.has(n.id) ? "#222" : "rgba(0,0,0,0.2)" } });
      });
      nodes.update(upd);
      dimmed = true;
      page.highlighted = Array.from(near);
    }
    function unhighlight() {
      if (!dimmed) return;
      var upd = [];
      nodes.forEach(function (n) { if (n.color !== colourOf[n.id]) upd.push({ id: n.id, color: colourOf[n.id], font: { color: "#222" } }); });
      nodes.update(upd);
      dimmed = false;
      page.highlighted = null;
    }
    page.highlight = highlight;

    // Details panel: type, section path, evidence, IRI (text only, never HTML from data).
    var info = document.getElementById("kg-info"), body = document.getElementById("kg-info-body");
    function row(dl, k, v) {
      var dt = document.createElement("dt"); dt.textContent = k; dl.appendChild(dt);
      var dd = document.createElement("dd");
      if (v instanceof Node) dd.appendChild(v); else dd.textContent = v;
      dl.appendChild(dd);
    }
    function showInfo(id) {
      var n = nodes.get(id);
      if (!n) return;
      n.ev = n.ev || [];
      body.textContent = "";
      var h = document.createElement("h3"); h.textContent = n.name; body.appendChild(h);
      var dl = document.createElement("dl");
      row(dl, "类型 type", meta.types[n.t].name);
      if (n.path) row(dl, "章节 section", n.path);
      n.ev.forEach(function (i) {
        var q = document.createElement("blockquote"); q.textContent = S[i]; row(dl, "证据 evidence", q);
      });
      if (n.evn) row(dl, "", "(+" + n.evn + " more)");
      if (n.iri) row(dl, "IRI", n.iri);
      body.appendChild(dl);
      info.hidden = false;
    }
    document.getElementById("kg-info-close").addEventListener("click", function () { info.hidden = true; });

    network.on("click", function (p) {
      if (p.nodes.length && isCluster(p.nodes[0])) return;
      if (p.nodes.length) { highlight(p.nodes[0]); showInfo(p.nodes[0]); }
      else { unhighlight(); }
    });
    document.getElementById("kg-fit").addEventListener("click", function () { network.fit({ animation: false }); });

    updateCount();
    if (meta.focus !== null && meta.focus !== undefined) {
      network.once("afterDrawing", function () { network.selectNodes([meta.focus]); highlight(meta.focus); showInfo(meta.focus); });
    }
  }
})();
