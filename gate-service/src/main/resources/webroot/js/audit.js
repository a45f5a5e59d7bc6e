// The audit log: verdicts, override votes with approvers and reasons, refused clicks and bypasses; filters in the
// address bar, so a filtered view can be shared, and the export links carry the same filters.
import { get } from './api.js';
import { initNav } from './nav.js';
import { badge, commit, el, showError, time } from './ui.js';

const form = document.getElementById('filters');
const tbody = document.querySelector('#audit tbody');
const empty = document.getElementById('empty');
const FIELDS = ['kind', 'environment', 'repository', 'actor', 'since', 'until'];
const LABELS = {
  VERDICT: 'verdict', OVERRIDE_APPROVED: 'override approved', OVERRIDE_REJECTED: 'override rejected',
  OVERRIDE_DENIED: 'override refused', OVERRIDE_REQUESTED: 'override form opened', OVERRIDE_WITHDRAWN: 'vote withdrawn', GATE_BYPASSED: 'gate bypassed',
  CONFIG_CHANGED: 'policy changed',
};

function query() {
  const f = new FormData(form);
  const q = new URLSearchParams();
  for (const k of FIELDS) {
    let v = (f.get(k) || '').trim();
    if (!v) {
      continue;
    }
    if (k === 'since' || k === 'until') {
      // A date means the whole day: since its start, until the end of it (UTC).
      const d = new Date(`${v}T00:00:00Z`);
      v = new Date(k === 'until' ? d.getTime() + 24 * 3600 * 1000 : d.getTime()).toISOString();
    }
    q.set(k, v);
  }
  return q;
}

function row(a) {
  return el('tr', { class: `audit ${a.kind.toLowerCase()}` },
    el('td', { 'data-label': 'When' }, time(a.at)),
    el('td', { 'data-label': 'What' }, LABELS[a.kind] || a.kind, a.decision ? ' ' : '', a.decision ? badge(a.decision) : ''),
    el('td', { 'data-label': 'Repository' }, a.repository, ' ', commit(a.commit)),
    el('td', { 'data-label': 'Environment' }, a.environment),
    el('td', { 'data-label': 'Evaluation' }, !a.evaluationId ? '—'
      // A policy change names the policy version ("config:<version>"), not an evaluation.
      : a.kind === 'CONFIG_CHANGED' ? a.evaluationId
        : el('a', { href: `/evaluations/${encodeURIComponent(a.evaluationId)}` }, a.evaluationId.slice(0, 8))),
    el('td', { 'data-label': 'Who' }, a.actor || '—'),
    el('td', { 'data-label': 'Detail', class: 'detail' }, a.detail || ''));
}

async function load() {
  const q = query();
  const formFields = new URLSearchParams();
  for (const k of FIELDS) {
    const v = (new FormData(form).get(k) || '').trim();
    if (v) {
      formFields.set(k, v);
    }
  }
  history.replaceState(null, '', `/audit${formFields.toString() ? `?${formFields}` : ''}`);
  document.getElementById('export-csv').href = `/api/v1/audit?${new URLSearchParams([...q, ['format', 'csv'], ['limit', '5000']])}`;
  document.getElementById('export-json').href = `/api/v1/audit?${new URLSearchParams([...q, ['format', 'json'], ['limit', '5000']])}`;
  try {
    const page = await get(`/api/v1/audit?${q}`);
    tbody.replaceChildren(...page.items.map(row));
    empty.hidden = page.items.length > 0;
    showError('');
  } catch (e) {
    showError(`Could not load the audit log: ${e.message}`);
  }
}

async function init() {
  await initNav();
  const params = new URLSearchParams(location.search);
  for (const k of FIELDS) {
    if (params.get(k)) {
      form.elements[k].value = params.get(k);
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  load();
}

init();
