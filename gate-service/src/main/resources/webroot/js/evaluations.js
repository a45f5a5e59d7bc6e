// The live list: loads the newest evaluations matching the filters, then applies every change the server streams
// (Server-Sent Events), so a new evaluation appears and turns GO / NO_GO without a reload.
import { get } from './api.js';
import { initNav } from './nav.js';
import { badge, commit, decisionOf, duration, el, showError, time } from './ui.js';

const form = document.getElementById('filters');
const tbody = document.querySelector('#evaluations tbody');
const live = document.getElementById('live');
const empty = document.getElementById('empty');
/** Shown evaluations by id, in display order (newest first). */
let shown = new Map();

function filters() {
  const f = new FormData(form);
  return {
    environment: f.get('environment') || '',
    repository: (f.get('repository') || '').trim(),
    verdict: f.get('verdict') || '',
    limit: Number(f.get('limit') || 100),
  };
}

function matches(e, f) {
  return (!f.environment || e.environment === f.environment)
    && (!f.repository || e.repository === f.repository)
    && (!f.verdict || decisionOf(e) === f.verdict);
}

function row(e) {
  const decision = decisionOf(e);
  return el('tr', { id: `e-${e.id}`, dataset: { id: e.id, decision } },
    el('td', { 'data-label': 'Requested' }, time(e.requestedAt)),
    el('td', { 'data-label': 'Repository' }, el('a', { href: `/evaluations/${encodeURIComponent(e.id)}` }, e.repository)),
    el('td', { 'data-label': 'Environment' }, e.environment),
    el('td', { 'data-label': 'Commit' }, commit(e.candidate)),
    el('td', { 'data-label': 'Author' }, e.requestedBy || '—'),
    el('td', { 'data-label': 'Verdict', class: 'verdict' }, badge(decision, e.verdict && e.verdict.held)),
    el('td', { 'data-label': 'Duration' }, e.verdict ? duration(e.verdict.durationMs) : '—'));
}

function render(list) {
  shown = new Map(list.map((e) => [e.id, e]));
  tbody.replaceChildren(...list.map(row));
  empty.hidden = list.length > 0;
}

/** Applies one streamed change: replace the row in place, or insert it where its request time puts it. */
function apply(e) {
  const f = filters();
  const existing = document.getElementById(`e-${e.id}`);
  if (!matches(e, f)) {
    if (existing) {
      existing.remove();
      shown.delete(e.id);
    }
    return;
  }
  shown.set(e.id, e);
  const next = row(e);
  if (existing) {
    existing.replaceWith(next);
  } else {
    const after = [...tbody.rows].find((r) => (shown.get(r.dataset.id)?.requestedAt || '') < (e.requestedAt || ''));
    tbody.insertBefore(next, after || null);
    while (tbody.rows.length > f.limit) {
      const last = tbody.rows[tbody.rows.length - 1];
      shown.delete(last.dataset.id);
      last.remove();
    }
  }
  empty.hidden = tbody.rows.length > 0;
}

async function load() {
  const f = filters();
  const q = new URLSearchParams({ limit: String(f.limit) });
  for (const k of ['environment', 'repository', 'verdict']) {
    if (f[k]) {
      q.set(k, f[k]);
    }
  }
  history.replaceState(null, '', `/?${q}`);
  try {
    const page = await get(`/api/v1/evaluations?${q}`);
    render(page.items);
    showError('');
  } catch (e) {
    showError(`Could not load the evaluations: ${e.message}`);
  }
}

function connect() {
  const source = new EventSource('/api/v1/events');
  // Subscribe first, then load: a change that happens while the list loads is applied after it.
  source.addEventListener('open', () => {
    live.textContent = 'live';
    live.className = 'live on';
    load();
  });
  source.addEventListener('evaluation', (m) => apply(JSON.parse(m.data)));
  source.addEventListener('error', () => {
    live.textContent = 'reconnecting…';
    live.className = 'live off';
  });
}

async function init() {
  await initNav();
  const params = new URLSearchParams(location.search);
  try {
    const envs = await get('/api/v1/environments');
    const select = document.getElementById('f-environment');
    for (const e of envs.environments) {
      select.append(el('option', { value: e.name }, e.name));
    }
  } catch (e) {
    // the filter still works as "any"
  }
  for (const k of ['environment', 'repository', 'verdict', 'limit']) {
    if (params.get(k) && form.elements[k]) {
      form.elements[k].value = params.get(k);
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  connect();
}

init();
