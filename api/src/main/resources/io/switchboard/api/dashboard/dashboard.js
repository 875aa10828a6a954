// The Switchboard dashboard: one server-sent event stream, a `hello` with the recent history, then a `sample` a
// second. Everything is built with DOM calls and textContent, never from HTML strings: a project's name or a
// number is shown as text, whatever it holds.
'use strict';

const KIND_NAMES = { send: 'send', receive: 'receive', delivery_report: 'delivery report', read_report: 'read report' };
const PRIORITIES = ['urgent', 'high', 'normal', 'low'];
const STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'];
const css = getComputedStyle(document.documentElement);
const color = name => css.getPropertyValue('--' + name).trim();
const formatter = new Intl.NumberFormat();

let kinds = [];
const cards = new Map();   // number -> { chart, figures }
const projects = new Map(); // project id -> figures
let stream;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('data-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child);
  return node;
}

function figure(scope, key, label, extraClass) {
  const value = el('span', { class: 'value', 'data-figure': key, 'data-scope': scope, 'data-value': '' }, '–');
  return { box: el('div', { class: 'figure ' + (extraClass || '') }, el('span', { class: 'label' }, label), value), value };
}

function setFigure(target, value, text) {
  const raw = value === null || value === undefined ? '' : String(value);
  if (target.dataset.value === raw) return;
  target.dataset.value = raw;
  target.textContent = text !== undefined ? text : (value === null || value === undefined ? '–' : formatter.format(value));
}

function time(at) {
  return new Date(at).toLocaleTimeString([], { hour12: false });
}

function numberCard(number, points) {
  const figures = {};
  const group = (title, entries) => {
    const box = el('div', { class: 'figures' });
    for (const [key, label, cls] of entries) {
      const f = figure(number, key, label, cls);
      figures[key] = f.value;
      box.append(f.box);
    }
    return [el('p', { class: 'caption' }, title), box];
  };
  const canvas = el('canvas', { 'aria-label': 'TPS in use per kind, stacked, against the budget' });
  const title = el('h3', {}, number);
  const subtitle = el('span', { class: 'muted', 'data-figure': 'summary', 'data-scope': number });
  const card = el('article', { class: 'card', 'data-number': number }, title, subtitle,
    el('div', { class: 'chart' }, canvas),
    ...group('TPS in use now (per second)', kinds.map(k => ['tps.' + k, KIND_NAMES[k], 'kind-' + k]).concat([['tps.total', 'total of budget']])),
    ...group('Queue depth per priority', PRIORITIES.map(p => ['queue.' + p, p]).concat([['incoming_waiting', 'incoming waiting']])),
    ...group('Messages per status (reached, each counted once)', STATUSES.map(s => ['outgoing.' + s, s]).concat([['received', 'received']])),
    ...group('Budget used since the node started', kinds.map(k => ['used.' + k, KIND_NAMES[k], 'kind-' + k])));
  document.getElementById('numbers').append(card);

  const datasets = kinds.map(k => ({
    label: KIND_NAMES[k], data: [], stack: 'used', fill: true, pointRadius: 0, borderWidth: 1,
    borderColor: color(k), backgroundColor: color(k) + '99'
  }));
  datasets.push({ label: 'budget', data: [], stack: 'budget', fill: false, pointRadius: 0, borderWidth: 2,
    borderDash: [6, 4], borderColor: color('budget') });
  const chart = new Chart(canvas, {
    type: 'line',
    data: { labels: [], datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
      scales: { x: { ticks: { maxTicksLimit: 6, maxRotation: 0 } }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'TPS' } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } }
    }
  });
  const state = { chart, figures, subtitle };
  for (const point of points) addPoint(state, point);
  chart.update('none');
  cards.set(number, state);
  return state;
}

const WINDOW = 300;
function addPoint(state, point) {
  const data = state.chart.data;
  data.labels.push(time(point.at));
  point.tpsInUse.forEach((value, i) => data.datasets[i].data.push(value));
  data.datasets[kinds.length].data.push(point.tps);
  if (data.labels.length > WINDOW) {
    data.labels.shift();
    data.datasets.forEach(d => d.data.shift());
  }
}

