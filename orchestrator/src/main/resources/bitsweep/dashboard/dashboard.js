// BitSweep dashboard: one event stream (/api/stream) redraws everything; buttons POST to the API.
// No library and no CDN: the page must work on a cluster without internet access.
'use strict';
(function () {
  const TOKEN_KEY = 'bitsweep-api-token';
  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem(TOKEN_KEY) || '';

  function headers(extra) {
    const h = Object.assign({}, extra || {});
    if (token) h['Authorization'] = 'Bearer ' + token;
    return h;
  }

  function fmtDuration(s) {
    if (s === undefined || s === null || s < 0) return '–';
    s = Math.round(s);
    if (s >= 3600) return Math.floor(s / 3600) + 'h' + String(Math.floor((s % 3600) / 60)).padStart(2, '0') + 'm';
    if (s >= 60) return Math.floor(s / 60) + 'm' + String(s % 60).padStart(2, '0') + 's';
    return s + 's';
  }
  const num = (v, d) => (v === undefined || v === null || !isFinite(v)) ? '–' : Number(v).toFixed(d);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c === undefined ? '' : String(c)));
    return e;
  }

  function setMessage(text, refused) {
    const m = $('message');
    m.textContent = text;
    m.className = refused ? 'refused' : '';
  }

  async function post(path, body) {
    try {
      // always JSON: the server refuses other bodies, which other sites could post without asking (CSRF)
      const res = await fetch(path, {
        method: 'POST',
        headers: headers({ 'Content-Type': 'application/json' }),
        body: JSON.stringify(body || {}),
      });
      const doc = await res.json().catch(() => ({}));
      if (res.status === 401) { askToken(); return; }
      setMessage(doc.message || doc.error || ('HTTP ' + res.status), !res.ok);
    } catch (e) {
      setMessage('request failed: ' + e, true);
    }
  }

  function renderSummary(s) {
    $('sweep-name').textContent = s.sweep || '';
    document.title = 'BitSweep ' + (s.sweep || '') + ' (' + s.state + ')';
    $('sweep-state').textContent = s.state;
    $('counts').textContent = Object.entries(s.counts).map(([k, v]) => v + ' ' + k).join(' · ') + ' of ' + s.total;
    $('eta').textContent = s.complete ? 'done' : fmtDuration(s.etaSeconds);
    $('worker-count').textContent = s.workers;
    $('pause').disabled = s.paused || s.cancelled || s.complete;
    $('resume').disabled = !s.paused || s.complete;
    $('cancel-sweep').disabled = s.cancelled || s.complete;
  }

  function renderTrials(trials) {
    const body = $('trials').tBodies[0];
    const rows = trials.map((t) => {
      const files = el('td', {});
      files.append(el('a', { href: '#', 'data-link': t.links.log, onclick: openLink }, 'log'), ' ');
      files.append(el('a', { href: '#', 'data-link': t.links.bits, onclick: openLink }, 'bits'));
      if (t.links.model) files.append(' ', el('a', { href: '#', 'data-link': t.links.model, onclick: openLink }, 'onnx'));
      const action = el('td', {});
      if (t.status === 'running' || t.status === 'queued') {
        action.append(el('button', { class: 'cancel-trial danger', 'data-trial': t.trialId,
          onclick: () => post('/api/trials/' + encodeURIComponent(t.trialId) + '/cancel') }, 'Cancel'));
      }
      const where = t.worker ? t.worker + (t.device ? ' / ' + t.device : '') : '';
      return el('tr', { id: 'trial-' + t.trialId, 'data-status': t.status, title: t.error || '' },
        el('td', {}, t.trialId), el('td', {}, t.variant || ''), el('td', { class: 'num' }, t.mu ?? ''),
        el('td', { class: 'num' }, t.seed ?? ''), el('td', { class: 'status ' + t.status }, t.status),
        el('td', { class: 'num' }, t.attempts), el('td', { class: 'num' }, t.epoch + '/' + t.totalEpochs),
        el('td', { class: 'num' }, t.status === 'running' ? fmtDuration(t.etaSeconds) : ''),
        el('td', { class: 'num' }, t.imagesPerSecond ? num(t.imagesPerSecond, 0) : ''),
        el('td', { class: 'num' }, num(t.top1, 2)), el('td', { class: 'num' }, num(t.relativeBops, 3)),
        el('td', {}, where), files, action);
    });
    body.replaceChildren(...rows);
  }

  function renderWorkers(workers) {
    $('workers').tBodies[0].replaceChildren(...workers.map((w) => el('tr', { 'data-worker': w.name },
      el('td', {}, w.name), el('td', {}, w.device || ''), el('td', {}, w.trialId ? w.trialId + ' (attempt ' + w.attempt + ')' : 'idle'),
      el('td', { class: 'num' }, w.trialId ? w.epoch : ''), el('td', { class: 'num' }, w.trialId && w.imagesPerSecond ? num(w.imagesPerSecond, 0) : ''))));
  }

  function renderEvents(events) {
    $('events').replaceChildren(...events.slice().reverse().map((e) => el('li', {},
      el('span', { class: 'time' }, e.atMillis ? new Date(e.atMillis).toLocaleTimeString() : ''),
      (e.trialId ? e.trialId + ': ' : '') + e.text)));
  }

  const SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderFrontier(variants) {
    const plot = $('frontier');
    const W = 480, H = 320, L = 48, R = 12, T = 12, B = 36;
    const all = variants.flatMap((v) => v.frontier.concat(v.dominated));
    const parts = [svg('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }),
      svg('line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B }),
      svg('text', { x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle' }, 'relative BOPs (%)'),
      svg('text', { x: 12, y: (T + H - B) / 2, transform: 'rotate(-90 12 ' + ((T + H - B) / 2) + ')', 'text-anchor': 'middle' }, 'top-1 (%)')];
    if (all.length) {
      const xmax = Math.max(...all.map((p) => p.relativeBops)) * 1.08 || 1;
      let ymin = Math.min(...all.map((p) => p.top1)), ymax = Math.max(...all.map((p) => p.top1));
      if (ymax - ymin < 1) { ymin -= 0.5; ymax += 0.5; }
      const x = (v) => L + (v / xmax) * (W - L - R);
      const y = (v) => H - B - ((v - ymin) / (ymax - ymin)) * (H - T - B);
      [0, xmax / 2, xmax].forEach((v) => parts.push(svg('text', { x: x(v), y: H - B + 14, 'text-anchor': 'middle' }, num(v, 1))));
      [ymin, ymax].forEach((v) => parts.push(svg('text', { x: L - 4, y: y(v) + 4, 'text-anchor': 'end' }, num(v, 1))));
      for (const v of variants) {
        const line = v.frontier.slice().sort((a, b) => a.relativeBops - b.relativeBops);
        parts.push(svg('polyline', { points: line.map((p) => x(p.relativeBops) + ',' + y(p.top1)).join(' ') }));
        for (const p of v.dominated) parts.push(pointEl(p, x, y, false, v.variant));
        for (const p of v.frontier) parts.push(pointEl(p, x, y, true, v.variant));
      }
    }
    plot.replaceChildren(...parts);
  }

  function pointEl(p, x, y, onFrontier, variant) {
    const c = svg('circle', { class: 'point' + (onFrontier ? ' on-frontier' : ''), cx: x(p.relativeBops), cy: y(p.top1),
      r: onFrontier ? 5 : 3.5, 'data-trial': p.trialId });
    c.append(svg('title', {}, p.trialId + ' (' + variant + '): top-1 ' + num(p.top1, 2) + ' %, relative BOPs '
      + num(p.relativeBops, 3) + ' %' + (p.mu !== undefined ? ', MU ' + p.mu : '')));
    return c;
  }

  function render(doc) {
    renderSummary(doc.summary);
    renderTrials(doc.trials);
    renderWorkers(doc.workers);
    renderFrontier(doc.frontier);
    renderEvents(doc.events);
  }

  // Links carry the token in a header, so they are fetched and opened as blobs rather than navigated to.
  async function openLink(ev) {
    ev.preventDefault();
    const res = await fetch(ev.target.getAttribute('data-link'), { headers: headers() });
    if (!res.ok) { setMessage((await res.json().catch(() => ({}))).error || 'HTTP ' + res.status, true); return; }
    const url = URL.createObjectURL(await res.blob());
    window.open(url, '_blank');
  }

  function connected(up) {
    const c = $('connection');
    c.textContent = up ? 'live' : 'reconnecting';
    c.className = 'conn ' + (up ? 'up' : 'down');
  }

  function askToken() {
    $('token-form').hidden = false;
    connected(false);
  }

  // Server-sent events read through fetch (EventSource cannot send the Authorization header).
  async function stream() {
    try {
      const res = await fetch('/api/stream', { headers: headers({ Accept: 'text/event-stream' }) });
      if (res.status === 401) { askToken(); return; }
      if (!res.ok || !res.body) throw new Error('HTTP ' + res.status);
      $('token-form').hidden = true;
      connected(true);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let type = 'message';
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) type = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (type === 'dashboard' && data.length) render(JSON.parse(data.join('\n')));
        }
      }
    } catch (e) {
      // the orchestrator restarted or the network dropped: try again below
    }
    connected(false);
    setTimeout(stream, 2000);
  }

  const list = (text, parse) => text.split(/[\s,]+/).filter((s) => s.length).map(parse);
  $('pause').onclick = () => post('/api/sweep/pause');
  $('resume').onclick = () => post('/api/sweep/resume');
  $('cancel-sweep').onclick = () => { if (confirm('Cancel every unfinished trial of this sweep?')) post('/api/sweep/cancel'); };
  $('extend').onsubmit = (ev) => {
    ev.preventDefault();
    const mu = list($('extend-mu').value, Number), seeds = list($('extend-seeds').value, Number);
    if (mu.some(isNaN) || seeds.some(isNaN)) { setMessage('MU values and seeds must be numbers', true); return; }
    post('/api/sweep/extend', { mu: mu, seeds: seeds });
  };
  $('token').onsubmit = (ev) => {
    ev.preventDefault();
    token = $('token-input').value.trim();
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token-form').hidden = true;
    stream();
  };
  stream();
})();
