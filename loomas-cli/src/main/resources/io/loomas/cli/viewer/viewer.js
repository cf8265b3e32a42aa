// The loomas trace viewer: reads the trace inlined in the page and draws a sequence diagram of the
// messages and a per-node timeline, drawing only what is in view so that 100,000 events stay quick.
(function () {
  'use strict';
  const SVG = 'http://www.w3.org/2000/svg';
  const ROW = 18;           // height of a row of the sequence diagram
  const GUTTER = 190;       // the time and kind column of the sequence diagram
  const COLUMN = 130;       // the width of a node's column
  const TL_ROW = 22;        // height of a node's row in the timeline
  const TL_LABEL = 70;      // the node names' column of the timeline
  const HIDDEN_KINDS = new Set(['run', 'time', 'timer', 'schedule']); // many, and drawn on the timeline instead

  const meta = JSON.parse(document.getElementById('loomas-meta').textContent);
  const raw = JSON.parse(document.getElementById('loomas-trace').textContent);
  const N = raw.length;
  const $ = id => document.getElementById(id);
  const el = (name, attrs, text) => {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  };

  // ---- the model: nodes, messages with their RPC pairs, fault bands, marks ----
  const nodes = [];
  const nodeIndex = new Map();
  const node = name => {
    let i = nodeIndex.get(name);
    if (i === undefined) { i = nodes.length; nodeIndex.set(name, i); nodes.push(name); }
    return i;
  };
  const evNode = new Int32Array(N).fill(-1);   // the node an event belongs to, -1 for the whole run
  const evMsg = new Int32Array(N).fill(-1);    // the message a send, hold, drop or deliver is about
  const evRun = new Int32Array(N).fill(-1);    // the last task switch at or before the event
  const messages = [];
  const inFlight = new Map();                  // "a -> b #c frame n" -> message
  const calls = new Map();                     // "c|caller|id" -> message of the request
  const bands = [];
  const open = new Map();                      // what an end event closes -> band
  const marks = [];                            // {node, ev, kind}
  const kindCount = new Map();
  let failureEv = -1;
  let lastRun = -1;
  const tEnd = N ? raw[N - 1][1] : 0;

  const SEND = /^(\S+) -> (\S+) #(\d+) frame (\d+) \((end|\d+ bytes)\) ?([\s\S]*)$/;
  const FRAME = /^(\S+) -> (\S+) #(\d+) frame (\d+)/;
  const LINK = /^(\S+) -> (\S+)/;
  const RPC = /^\[(\d), (\d+), ?([\s\S]*)$/;
  const CALL = /^\[0, \d+, \["([^"]*)"/;

  const startBand = (key, n, kind, i, label) => {
    endBand(key, i);
    const b = {node: n, kind, start: raw[i][1], end: tEnd, startEv: i, endEv: -1, label};
    bands.push(b);
    open.set(key, b);
  };
  const endBand = (key, i) => {
    const b = open.get(key);
    if (b) { b.end = raw[i][1]; b.endEv = i; open.delete(key); }
  };

  for (let i = 0; i < N; i++) {
    const kind = raw[i][2];
    const d = raw[i][3];
    kindCount.set(kind, (kindCount.get(kind) || 0) + 1);
    let m;
    switch (kind) {
      case 'run': {
        const at = d.lastIndexOf(' @');
        if (at >= 0) evNode[i] = node(d.slice(at + 2));
        lastRun = i;
        break;
      }
      case 'send':
        if ((m = SEND.exec(d))) {
          const msg = {from: node(m[1]), to: node(m[2]), conn: +m[3], frame: +m[4], size: m[5], preview: m[6],
            send: i, deliver: -1, hold: -1, drop: -1, pair: -1, rpc: null, name: ''};
          const idx = messages.length;
          messages.push(msg);
          inFlight.set(m[1] + ' -> ' + m[2] + ' #' + m[3] + ' frame ' + m[4], idx);
          evNode[i] = msg.from;
          evMsg[i] = idx;
          const r = RPC.exec(msg.preview);
          if (r) {
            if (r[1] === '0') {
              msg.rpc = 'call';
              const c = CALL.exec(msg.preview);
              msg.name = c ? c[1] : 'call';
              calls.set(m[3] + '|' + m[1] + '|' + r[2], idx);
            } else {
              const req = calls.get(m[3] + '|' + m[2] + '|' + r[2]);
              msg.rpc = r[1] === '1' ? 'reply' : 'failure';
              if (req !== undefined) {
                msg.pair = req;
                messages[req].pair = idx;
                msg.name = (r[1] === '1' ? 'reply to ' : 'failure of ') + messages[req].name;
                calls.delete(m[3] + '|' + m[2] + '|' + r[2]);
              }
            }
          }
        }
        break;
      case 'deliver': case 'hold': case 'drop':
        if ((m = FRAME.exec(d))) {
          const key = m[1] + ' -> ' + m[2] + ' #' + m[3] + ' frame ' + m[4];
          const idx = inFlight.get(key);
          evNode[i] = node(kind === 'deliver' ? m[2] : m[1]);
          if (idx !== undefined) {
            evMsg[i] = idx;
            const msg = messages[idx];
            if (kind === 'hold') msg.hold = i;
            else { msg[kind] = i; inFlight.delete(key); }
          }
        }
        break;
      case 'connect': case 'refuse': case 'close': case 'pause-reading': case 'resume-reading':
        if ((m = LINK.exec(d))) evNode[i] = node(m[1]);
        break;
      case 'listen':
        evNode[i] = node(d.trim());
        break;
      case 'fault': {
        const words = d.split(' ');
        const verb = words[0];
        if ((verb === 'partition' || verb === 'heal') && words[2] === '->') {
          const key = 'partition|' + words[1] + '|' + words[3];
          evNode[i] = node(words[1]);
          if (verb === 'partition') startBand(key, evNode[i], 'partition', i, 'partitioned from ' + words[3]);
          else endBand(key, i);
        } else if (verb === 'crash' || verb === 'restart') {
          evNode[i] = node(words[1]);
          if (verb === 'crash') startBand('crash|' + words[1], evNode[i], 'crash', i, 'crashed');
          else endBand('crash|' + words[1], i);
        } else if (verb === 'pause' || verb === 'resume') {
          evNode[i] = node(words[1]);
          if (verb === 'pause') startBand('pause|' + words[1], evNode[i], 'pause', i, d);
          else endBand('pause|' + words[1], i);
        } else if (verb === 'skew') {
          evNode[i] = node(words[1]);
          startBand('skew|' + words[1], evNode[i], 'skew', i, d);
        } else if (verb === 'clog' || verb === 'unclog') {
          evNode[i] = node(words[1]);
          if (verb === 'clog') startBand('clog|' + words[1], evNode[i], 'clog', i, 'clogged');
          else endBand('clog|' + words[1], i);
        } else if (verb === 'down' || verb === 'up') {
          evNode[i] = node(words[1]);
          if (verb === 'down') startBand('down|' + words[1], evNode[i], 'down', i, 'refuses connections');
          else endBand('down|' + words[1], i);
        } else if (verb === 'latency' && words[2] === '->') {
          evNode[i] = node(words[1]);
        } else if (verb === 'reset') {
          evNode[i] = node(words[1]);
        }
        marks.push({node: evNode[i], ev: i, kind: 'fault'});
        break;
      }
      case 'op': {
        const p = d.split(' ')[0];
        evNode[i] = node(p);
        marks.push({node: evNode[i], ev: i, kind: 'op'});
        break;
      }
      case 'disk': {
        const slash = d.indexOf('/');
        if (slash > 0) evNode[i] = node(d.slice(0, slash));
        break;
      }
      case 'log': case 'assert': case 'check':
        evNode[i] = lastRun >= 0 ? evNode[lastRun] : -1;  // the task that was running wrote it
        marks.push({node: evNode[i], ev: i, kind: kind === 'log' ? 'log' : 'check'});
        break;
      case 'failure':
        failureEv = i;
        evNode[i] = lastRun >= 0 ? evNode[lastRun] : -1;
        marks.push({node: evNode[i], ev: i, kind: 'failure'});
        break;
      default:
        break;
    }
    evRun[i] = lastRun;
  }

  const taskOf = i => {
    const r = evRun[i];
    if (r < 0) return '';
    const d = raw[r][3];
    const at = d.lastIndexOf(' @');
    return at >= 0 ? d.slice(0, at) : d;
  };

  // ---- what is shown: filters, rows, cursor ----
  const nodeShown = nodes.map(() => true);
  const kindShown = new Map([...kindCount.keys()].map(k => [k, !HIDDEN_KINDS.has(k)]));
  let taskFilter = '';
  let rows = new Int32Array(0);   // the events in the diagram, in order
  let cursor = 0;                 // an index into rows
  let search = '';
  let matches = [];
  let selectedMsg = -1;
  let view = [0, Math.max(1, tEnd)]; // the timeline's window, in nanoseconds

  function rebuildRows() {
    const keep = new Int32Array(N);
    let n = 0;
    const task = taskFilter.toLowerCase();
    for (let i = 0; i < N; i++) {
      if (!kindShown.get(raw[i][2])) continue;
      const nd = evNode[i];
      if (nd >= 0 && !nodeShown[nd]) continue;
      if (evMsg[i] >= 0) {
        const msg = messages[evMsg[i]];
        if (!nodeShown[msg.from] || !nodeShown[msg.to]) continue;
      }
      if (task && !taskOf(i).toLowerCase().includes(task)) continue;
      keep[n++] = i;
    }
    const old = rows.length ? rows[Math.min(cursor, rows.length - 1)] : 0;
    rows = keep.slice(0, n);
    cursor = Math.max(0, rowAtOrAfter(old));
    if (cursor >= rows.length) cursor = Math.max(0, rows.length - 1);
    rebuildMatches();
  }

  /** The first row whose event is at or after event i (rows.length if none). */
  function rowAtOrAfter(i) {
    let lo = 0, hi = rows.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (rows[mid] < i) lo = mid + 1; else hi = mid; }
    return lo;
  }

  function rebuildMatches() {
    matches = [];
    const q = search.toLowerCase();
    if (q) {
      for (let r = 0; r < rows.length; r++) {
        const e = raw[rows[r]];
        if (e[3].toLowerCase().includes(q) || e[2] === q) matches.push(r);
      }
    }
    $('search-count').textContent = q ? matches.length + ' match' + (matches.length === 1 ? '' : 'es') : '';
  }

  const shownNodes = () => nodes.map((n, i) => i).filter(i => nodeShown[i]);

  // ---- formatting ----
  const seconds = ns => (ns / 1e9).toFixed(ns % 1e6 === 0 ? 3 : 9).replace(/\.?0+$/, '') + ' s';
  const axis = (t, span) => {
    const digits = Math.max(0, Math.min(9, Math.ceil(-Math.log10(span / 5 / 1e9)) + 1));
    return (t / 1e9).toFixed(digits) + ' s';
  };
  const short = (text, n) => text.length > n ? text.slice(0, n - 1) + '\u2026' : text;

  // ---- the sequence diagram ----
  const seq = $('sequence');
  const space = $('sequence-space');
  let seqSvg = null;

  function columnX(nodeIdx, shown) {
    const pos = shown.indexOf(nodeIdx);
    return pos < 0 ? -1 : GUTTER + COLUMN / 2 + pos * COLUMN;
  }

  function drawHead() {
    const head = $('sequence-head');
    head.textContent = '';
    const shown = shownNodes();
    for (const n of shown) {
      const s = document.createElement('span');
      s.style.left = columnX(n, shown) - seq.scrollLeft + 'px';
      s.textContent = nodes[n];
      head.appendChild(s);
    }
  }

  function drawSequence() {
    const shown = shownNodes();
    const width = GUTTER + shown.length * COLUMN + 520;
    space.style.height = rows.length * ROW + 'px';
    space.style.width = width + 'px';
    const first = Math.max(0, Math.floor(seq.scrollTop / ROW) - 10);
    const last = Math.min(rows.length, Math.ceil((seq.scrollTop + seq.clientHeight) / ROW) + 10);
    const svg = el('svg', {width, height: Math.max(1, (last - first) * ROW), class: 'rows'});
    svg.style.top = first * ROW + 'px';
    const y = r => (r - first) * ROW + ROW / 2;
    const matchSet = new Set(matches.filter(r => r >= first && r < last));
    for (const n of shown) {
      const x = columnX(n, shown);
      svg.appendChild(el('line', {x1: x, x2: x, y1: 0, y2: (last - first) * ROW, class: 'lifeline'}));
    }
    const textX = GUTTER + shown.length * COLUMN + 8;
    for (let r = first; r < last; r++) {
      const i = rows[r];
      const e = raw[i];
      const bg = el('rect', {x: 0, y: (r - first) * ROW, width, height: ROW,
        class: 'row-bg' + (r === cursor ? ' cursor-row' : '') + (matchSet.has(r) ? ' match' : ''), 'data-row': r});
      svg.appendChild(bg);
      svg.appendChild(el('text', {x: 4, y: y(r) + 4, class: 'row-time'}, '#' + e[0] + ' ' + seconds(e[1])));
      svg.appendChild(el('text', {x: GUTTER - 60, y: y(r) + 4, class: 'row-time'}, e[2]));
      const x = evNode[i] >= 0 ? columnX(evNode[i], shown) : -1;
      if (x >= 0 && e[2] !== 'deliver') {
        svg.appendChild(el('circle', {cx: x, cy: y(r), r: 3.5, class: 'dot k-' + e[2]}));
      }
      svg.appendChild(el('text', {x: textX, y: y(r) + 4, class: 'row-text'}, short(e[3], 110)));
    }
    // Arrows: every message whose span reaches into the rows drawn.
    let drawn = 0;
    for (let k = 0; k < messages.length; k++) {
      const msg = messages[k];
      if (!nodeShown[msg.from] || !nodeShown[msg.to] || !kindShown.get('send')) continue;
      const s = rowAtOrAfter(msg.send);
      if (s >= rows.length || rows[s] !== msg.send) continue; // its send is filtered out
      const endEv = msg.deliver >= 0 ? msg.deliver : msg.drop >= 0 ? msg.drop : N;
      let t = rowAtOrAfter(endEv);
      if (t >= rows.length) t = rows.length - 1;
      if (t < first || s >= last) continue;
      const x1 = columnX(msg.from, shown);
      const x2 = columnX(msg.to, shown);
      const lost = msg.deliver < 0;
      const cls = 'msg' + (msg.rpc === 'reply' || msg.rpc === 'failure' ? ' rpc-reply' : '') + (lost ? ' lost' : '')
        + (msg.hold >= 0 ? ' held' : '') + (k === selectedMsg || msg.pair === selectedMsg && selectedMsg >= 0 ? ' selected' : '');
      const line = el('line', {x1, y1: y(s), x2, y2: y(t), class: cls, 'data-msg': k});
      line.appendChild(el('title', {}, nodes[msg.from] + ' \u2192 ' + nodes[msg.to] + ' frame ' + msg.frame + ' (' + msg.size
        + ')' + (msg.name ? ' ' + msg.name : '') + '\n' + short(msg.preview, 400) + (lost ? '\nnever delivered' : '')));
      svg.appendChild(line);
      if (t >= first && t < last) {
        const dir = x2 >= x1 ? -1 : 1;
        svg.appendChild(el('path', {d: 'M' + x2 + ' ' + y(t) + ' l' + 7 * dir + ' -4 l0 8 z',
          class: 'msg-head' + (cls.includes('rpc-reply') ? ' rpc-reply' : '') + (lost ? ' lost' : '')}));
      }
      drawn++;
    }
    svg.setAttribute('data-messages-drawn', drawn);
    if (seqSvg) seqSvg.remove();
    seq.appendChild(svg);
    seqSvg = svg;
    drawHead();
  }

  seq.addEventListener('scroll', () => requestAnimationFrame(drawSequence));
  seq.addEventListener('click', ev => {
    const t = ev.target;
    if (t.dataset && t.dataset.msg !== undefined) {
      selectMessage(+t.dataset.msg);
    } else if (t.dataset && t.dataset.row !== undefined) {
      moveTo(+t.dataset.row, false);
    } else if (t.parentNode && t.parentNode.dataset && t.parentNode.dataset.msg !== undefined) {
      selectMessage(+t.parentNode.dataset.msg);
    }
  });

  function selectMessage(k) {
    selectedMsg = k;
    const r = rowAtOrAfter(messages[k].send);
    moveTo(r < rows.length ? r : cursor, false);
  }

  // ---- the timeline ----
  const timeline = $('timeline');
  let cursorLine = null;
  let drawnView = null;
  let placeCursor = () => {};

  function drawTimeline() {
    const width = Math.max(400, timeline.clientWidth);
    const shown = shownNodes();
    const height = 18 + shown.length * TL_ROW + 4;
    const svg = el('svg', {width, height, id: 'timeline-svg'});
    const span = Math.max(1, view[1] - view[0]);
    const plot = width - TL_LABEL - 8;
    const x = t => TL_LABEL + (t - view[0]) / span * plot;
    const rowY = n => 18 + shown.indexOf(n) * TL_ROW;
    // the axis
    for (let k = 0; k <= 5; k++) {
      const t = view[0] + span * k / 5;
      svg.appendChild(el('text', {x: x(t), y: 11, class: 'tl-axis', 'text-anchor': k === 0 ? 'start' : k === 5 ? 'end' : 'middle'}, axis(t, span)));
    }
    for (const n of shown) {
      svg.appendChild(el('rect', {x: TL_LABEL, y: rowY(n) + 1, width: plot, height: TL_ROW - 2, class: 'tl-row'}));
      svg.appendChild(el('text', {x: 4, y: rowY(n) + 15, class: 'tl-label'}, nodes[n]));
    }
    // fault bands
    for (const b of bands) {
      if (!nodeShown[b.node] || b.end < view[0] || b.start > view[1]) continue;
      const x1 = Math.max(TL_LABEL, x(b.start));
      const x2 = Math.min(TL_LABEL + plot, Math.max(x(b.end), x1 + 2));
      const r = el('rect', {x: x1, y: rowY(b.node) + 1, width: Math.max(2, x2 - x1), height: TL_ROW - 2,
        class: 'fault-band fault-' + b.kind, 'data-ev': b.startEv});
      r.appendChild(el('title', {}, nodes[b.node] + ': ' + b.label + ' from ' + seconds(b.start)
        + (b.endEv >= 0 ? ' to ' + seconds(b.end) : ' to the end')));
      svg.appendChild(r);
    }
    // task runs, one tick per pixel that had any
    const ticks = shown.map(() => new Uint32Array(plot + 1));
    for (let i = 0; i < N; i++) {
      if (raw[i][2] !== 'run' || evNode[i] < 0 || !nodeShown[evNode[i]]) continue;
      const t = raw[i][1];
      if (t < view[0] || t > view[1]) continue;
      ticks[shown.indexOf(evNode[i])][Math.round((t - view[0]) / span * plot)]++;
    }
    shown.forEach((n, s) => {
      const row = ticks[s];
      for (let p = 0; p <= plot; p++) {
        if (!row[p]) continue;
        let q = p, count = 0;
        while (q <= plot && row[q]) count += row[q++];
        // The tick's span of virtual time: a click lists the tasks that ran there, and what each woke on.
        const from = view[0] + (p - 0.5) / plot * span, to = view[0] + (q - 0.5) / plot * span;
        const r = el('rect', {x: TL_LABEL + p, y: rowY(n) + 6, width: Math.max(1, q - p), height: TL_ROW - 12, class: 'task-tick',
          'data-node': n, 'data-from': from, 'data-to': to});
        r.appendChild(el('title', {}, count + ' task switch' + (count === 1 ? '' : 'es') + ' on ' + nodes[n] + ' (click: which tasks)'));
        svg.appendChild(r);
        p = q;
      }
    });
    // marks: log lines, operations, failures; one per pixel and kind
    const seen = new Set();
    for (const m of marks) {
      if (m.node >= 0 && !nodeShown[m.node]) continue;
      const t = raw[m.ev][1];
      if (t < view[0] || t > view[1]) continue;
      const px = Math.round(x(t));
      const key = m.node + '|' + m.kind + '|' + px;
      if (m.kind !== 'failure' && seen.has(key)) continue;
      seen.add(key);
      const y0 = m.node >= 0 ? rowY(m.node) : 18;
      const y1 = m.node >= 0 ? y0 + TL_ROW : height;
      let mark;
      if (m.kind === 'failure' || m.kind === 'check') {
        mark = el('line', {x1: px, x2: px, y1: y0, y2: y1, class: 'failure-mark', 'data-ev': m.ev});
      } else if (m.kind === 'op') {
        mark = el('rect', {x: px - 1, y: y0 + TL_ROW - 6, width: 3, height: 4, class: 'op-mark', 'data-ev': m.ev});
      } else if (m.kind === 'log') {
        mark = el('line', {x1: px, x2: px, y1: y0 + 1, y2: y0 + 6, class: 'log-mark', 'data-ev': m.ev});
      } else {
        continue; // faults are the bands, and rows of the diagram
      }
      mark.appendChild(el('title', {}, seconds(t) + ' ' + raw[m.ev][2] + ': ' + short(raw[m.ev][3], 300)));
      svg.appendChild(mark);
    }
    // the cursor, moved without redrawing the rest (see placeCursor)
    cursorLine = el('line', {x1: 0, x2: 0, y1: 14, y2: height, class: 'cursor'});
    svg.appendChild(cursorLine);
    drawnView = view.slice();
    placeCursor = () => {
      const t = rows.length ? raw[rows[cursor]][1] : -1;
      const shownNow = t >= view[0] && t <= view[1];
      cursorLine.setAttribute('visibility', shownNow ? 'visible' : 'hidden');
      if (shownNow) { cursorLine.setAttribute('x1', x(t)); cursorLine.setAttribute('x2', x(t)); }
    };
    placeCursor();
    svg.addEventListener('click', ev => {
      const target = ev.target.getAttribute('data-ev');
      if (target !== null) { moveToEvent(+target); return; }
      if (ev.target.getAttribute('data-from') !== null) {
        showTasks(+ev.target.getAttribute('data-node'), +ev.target.getAttribute('data-from'), +ev.target.getAttribute('data-to'));
        return;
      }
      const box = svg.getBoundingClientRect();
      const t = view[0] + (ev.clientX - box.left - TL_LABEL) / plot * span;
      moveToTime(t);
    });
    timeline.textContent = '';
    timeline.appendChild(svg);
  }

  function zoom(factor) {
    const centre = rows.length ? raw[rows[cursor]][1] : (view[0] + view[1]) / 2;
    const span = Math.max(1000, (view[1] - view[0]) * factor);
    view = [Math.max(0, centre - span / 2), Math.min(Math.max(1, tEnd), centre + span / 2)];
    if (view[1] - view[0] < span) view = view[0] === 0 ? [0, Math.min(tEnd, span)] : [Math.max(0, tEnd - span), tEnd];
    drawTimeline();
  }

  // ---- the cursor and the details of its event ----
  function moveToEvent(i) {
    const r = rowAtOrAfter(i);
    moveTo(Math.min(r, rows.length - 1), true);
  }

  function moveToTime(t) {
    let lo = 0, hi = rows.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (raw[rows[mid]][1] < t) lo = mid + 1; else hi = mid; }
    moveTo(Math.min(lo, rows.length - 1), true);
  }

  /** Moves the cursor to row r; redraw: the filters changed, so the timeline must be drawn again. */
  function moveTo(r, scroll, redraw) {
    if (!rows.length) { showEvent(-1); drawSequence(); drawTimeline(); return; }
    cursor = Math.max(0, Math.min(rows.length - 1, r));
    if (scroll) {
      const top = cursor * ROW;
      if (top < seq.scrollTop || top > seq.scrollTop + seq.clientHeight - ROW) seq.scrollTop = Math.max(0, top - seq.clientHeight / 3);
    }
    const t = raw[rows[cursor]][1];
    if (t < view[0] || t > view[1]) {
      const span = view[1] - view[0];
      view = [Math.max(0, t - span / 2), Math.max(0, t - span / 2) + span];
    }
    $('scrub').max = Math.max(0, rows.length - 1);
    $('scrub').value = cursor;
    $('cursor-label').textContent = 'event ' + (cursor + 1) + ' of ' + rows.length + ', t = ' + seconds(t);
    showEvent(rows[cursor]);
    drawSequence();
    if (redraw || !drawnView || drawnView[0] !== view[0] || drawnView[1] !== view[1]) drawTimeline();
    else placeCursor();
  }

  function link(text, onClick) {
    const a = document.createElement('a');
    a.textContent = text;
    a.addEventListener('click', onClick);
    return a;
  }

  function showEvent(i) {
    const box = $('event');
    box.textContent = '';
    if (i < 0) { box.textContent = 'No event matches the filters.'; return; }
    const e = raw[i];
    const dl = document.createElement('dl');
    const item = (name, value) => {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
      dl.append(dt, dd);
    };
    item('event', '#' + e[0] + ' ' + e[2]);
    item('virtual time', seconds(e[1]));
    if (evNode[i] >= 0) item('node', nodes[evNode[i]]);
    if (evRun[i] >= 0 && e[2] !== 'run') item('while running', taskOf(i));
    if (evMsg[i] >= 0) {
      const msg = messages[evMsg[i]];
      item('message', nodes[msg.from] + ' \u2192 ' + nodes[msg.to] + ', connection #' + msg.conn + ', frame ' + msg.frame
        + ' (' + msg.size + ')' + (msg.name ? ', ' + msg.name : ''));
      item('sent', link('#' + raw[msg.send][0] + ' at ' + seconds(raw[msg.send][1]), () => moveToEvent(msg.send)));
      if (msg.hold >= 0) item('held', link('#' + raw[msg.hold][0] + ' at ' + seconds(raw[msg.hold][1]) + ' (partitioned)', () => moveToEvent(msg.hold)));
      if (msg.deliver >= 0) item('delivered', link('#' + raw[msg.deliver][0] + ' at ' + seconds(raw[msg.deliver][1]), () => moveToEvent(msg.deliver)));
      else if (msg.drop >= 0) item('dropped', link('#' + raw[msg.drop][0] + ' at ' + seconds(raw[msg.drop][1]), () => moveToEvent(msg.drop)));
      else item('delivered', 'never, in this trace');
      if (msg.pair >= 0) {
        const p = messages[msg.pair];
        item(msg.rpc === 'call' ? 'its reply' : 'its call', link(p.name + ' (#' + raw[p.send][0] + ')', () => { selectedMsg = msg.pair; moveToEvent(p.send); }));
      }
      const pre = document.createElement('pre');
      pre.textContent = msg.preview;
      item('preview', pre);
    } else if (e[2] === 'run') {
      // What the task woke on: the events since the task switch before it.
      const woke = [];
      for (let j = i - 1; j >= 0 && raw[j][2] !== 'run' && woke.length < 6; j--) woke.unshift('#' + raw[j][0] + ' ' + raw[j][2] + ' ' + short(raw[j][3], 80));
      item('task', e[3]);
      const pre = document.createElement('pre');
      pre.textContent = woke.length ? woke.join('\n') : '(nothing since the previous task switch)';
      item('ready after', pre);
    } else {
      const pre = document.createElement('pre');
      pre.textContent = e[3];
      item('detail', pre);
    }
    box.appendChild(dl);
  }

  /** The details panel: the tasks of node n that ran in [from, to], how often, and what each last woke on. */
  function showTasks(n, from, to) {
    const runs = new Map();
    for (let i = 0; i < N; i++) {
      const t = raw[i][1];
      if (t > to) break;
      if (t < from || raw[i][2] !== 'run' || evNode[i] !== n) continue;
      const d = raw[i][3];
      const name = d.slice(0, d.lastIndexOf(' @'));
      const r = runs.get(name) || {count: 0, last: i};
      r.count++;
      r.last = i;
      runs.set(name, r);
    }
    const box = $('event');
    box.textContent = '';
    const head = document.createElement('p');
    head.textContent = 'Tasks that ran on ' + nodes[n] + ' from ' + seconds(Math.max(0, Math.round(from))) + ' to '
      + seconds(Math.round(to)) + ':';
    box.appendChild(head);
    const dl = document.createElement('dl');
    for (const [name, r] of runs) {
      const dt = document.createElement('dt');
      dt.append(link(name + ' (' + r.count + ' time' + (r.count === 1 ? '' : 's') + ')', () => {
        if (!kindShown.get('run')) { kindShown.set('run', true); $('kind-filters').querySelector("input[data-kind='run']").checked = true; rebuildRows(); }
        moveToEvent(r.last);
      }));
      const dd = document.createElement('dd');
      const woke = [];
      for (let j = r.last - 1; j >= 0 && raw[j][2] !== 'run' && woke.length < 3; j--) woke.unshift(raw[j][2] + ' ' + short(raw[j][3], 60));
      dd.textContent = 'last woke after: ' + (woke.length ? woke.join('; ') : 'the task switch before it');
      dl.append(dt, dd);
    }
    box.appendChild(dl);
  }

  // ---- the failure ----
  function showFailure() {
    if (failureEv < 0) return;
    const text = raw[failureEv][3];
    $('failure').hidden = false;
    $('failure-text').textContent = text;
    const where = text.split('\n').find(l => /^(at|in) /.test(l.trim()));
    $('failure-where').textContent = 'at virtual time ' + seconds(raw[failureEv][1]) + ', event #' + raw[failureEv][0]
      + (evNode[failureEv] >= 0 ? ', on ' + nodes[evNode[failureEv]] : '') + (taskOf(failureEv) ? ', in task ' + taskOf(failureEv) : '')
      + (where ? ', ' + where.trim() : '');
    const replayLine = text.split('\n').find(l => l.startsWith('replay with '));
    $('failure-replay').textContent = meta.replay || (replayLine ? replayLine.slice('replay with '.length) : '(the seed: ' + meta.seed + ')');
    $('goto-failure').addEventListener('click', () => moveToEvent(failureEv));
  }

  // ---- controls ----
  function buildFilters() {
    const nf = $('node-filters');
    nodes.forEach((name, i) => {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = true;
      box.dataset.node = name;
      box.addEventListener('change', () => { nodeShown[i] = box.checked; rebuildRows(); moveTo(cursor, true, true); });
      label.append(box, ' ' + name);
      nf.appendChild(label);
    });
    const kf = $('kind-filters');
    [...kindCount.keys()].sort().forEach(kind => {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = kindShown.get(kind);
      box.dataset.kind = kind;
      box.addEventListener('change', () => { kindShown.set(kind, box.checked); rebuildRows(); moveTo(cursor, true, true); });
      label.append(box, ' ' + kind + ' (' + kindCount.get(kind) + ')');
      kf.appendChild(label);
    });
  }

  function stepTime(dir) {
    if (!rows.length) return;
    const t = raw[rows[cursor]][1];
    let r = cursor;
    if (dir > 0) { while (r < rows.length - 1 && raw[rows[r]][1] === t) r++; }
    else {
      while (r > 0 && raw[rows[r]][1] === t) r--;
      const t2 = raw[rows[r]][1];
      while (r > 0 && raw[rows[r - 1]][1] === t2) r--;
    }
    moveTo(r, true);
  }

  $('first').addEventListener('click', () => moveTo(0, true));
  $('last').addEventListener('click', () => moveTo(rows.length - 1, true));
  $('prev').addEventListener('click', () => moveTo(cursor - 1, true));
  $('next').addEventListener('click', () => moveTo(cursor + 1, true));
  $('prev-time').addEventListener('click', () => stepTime(-1));
  $('next-time').addEventListener('click', () => stepTime(1));
  $('scrub').addEventListener('input', ev => moveTo(+ev.target.value, true));
  $('zoom-in').addEventListener('click', () => zoom(0.25));
  $('zoom-out').addEventListener('click', () => zoom(4));
  $('zoom-all').addEventListener('click', () => { view = [0, Math.max(1, tEnd)]; drawTimeline(); });
  $('search').addEventListener('input', ev => { search = ev.target.value; rebuildMatches(); drawSequence(); });
  $('search').addEventListener('keydown', ev => {
    if (ev.key !== 'Enter' || !matches.length) return;
    const next = ev.shiftKey ? [...matches].reverse().find(r => r < cursor) : matches.find(r => r > cursor);
    moveTo(next !== undefined ? next : (ev.shiftKey ? matches[matches.length - 1] : matches[0]), true);
  });
  let taskTimer = 0;
  $('task-filter').addEventListener('input', ev => {
    clearTimeout(taskTimer);
    taskTimer = setTimeout(() => { taskFilter = ev.target.value; rebuildRows(); moveTo(cursor, true, true); }, 150);
  });
  document.addEventListener('keydown', ev => {
    if (ev.target.tagName === 'INPUT') return;
    if (ev.key === 'ArrowRight') { ev.shiftKey ? stepTime(1) : moveTo(cursor + 1, true); ev.preventDefault(); }
    else if (ev.key === 'ArrowLeft') { ev.shiftKey ? stepTime(-1) : moveTo(cursor - 1, true); ev.preventDefault(); }
    else if (ev.key === 'Home') { moveTo(0, true); ev.preventDefault(); }
    else if (ev.key === 'End') { moveTo(rows.length - 1, true); ev.preventDefault(); }
  });
  window.addEventListener('resize', () => requestAnimationFrame(() => { drawSequence(); drawTimeline(); }));

  // ---- start ----
  $('title').textContent = (meta.title || meta.file || '') + (meta.seed !== null && meta.seed !== undefined ? ' \u00b7 seed ' + meta.seed : '');
  buildFilters();
  rebuildRows();
  showFailure();
  moveTo(failureEv >= 0 ? rowAtOrAfter(failureEv) : 0, true);
  const loadMillis = Math.round(performance.now());
  $('stats').textContent = N + ' events, ' + nodes.length + ' nodes, ' + messages.length + ' messages, '
    + bands.length + ' fault bands, virtual time ' + seconds(tEnd) + ' \u00b7 shown in ' + loadMillis + ' ms';
  $('sequence').dataset.messages = messages.length;
  window.loomasViewer = {ready: true, loadMillis, events: N, messages: messages.length, bands: bands.length, nodes: nodes.slice()};
})();