function projectCard(id, name) {
  const figures = {};
  const box = el('div', { class: 'figures' });
  for (const [key, label] of [['backlog', 'webhook backlog'], ['dead_letters', 'dead letters'],
                              ['webhook.p50', 'webhook p50'], ['webhook.p99', 'webhook p99'],
                              ['event_webhook.p50', 'event webhook p50'], ['event_webhook.p99', 'event webhook p99']]) {
    const f = figure(id, key, label);
    figures[key] = f.value;
    box.append(f.box);
  }
  const card = el('article', { class: 'card', 'data-project': id }, el('h3', {}, name), el('span', { class: 'muted' }, 'project ' + id), box,
    el('p', { class: 'caption' }, 'Latency: from stored to the 2xx of the call, over the last minute.'));
  document.getElementById('projects').append(card);
  projects.set(id, figures);
  return figures;
}

function seconds(value) {
  if (value === null || value === undefined) return '–';
  return value < 1 ? Math.round(value * 1000) + ' ms' : value.toFixed(value < 10 ? 2 : 0) + ' s';
}

function show(sample, history) {
  for (const n of sample.numbers) {
    const state = cards.get(n.number) || numberCard(n.number, (history && history[n.number]) || []);
    const f = state.figures;
    let total = 0;
    for (const k of kinds) {
      setFigure(f['tps.' + k], n.tpsInUse[k]);
      setFigure(f['used.' + k], n.budgetUsed[k]);
      total += n.tpsInUse[k];
    }
    setFigure(f['tps.total'], Math.round(total), Math.round(total) + ' / ' + n.tps);
    for (const p of PRIORITIES) setFigure(f['queue.' + p], n.queue[p]);
    setFigure(f.incoming_waiting, n.incomingWaiting);
    for (const s of STATUSES) setFigure(f['outgoing.' + s], n.outgoing[s]);
    setFigure(f.received, n.received);
    state.subtitle.textContent = `budget ${n.tps} TPS · shards ${n.connectedShards}/${n.shards} connected · project ${n.projectId}`;
    if (!history) {
      addPoint(state, { at: sample.at, tpsInUse: kinds.map(k => n.tpsInUse[k]), tps: n.tps });
      state.chart.update('none');
    }
  }
  for (const p of sample.projects) {
    const f = projects.get(p.projectId) || projectCard(p.projectId, p.name);
    setFigure(f.backlog, p.webhookBacklog);
    setFigure(f.dead_letters, p.deadLetters);
    for (const kind of ['webhook', 'event_webhook']) {
      const latency = p.latency[kind] || {};
      setFigure(f[kind + '.p50'], latency.p50, seconds(latency.p50));
      setFigure(f[kind + '.p99'], latency.p99, seconds(latency.p99));
    }
  }
  const body = document.querySelector('#shards tbody');
  body.replaceChildren(...sample.shards.map(s => el('tr', { 'data-number': s.number, 'data-shard': String(s.shard) },
    el('td', {}, s.number), el('td', {}, `${s.shard} of ${s.shards}`), el('td', {}, s.node),
    el('td', { class: s.connected ? 'up' : 'down' }, s.connected ? 'connected' : 'disconnected'))));
  document.getElementById('empty').hidden = sample.numbers.length > 0;
  document.body.dataset.seq = String(sample.seq);
  status('live', 'live · ' + time(sample.at));
}

function status(state, text) {
  const pill = document.getElementById('status');
  pill.dataset.state = state;
  pill.textContent = text;
}

function reset() {
  for (const state of cards.values()) state.chart.destroy();
  cards.clear();
  projects.clear();
  document.getElementById('numbers').replaceChildren();
  document.getElementById('projects').replaceChildren();
}

function connect() {
  stream = new EventSource('/dashboard/stream');
  stream.addEventListener('hello', event => {
    const hello = JSON.parse(event.data);
    kinds = hello.kinds;
    document.getElementById('viewer').textContent = hello.viewer.scope === 'admin' ? 'admin: every project' : 'project ' + hello.viewer.name;
    reset(); // after a reconnect the history is sent again
    show(hello.sample, hello.history);
  });
  stream.addEventListener('sample', event => show(JSON.parse(event.data)));
  stream.onerror = () => {
    if (stream.readyState === EventSource.CLOSED) status('closed', 'disconnected: reload to log in again');
    else status('connecting', 'reconnecting…');
  };
}

connect();
