"""The HTML, style and script of the pages (backward pass, training run): all inline, so a
page needs no network. Templates are filled with str.format: {title}, {data}, ...
"""

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 12px 16px; color: #222; background: #fff; }
h1 { font-size: 1.15em; margin: 0 0 8px; }
h2 { font-size: 1em; margin: 14px 0 4px; }
body > pre { white-space: pre-wrap; }  /* a training run's description: wrap, never scroll */
.top { position: sticky; top: 0; background: #fff; z-index: 1; padding-bottom: 4px; }
.controls { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
button, select { font: inherit; padding: 2px 10px; }
input[type=range] { flex: 1; min-width: 160px; }
.where { font-variant-numeric: tabular-nums; min-width: 7em; }
.chain { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px;
         background: #f7f7f7; border-left: 4px solid #f0c419; padding: 6px 10px;
         min-height: 5.8em; }
.chain pre { margin: 0; white-space: pre-wrap; font: inherit; }
.chain .head { font-weight: bold; }
.graph svg { height: auto; }
.graph { overflow: auto; }
.current polygon, .current ellipse, .current path { fill: #fff3b0; }
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

HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style></head>
<body>
<h1>{title}</h1>
"""

BACKWARD = (
    HEAD
    + """<div class="top">
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
</div>
<main id="views">{views}</main>
<aside id="info" class="info" hidden></aside>
<h2>gradients of the inputs</h2>
<table id="grads" class="numbers"></table>
<script type="application/json" id="data">{data}</script>
<script>{script}</script>
</body></html>
"""
)

# A play/pause button: `begin()` before playing, `advance()` each tick (false: the end).
PLAYER = r"""
"use strict";
function makePlayer(button, begin, advance, delay) {
  let timer = null;
  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    button.innerHTML = "&#9654; play";
    button.setAttribute("aria-label", "play");
  }
  function toggle() {
    if (timer !== null) return stop();
    begin();
    button.innerHTML = "&#10074;&#10074; pause";
    button.setAttribute("aria-label", "pause");
    timer = setInterval(() => {
      if (!advance()) stop();
    }, delay());
  }
  return { toggle, playing: () => timer !== null };
}
"""

# What both training pages share: bytes from base64, the snapshot at an epoch, the play
# button and slider, and the line chart.
TRAINING_SHARED = r"""
const $ = (id) => document.getElementById(id);

// The run's data, its kept epochs, and the epoch slider set to span them.
function loadRun() {
  const data = JSON.parse($("data").textContent);
  const epochs = data.curve.epoch, slider = $("slider");
  slider.max = String(epochs.length - 1);
  return { data, epochs, count: epochs.length, slider };
}

function decode(text) {
  const raw = atob(text), out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += 1) out[i] = raw.charCodeAt(i);
  return out;
}

// The snapshot kept at `epoch`, or the last one before it.
function shotAt(shots, epoch) {
  let chosen = shots[0];
  for (const s of shots) if (s.epoch <= epoch) chosen = s;
  return chosen;
}

// The play button, the epoch slider and the space key, over `count` kept epochs.
function playback(count, get, set, render, delay) {
  const by = Math.max(1, Math.round(count / 150));  // about 150 frames from start to end
  const slider = document.getElementById("slider"), button = document.getElementById("play");
  const play = makePlayer(button, () => {
    if (get() === count - 1) set(0);
  }, () => {
    set(Math.min(count - 1, get() + by));
    render();
    return get() < count - 1;
  }, () => delay).toggle;
  button.addEventListener("click", play);
  slider.addEventListener("input", () => { set(Number(slider.value)); render(); });
  document.addEventListener("keydown", (event) => {
    const tag = event.target.tagName;
    if (event.key === " " && tag !== "BUTTON" && tag !== "INPUT") {
      event.preventDefault();
      play();
    }
  });
}
// A line chart over the epochs: series [{name, values, colour, epochs?}] (values null
// where unknown), on a log scale or within `fixed` [lo, hi]; a dot and a line at the
// epoch `at`; every point dotted when there are few.
function drawChart(canvas, series, opts) {
  const ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height;
  const L = 52, R = 10, T = 10, B = 24;
  const log = opts.log, total = opts.total;
  const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
  const f = (v) => (log ? Math.log10(v) : v);
  const ok = (v) => v !== null && isFinite(v) && (!log || v > 0);
  let lo = Infinity, hi = -Infinity;
  for (const s of series) {
    for (const v of s.values) if (ok(v)) { lo = Math.min(lo, f(v)); hi = Math.max(hi, f(v)); }
  }
  if (opts.fixed) { lo = opts.fixed[0]; hi = opts.fixed[1]; }
  if (!isFinite(lo)) { lo = 0; hi = 1; }
  if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
  const span = Math.max(1, total - 1);
  const x = (e) => L + (W - L - R) * (e - 1) / span;
  const y = (v) => T + (H - T - B) * (1 - (f(v) - lo) / (hi - lo));
  ctx.clearRect(0, 0, W, H);
  ctx.font = "11px sans-serif";
  ctx.strokeStyle = "#999";
  ctx.beginPath(); ctx.moveTo(L, T); ctx.lineTo(L, H - B); ctx.lineTo(W - R, H - B); ctx.stroke();
  ctx.fillStyle = "#444";
  ctx.textAlign = "right";
  for (const t of [lo, (lo + hi) / 2, hi]) {
    const label = log ? Math.pow(10, t).toPrecision(2) : t.toFixed(2);
    ctx.fillText(label, L - 4, T + (H - T - B) * (1 - (t - lo) / (hi - lo)) + 4);
  }
  ctx.textAlign = "center";
  ctx.fillText("epoch 1", L + 16, H - 6);
  ctx.fillText(String(total), W - R - 12, H - 6);
  series.forEach((s, k) => {
    const epochs = s.epochs || opts.epochs;
    ctx.strokeStyle = s.colour || COLOURS[k % COLOURS.length];
    ctx.fillStyle = ctx.strokeStyle;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let down = false;
    s.values.forEach((v, i) => {
      if (!ok(v)) { down = false; return; }
      if (down) ctx.lineTo(x(epochs[i]), y(v)); else ctx.moveTo(x(epochs[i]), y(v));
      down = true;
    });
    ctx.stroke();
    if (epochs.length <= 30) {
      s.values.forEach((v, i) => {
        if (ok(v)) { ctx.beginPath(); ctx.arc(x(epochs[i]), y(v), 2, 0, 2 * Math.PI); ctx.fill(); }
      });
    }
    if (series.length > 1) {
      ctx.textAlign = "right";
      // A fixed range is accuracy: its curves end at the top, so the names go below.
      const row = opts.fixed ? H - B - 8 - 13 * (series.length - 1 - k) : T + 12 + 13 * k;
      ctx.fillText(s.name, W - R - 2, row);
    }
    const i = epochs.lastIndexOf(opts.at);
    if (i >= 0 && ok(s.values[i])) {
      ctx.beginPath(); ctx.arc(x(epochs[i]), y(s.values[i]), 3.5, 0, 2 * Math.PI); ctx.fill();
    }
  });
  ctx.strokeStyle = "rgba(0,0,0,0.35)";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(x(opts.at), T); ctx.lineTo(x(opts.at), H - B); ctx.stroke();
}
"""

BACKWARD_SCRIPT = (
    PLAYER
    + r"""
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const steps = data.steps, total = steps.length;
  const $ = (id) => document.getElementById(id);
  const grad = Object.assign({}, data.initial);  // node -> its gradient so far, as text
  let position = 0, shown = 0, hovered = null;

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
    const edges = v.edges.map((e) => [document.getElementById(e[0]), e[1]]).filter((e) => e[0]);
    const reached = {};  // step -> the edges gradient flows along from that step on
    for (const [edge, at] of edges) (reached[at] = reached[at] || []).push(edge);
    const section = document.querySelector('section[data-key="' + v.key + '"]');
    return { texts, units, owner, edges, reached, section, title: v.title };
  });

  // A drawing wider than the page shrinks to fit, but not below 60%: then it scrolls.
  const room = $("views").clientWidth;
  for (const svg of document.querySelectorAll(".graph svg")) {
    const natural = svg.width.baseVal.value;
    svg.style.width = Math.max(Math.min(natural, room), 0.6 * natural) + "px";
  }

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

  // Only what a move changes is touched: the moved nodes' texts, the edges reached in
  // between, the highlight. render() with no arguments redraws the whole view.
  function move(to) {
    to = Math.max(0, Math.min(total, to));
    const from = position, changed = new Set();
    while (position < to) {
      for (const m of steps[position].moves) {
        grad[m[0]] = m[2];
        changed.add(String(m[0]));
      }
      position += 1;
    }
    while (position > to) {
      position -= 1;
      const moves = steps[position].moves;
      for (let k = moves.length - 1; k >= 0; k -= 1) {
        if (moves[k][1] === "?") delete grad[moves[k][0]];
        else grad[moves[k][0]] = moves[k][1];
        changed.add(String(moves[k][0]));
      }
    }
    render(from, changed);
  }

  function current() {
    return position ? steps[position - 1].node : data.root;
  }

  let highlighted = [];
  function render(from, changed) {
    const v = views[shown];
    for (const node of changed || Object.keys(v.texts)) {
      const text = v.texts[node];
      const known = node in grad;
      if (text) {
        text.textContent = "grad " + (known ? grad[node] : "?");
        text.classList.toggle("notyet", !known);
      }
      if (rows[node]) rows[node].textContent = known ? grad[node] : "? (not yet)";
    }
    if (from === undefined) {
      for (const [edge, at] of v.edges) edge.classList.toggle("waiting", at > position);
      for (const [node, cell] of Object.entries(rows)) {
        cell.textContent = node in grad ? grad[node] : "? (not yet)";
      }
    } else {
      for (let s = Math.min(from, position) + 1; s <= Math.max(from, position); s += 1) {
        for (const edge of v.reached[s] || []) edge.classList.toggle("waiting", s > position);
      }
    }
    for (const el of highlighted) el.classList.remove("current");
    highlighted = v.units[current()] || [];
    for (const el of highlighted) el.classList.add("current");
    if (highlighted.length) keepInView(highlighted[0]);
    $("chain").innerHTML = "";
    const lines = position ? steps[position - 1].lines : [data.start];
    lines.forEach((line, k) => {
      const span = document.createElement("span");
      span.textContent = (k ? "\n" : "") + line;
      if (k === 0) span.className = "head";
      $("chain").appendChild(span);
    });
    $("slider").value = String(position);
    $("where").textContent = "step " + position + " / " + total;
    $("back").disabled = position === 0;
    $("next").disabled = position === total;
    if (hovered !== null) describe(hovered);
  }

  // In a large drawing, scroll so that the node being processed is on screen.
  function keepInView(el) {
    const box = el.getBoundingClientRect(), top = document.querySelector(".top");
    const above = top.getBoundingClientRect().bottom;
    if (box.top < above || box.bottom > innerHeight || box.left < 0 || box.right > innerWidth) {
      el.scrollIntoView({ block: "center", inline: "center" });
    }
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

  const player = makePlayer($("play"), () => {
    if (position === total) move(0);
  }, () => {
    move(position + 1);
    return position < total;
  }, () => Number($("speed").value));
  const play = player.toggle;

  $("next").addEventListener("click", () => move(position + 1));
  $("back").addEventListener("click", () => move(position - 1));
  $("play").addEventListener("click", play);
  $("speed").addEventListener("change", () => {
    if (player.playing()) { play(); play(); }
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
  render();
})();
"""
)

# The play button and epoch slider of a training page, and the end of every training page.
RUN_CONTROLS = """<div class="controls" role="toolbar" aria-label="play back the training run">
<button id="play" aria-label="play" title="play or pause (space)">&#9654; play</button>
<input id="slider" type="range" min="0" max="0" value="0" aria-label="epoch">
<span id="where" class="where"></span>
</div>
"""
RUN_END = """<p class="note">What this page keeps: {sampling}</p>
<script type="application/json" id="data">{data}</script>
<script>{script}</script>
</body></html>
"""

TRAINING = (
    HEAD
    + """<pre>{description}</pre>
"""
    + RUN_CONTROLS
    + """<div class="charts">
<figure class="chart"><canvas id="loss" width="430" height="230" role="img"
 aria-label="loss curve"></canvas><figcaption>loss (log scale)</figcaption></figure>
<figure class="chart"><canvas id="accuracy" width="430" height="230" role="img"
 aria-label="accuracy curve"></canvas><figcaption>training accuracy</figcaption></figure>
<figure class="chart"><canvas id="sizes" width="430" height="230" role="img"
 aria-label="gradient size per layer"></canvas><figcaption>size of the gradient reaching
 each layer's weights (root mean square of dL/dw, log scale)</figcaption></figure>
<figure class="chart" id="boundary-figure"><canvas id="boundary" width="300" height="300"
 role="img" aria-label="decision boundary"></canvas>
<figcaption id="boundary-caption"></figcaption></figure>
</div>
<h2>gradient flow of one sample</h2>
<p id="flow-caption"></p>
<div id="flows" class="graph">{drawings}</div>
"""
    + RUN_END
)

TRAINING_SCRIPT = (
    PLAYER
    + TRAINING_SHARED
    + r"""
(function () {
  const { data, epochs, count, slider } = loadRun();
  let index = count - 1;

  function chart(canvas, series, log, fixed) {
    drawChart(canvas, series, { log, fixed, epochs, total: data.epochs, at: epochs[index] });
  }

  const RGB = [[31, 119, 180], [214, 39, 40], [44, 160, 44], [148, 103, 189], [255, 127, 14]];
  function boundary(shot) {
    const canvas = $("boundary");
    if (!data.points.length || !shot || !shot.classes) {
      $("boundary-figure").hidden = true;
      return;
    }
    const G = data.grid, classes = decode(shot.classes), conf = decode(shot.confidence);
    const cells = document.createElement("canvas");
    cells.width = G; cells.height = G;
    const image = cells.getContext("2d").createImageData(G, G);
    for (let i = 0; i < G * G; i += 1) {
      const rgb = RGB[classes[i] % RGB.length];
      const alpha = 0.15 + 0.55 * Math.max(0, conf[i] / 255 - 0.5) * 2;
      for (let c = 0; c < 3; c += 1) {
        image.data[4 * i + c] = Math.round(255 - (255 - rgb[c]) * alpha);
      }
      image.data[4 * i + 3] = 255;
    }
    cells.getContext("2d").putImageData(image, 0, 0);
    const ctx = canvas.getContext("2d");
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(cells, 0, 0, canvas.width, canvas.height);
    const [x0, x1, y0, y1] = data.box;
    for (const [a, b, c] of data.points) {
      const px = (a - x0) / (x1 - x0) * canvas.width, py = (y1 - b) / (y1 - y0) * canvas.height;
      ctx.fillStyle = "rgb(" + RGB[c % RGB.length].join(",") + ")";
      ctx.strokeStyle = "#fff";
      ctx.beginPath(); ctx.arc(px, py, 4, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    }
    $("boundary-caption").textContent = "decision boundary after epoch " + shot.epoch;
  }

  function render() {
    const epoch = epochs[index];
    const loss = data.curve.loss[index], accuracy = data.curve.accuracy[index];
    $("where").textContent = "epoch " + epoch + " / " + data.epochs + ": loss " +
      (loss === null ? "nan" : loss.toPrecision(4)) + ", accuracy " +
      (accuracy === null ? "nan" : (100 * accuracy).toFixed(1) + "%");
    slider.value = String(index);
    chart($("loss"), [{ name: "loss", values: data.curve.loss, colour: "#333" }], true);
    chart($("accuracy"), [{ name: "accuracy", values: data.curve.accuracy, colour: "#2ca02c" }],
      false, [0, 1]);
    chart($("sizes"), Object.entries(data.sizes).map(([name, values]) => ({ name, values })),
      true);
    const shot = shotAt(data.shots, epoch);
    boundary(shot);
    let shown = null;
    for (const flow of document.querySelectorAll(".flow")) {
      flow.hidden = !shot || Number(flow.dataset.epoch) !== shot.epoch;
      if (!flow.hidden) shown = flow;
    }
    $("flow-caption").textContent = shown ? "sample " + (data.sample + 1) + ", after epoch " +
      shot.epoch +
      " (a drawing is kept at a few epochs only)" : "";
  }

  playback(count, () => index, (i) => { index = i; }, render, 50);
  render();
})();
"""
)

TASK_STYLE = """
.chart { max-width: 440px; margin: 8px 0; }
.samples { display: flex; flex-wrap: wrap; gap: 6px; max-width: 900px; }
.sample { margin: 0; text-align: center; font-size: 12px; border: 2px solid #ccc;
          padding: 2px; border-radius: 3px; }
.sample canvas { width: 48px; height: 48px; image-rendering: pixelated; border: none;
                display: block; }
.filter canvas { width: 60px; height: 60px; image-rendering: pixelated; display: block; }
.sample.right { border-color: #2ca02c; }
.sample.wrong { border-color: #d62728; background: #fdecea; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; }
.filter { margin: 0; text-align: center; font-size: 12px; }
table.sequences td { padding: 1px 2px; text-align: center; font-family: ui-monospace, Menlo,
                     Consolas, monospace; font-size: 12px; }
td.step { width: 16px; color: #fff; border-radius: 2px; }
td.plus { background: #1f77b4; }
td.minus { background: #ff7f0e; }
td.remembered { outline: 2px solid #222; }
td.verdict { text-align: left; padding-left: 10px; white-space: nowrap; }
td.verdict.right { color: #1a7f1a; }
td.verdict.wrong { color: #c62828; font-weight: bold; }
"""

TASK = (
    HEAD
    + """<pre>{description}</pre>
"""
    + RUN_CONTROLS
    + """<div class="charts">
<figure class="chart"><canvas id="loss" width="430" height="230" role="img"
 aria-label="loss curve"></canvas><figcaption>loss (mean cross-entropy over the epoch's
 mini-batches, log scale)</figcaption></figure>
<figure class="chart"><canvas id="accuracy" width="430" height="230" role="img"
 aria-label="accuracy curves"></canvas><figcaption>accuracy: training (predictions made
 during the epoch) and test (after the epoch, {test_samples} held-out samples)</figcaption>
</figure>
</div>
<h2 id="shown-title"></h2>
<p id="shown-caption"></p>
<div id="shown"></div>
<section id="mistakes-section" hidden>
<h2>test digits it gets wrong</h2>
<p id="mistakes-caption"></p>
<div id="mistakes"></div>
</section>
<section id="filters-section" hidden>
<h2>the first layer's filters</h2>
<p id="filters-caption"></p>
<div id="filters" class="filters"></div>
</section>
"""
    + RUN_END
)

TASK_SCRIPT = (
    PLAYER
    + TRAINING_SHARED
    + r"""
(function () {
  const { data, epochs, count, slider } = loadRun();
  const SHOWN = 40;  // digits shown in each grid
  const shotEpochs = data.shots.map((s) => s.epoch);
  let index = count - 1;

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function paint(canvas, width, height, colour) {
    const ctx = canvas.getContext("2d"), image = ctx.createImageData(width, height);
    for (let i = 0; i < width * height; i += 1) {
      const rgb = colour(i);
      for (let c = 0; c < 3; c += 1) image.data[4 * i + c] = rgb[c];
      image.data[4 * i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }

  // Build the shown samples once; render() only changes their verdicts (and the mistakes).
  const shown = data.shown, cells = [];
  if (data.kind === "images") {
    $("shown-title").textContent = "test digits and what the network says they are";
    const [, H, W] = shown.shape, pixels = decode(shown.images), grid = element("div", "samples");
    data.digit = (k) => {
      const figure = element("figure", "sample"), canvas = element("canvas");
      canvas.width = W; canvas.height = H;
      paint(canvas, W, H, (i) => { const v = 255 - pixels[k * H * W + i]; return [v, v, v]; });
      const caption = element("figcaption");
      figure.append(canvas, caption);
      return { figure, caption, label: shown.labels[k] };
    };
    for (let k = 0; k < Math.min(SHOWN, shown.labels.length); k += 1) {
      const cell = data.digit(k);
      grid.append(cell.figure);
      cells.push(cell);
    }
    $("shown").append(grid);
    $("mistakes-section").hidden = false;
    $("filters-section").hidden = !data.filter_shape;
  } else {
    $("shown-title").textContent = "test sequences and what the network says it saw first " +
      "(outlined: the input to remember)";
    const table = element("table", "sequences");
    shown.sequences.forEach((sequence, k) => {
      const row = element("tr");
      sequence.forEach((v, t) => {
        const cell = element("td", "step " + (v > 0 ? "plus" : "minus"), v > 0 ? "+" : "\u2212");
        if (t === 0) { cell.classList.add("remembered"); cell.title = "the sign to remember"; }
        row.append(cell);
      });
      const verdict = element("td", "verdict");
      row.append(verdict);
      table.append(row);
      cells.push({ figure: verdict, caption: verdict, label: shown.labels[k] });
    });
    $("shown").append(table);
  }
  const name = (c) => data.kind === "images" ? String(c) : (c === 1 ? "+" : "\u2212");

  function verdict(cell, shot, k) {
    const predicted = shot.predicted[k], ok = predicted === cell.label;
    cell.figure.classList.toggle("right", ok);
    cell.figure.classList.toggle("wrong", !ok);
    const sure = Math.round(100 * shot.confidence[k]) + "%";
    cell.caption.textContent = data.kind === "images"
      ? name(predicted) + (ok ? "" : " (is " + name(cell.label) + ")")
      : "says " + name(predicted) + " (" + sure + ")" + (ok ? "" : ", was " + name(cell.label));
    cell.figure.title = "predicted " + name(predicted) + " with probability " + sure;
    return ok;
  }

  function mistakes(shot) {
    const wrong = [];
    shot.predicted.forEach((p, k) => { if (p !== shown.labels[k]) wrong.push(k); });
    const grid = element("div", "samples");
    for (const k of wrong.slice(0, SHOWN)) {
      const cell = data.digit(k);
      verdict(cell, shot, k);
      grid.append(cell.figure);
    }
    $("mistakes").replaceChildren(grid);
    $("mistakes-caption").textContent = "after epoch " + shot.epoch + ": " + wrong.length +
      " of the first " + shot.predicted.length + " test digits are wrong" +
      (wrong.length > SHOWN ? "; the first " + SHOWN + " of them" : "") +
      (wrong.length ? "" : " (none)");
  }

  function showShot(shot) {
    let right = 0;
    cells.forEach((cell, k) => { if (verdict(cell, shot, k)) right += 1; });
    $("shown-caption").textContent = "after epoch " + shot.epoch + ": " + right + " of " +
      cells.length + " shown right (green), " + (cells.length - right) +
      " wrong (red); test accuracy " + (100 * shot.test_accuracy).toFixed(1) + "%";
    if (data.kind === "images") mistakes(shot);
    if (data.filter_shape) filters(shot);
  }

  function filters(shot) {
    const [O, C, KH, KW] = data.filter_shape, box = $("filters");
    const top = Math.max(1e-12, ...shot.filters.map(Math.abs));
    box.replaceChildren();
    for (let o = 0; o < O; o += 1) {
      for (let c = 0; c < C; c += 1) {
        const figure = element("figure", "filter"), canvas = element("canvas");
        canvas.width = KW; canvas.height = KH;
        const start = (o * C + c) * KH * KW;
        paint(canvas, KW, KH, (i) => {
          const v = shot.filters[start + i] / top, a = Math.round(255 * (1 - Math.abs(v)));
          return v >= 0 ? [255, a, a] : [a, a, 255];
        });
        figure.append(canvas, element("figcaption", "", "filter " + (o + 1) +
          (C > 1 ? ", channel " + (c + 1) : "")));
        box.append(figure);
      }
    }
    $("filters-caption").textContent = "after epoch " + shot.epoch + ": red a positive weight, " +
      "blue a negative one, white 0 (one scale for all, largest |w| = " + top.toPrecision(3) +
      ")";
  }

  function render() {
    const epoch = epochs[index];
    const loss = data.curve.loss[index], accuracy = data.curve.accuracy[index];
    $("where").textContent = "epoch " + epoch + " / " + data.epochs + ": loss " +
      (loss === null ? "nan" : loss.toPrecision(4)) + ", training accuracy " +
      (accuracy === null ? "nan" : (100 * accuracy).toFixed(1) + "%");
    slider.value = String(index);
    const at = { epochs, total: data.epochs, at: epoch };
    drawChart($("loss"), [{ name: "loss", values: data.curve.loss, colour: "#333" }],
      { ...at, log: true });
    drawChart($("accuracy"), [
      { name: "training", values: data.curve.accuracy, colour: "#2ca02c" },
      { name: "test", values: data.shots.map((s) => s.test_accuracy), epochs: shotEpochs,
        colour: "#1f77b4" },
    ], { ...at, fixed: [0, 1] });
    showShot(shotAt(data.shots, epoch));
  }

  playback(count, () => index, (i) => { index = i; }, render, count <= 20 ? 600 : 50);
  render();
})();
"""
)
