"""The HTML, style and script of the pages (backward pass, training run): all inline, so a
page needs no network. Templates are filled with str.format: {title}, {data}, ...
"""

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 12px 16px; color: #222; background: #fff; }
h1 { font-size: 1.15em; margin: 0 0 8px; }
h2 { font-size: 1em; margin: 14px 0 4px; }
.controls { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
button, select { font: inherit; padding: 2px 10px; }
input[type=range] { flex: 1; min-width: 160px; }
.where { font-variant-numeric: tabular-nums; min-width: 7em; }
.chain { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px;
         background: #f7f7f7; border-left: 4px solid #f0c419; padding: 6px 10px;
         min-height: 5.8em; }
.chain pre { margin: 0; white-space: pre-wrap; font: inherit; }
.chain .head { font-weight: bold; }
.graph svg { max-width: 100%; height: auto; }
.graph { overflow: auto; }
.current polygon, .current ellipse { fill: #fff3b0; }
.edge.waiting path { stroke: #c8c8c8; stroke-dasharray: 2 3; stroke-width: 1; }
.edge.waiting polygon { fill: #c8c8c8; stroke: #c8c8c8; }
.edge.waiting text { visibility: hidden; }
text.notyet { fill: #999; font-style: italic; }
.legend { font-size: 12px; color: #444; margin: 4px 0; }
.key { margin-left: 10px; white-space: nowrap; }
.key svg { vertical-align: middle; margin-right: 3px; }
.note { color: #7a4d00; background: #fff7e6; padding: 4px 8px; margin: 4px 0; }
.note:empty { display: none; }
.info { position: fixed; right: 12px; bottom: 12px; max-width: 380px; background: #fffdf2;
        border: 1px solid #e0d9b0; padding: 8px 10px; font-size: 13px;
        box-shadow: 0 2px 6px rgba(0, 0, 0, .15); }
.info pre { margin: 2px 0; font-size: 12px; white-space: pre-wrap; }
table.numbers { border-collapse: collapse; }
table.numbers td, table.numbers th { padding: 2px 10px; text-align: left;
    font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
table.numbers tr:nth-child(even) { background: #f6f6f6; }
canvas { border: 1px solid #ddd; background: #fff; }
.charts { display: flex; flex-wrap: wrap; gap: 14px; }
.chart figcaption { font-size: 12px; color: #444; }
"""

BACKWARD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style></head>
<body>
<h1>{title}</h1>
<div class="controls" role="toolbar" aria-label="step through the backward pass">
<button id="back" aria-label="back" title="back (left arrow)">&#9664; back</button>
<button id="play" aria-label="play" title="play or pause (space)">&#9654; play</button>
<button id="next" aria-label="next" title="next (right arrow)">next &#9654;</button>
<input id="slider" type="range" min="0" max="{total}" value="0" aria-label="step">
<span id="where" class="where">step 0 / {total}</span>
<label>speed <select id="speed" aria-label="speed">
<option value="1600">slow</option><option value="800" selected>normal</option>
<option value="350">fast</option><option value="120">fastest</option></select></label>
<button id="expand" aria-label="expand" hidden>expand</button>
</div>
<div class="chain" aria-live="polite"><pre id="chain"></pre></div>
<main id="views">{views}</main>
<aside id="info" class="info" hidden></aside>
<h2>gradients of the inputs</h2>
<table id="grads" class="numbers"></table>
<script type="application/json" id="data">{data}</script>
<script>{script}</script>
</body></html>
"""

BACKWARD_SCRIPT = r"""
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const steps = data.steps, total = steps.length;
  const $ = (id) => document.getElementById(id);
  const grad = Object.assign({}, data.initial);  // node -> its gradient so far, as text
  let position = 0, shown = 0, timer = null, hovered = null;
  for (const t of document.querySelectorAll("#views svg title")) t.remove();

  const views = data.views.map((v) => {
    const texts = {}, units = {}, owner = new Map();
    for (const [node, pair] of Object.entries(v.grads)) {
      const group = document.getElementById(pair[0]);
      if (!group) continue;
      const cells = Array.from(group.querySelectorAll("text"))
        .filter((t) => t.textContent.startsWith("grad "));
      if (cells[pair[1]]) texts[node] = cells[pair[1]];
    }
    for (const [node, ids] of Object.entries(v.units)) {
      units[node] = ids.map((id) => document.getElementById(id)).filter(Boolean);
      for (const el of units[node]) {
        if (!owner.has(el)) owner.set(el, []);
        owner.get(el).push(Number(node));
      }
    }
    const edges = v.edges.map((e) => [document.getElementById(e[0]), e[1]]);
    const section = document.querySelector('section[data-key="' + v.key + '"]');
    return { texts, units, owner, edges: edges.filter((e) => e[0]), section, title: v.title };
  });

  const table = $("grads");
  table.innerHTML = "<tr><th>input</th><th>data</th><th>grad</th></tr>";
  const rows = {};
  for (const node of data.listed) {
    const row = table.insertRow();
    row.insertCell().textContent = data.nodes[node].name;
    row.insertCell().textContent = data.nodes[node].data;
    rows[node] = row.insertCell();
    rows[node].dataset.node = node;
  }

  function move(to) {
    to = Math.max(0, Math.min(total, to));
    while (position < to) {
      for (const m of steps[position].moves) grad[m[0]] = m[2];
      position += 1;
    }
    while (position > to) {
      position -= 1;
      const moves = steps[position].moves;
      for (let k = moves.length - 1; k >= 0; k -= 1) {
        if (moves[k][1] === "?") delete grad[moves[k][0]];
        else grad[moves[k][0]] = moves[k][1];
      }
    }
    render();
  }

  function current() {
    return position ? steps[position - 1].node : data.root;
  }

  function render() {
    const v = views[shown];
    for (const [node, text] of Object.entries(v.texts)) {
      const known = node in grad;
      const wanted = "grad " + (known ? grad[node] : "?");
      if (text.textContent !== wanted) text.textContent = wanted;
      text.classList.toggle("notyet", !known);
    }
    for (const [edge, at] of v.edges) edge.classList.toggle("waiting", at > position);
    for (const el of document.querySelectorAll(".current")) el.classList.remove("current");
    for (const el of v.units[current()] || []) el.classList.add("current");
    for (const [node, cell] of Object.entries(rows)) {
      cell.textContent = node in grad ? grad[node] : "? (not yet)";
    }
    $("chain").innerHTML = "";
    const lines = position ? steps[position - 1].lines : [data.start];
    lines.forEach((line, k) => {
      const span = document.createElement("span");
      span.textContent = line + "\n";
      if (k === 0) span.className = "head";
      $("chain").appendChild(span);
    });
    $("slider").value = String(position);
    $("where").textContent = "step " + position + " / " + total;
    $("back").disabled = position === 0;
    $("next").disabled = position === total;
    if (hovered !== null) describe(hovered);
  }

  function describe(nodes) {
    hovered = nodes;
    const info = $("info");
    info.innerHTML = "";
    const add = (tag, text) => {
      const el = document.createElement(tag);
      el.textContent = text;
      info.appendChild(el);
    };
    for (const node of nodes.slice(0, 4)) {
      const d = data.nodes[node];
      add("b", d.name);
      add("div", d.op ? "op " + d.op + ": " + d.name + " = " + d.formula : "a leaf (an input)");
      add("div", "data " + d.data + ", grad " + (node in grad ? grad[node] : "? not yet"));
      if (d.rule && d.rule.length) add("pre", "rule: " + d.rule.join("\n      "));
    }
    if (nodes.length > 4) add("div", "… and " + (nodes.length - 4) + " more nodes in this box");
    info.hidden = false;
  }

  $("views").addEventListener("mouseover", (event) => {
    const group = event.target.closest("g.node");
    const nodes = group && views[shown].owner.get(group);
    if (nodes) describe(nodes);
  });
  $("views").addEventListener("mouseleave", () => {
    hovered = null;
    $("info").hidden = true;
  });

  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    $("play").innerHTML = "&#9654; play";
    $("play").setAttribute("aria-label", "play");
  }
  function play() {
    if (timer !== null) return stop();
    if (position === total) move(0);
    $("play").innerHTML = "&#10074;&#10074; pause";
    $("play").setAttribute("aria-label", "pause");
    timer = setInterval(() => {
      if (position >= total) stop();
      else move(position + 1);
    }, Number($("speed").value));
  }

  $("next").addEventListener("click", () => move(position + 1));
  $("back").addEventListener("click", () => move(position - 1));
  $("play").addEventListener("click", play);
  $("speed").addEventListener("change", () => {
    if (timer !== null) { stop(); play(); }
  });
  $("slider").addEventListener("input", () => move(Number($("slider").value)));
  document.addEventListener("keydown", (event) => {
    const tag = event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    const keys = {
      ArrowRight: () => move(position + 1), ArrowLeft: () => move(position - 1),
      Home: () => move(0), End: () => move(total),
    };
    if (event.key === " " && tag !== "BUTTON") keys[" "] = play;
    if (keys[event.key]) {
      event.preventDefault();
      keys[event.key]();
    }
  });

  const expand = $("expand");
  if (views.length > 1) {
    expand.hidden = false;
    expand.addEventListener("click", () => {
      views[shown].section.hidden = true;
      shown = 1 - shown;
      views[shown].section.hidden = false;
      const label = shown === 0 ? "expand" : "collapse";
      expand.textContent = label;
      expand.setAttribute("aria-label", label);
      render();
    });
  }
  move(data.position);
})();
"""
