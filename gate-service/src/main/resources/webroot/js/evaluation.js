// One evaluation: what was asked, the timeline (requested -> each probe -> verdict -> overrides), every finding with
// its rule's docs, and for approvers the override form. Updates live while the evaluation runs.
import { ApiError, get, post } from './api.js';
import { initNav } from './nav.js';
import { badge, commit, decisionOf, duration, el, showError, time } from './ui.js';

const id = decodeURIComponent(location.pathname.split('/').pop());
const root = document.getElementById('evaluation');
let me = null;
let lastOverrideMessage = null;
/** The last evaluation drawn, and whether the caller may vote on it ({key, allowed, reason}: the server's answer). */
let latest = null;
let eligibility = null;

function summary(e) {
  const decision = decisionOf(e);
  const v = e.verdict;
  return el('section', { id: 'summary', class: 'summary', 'aria-labelledby': 'title' },
    el('h1', { id: 'title' }, badge(decision, v && v.held), ' ', e.repository),
    el('dl', { class: 'facts' },
      el('dt', {}, 'Environment'), el('dd', {}, e.environment),
      el('dt', {}, 'Commit'), el('dd', {}, commit(e.candidate)),
      el('dt', {}, 'Baseline'), el('dd', {}, e.baseline ? commit(e.baseline) : 'none (first deploy: the whole tree)',
        e.untrustedBaseline ? el('span', { id: 'untrusted-baseline', class: 'muted' }, ' instead of ', commit(e.untrustedBaseline),
          ', which Tollgate never decided GO for here') : null),
      el('dt', {}, 'Author'), el('dd', {}, e.requestedBy || '—'),
      el('dt', {}, 'Source'), el('dd', {}, e.source || '—'),
      el('dt', {}, 'Tenant'), el('dd', {}, e.tenant),
      el('dt', {}, 'Evaluation'), el('dd', {}, el('code', {}, e.id)),
      v ? el('dt', {}, 'Attestation') : null, v ? el('dd', {}, attestationLink(e)) : null),
    v && v.reasons.length ? el('div', { class: 'reasons' }, el('h2', {}, 'Why'),
      el('ul', { id: 'reasons' }, v.reasons.map((r) => el('li', {}, r.message)))) : null,
    v && v.held && v.retryAt ? el('p', { class: 'held' }, 'Held: decided again at ', time(v.retryAt), '.') : null);
}

/** The verdict's signed in-toto attestation (DSSE envelope); waits briefly when the verdict was signed a moment ago. */
function attestationLink(e) {
  const rev = e.verdict.revision;
  return el('a', {
    id: 'attestation', download: `tollgate-${e.id}-r${rev}.intoto.json`,
    href: `/api/v1/evaluations/${encodeURIComponent(e.id)}/attestation?revision=${rev}&waitSeconds=10`,
  }, `Download signed attestation (revision ${rev})`);
}

function timeline(e) {
  const items = [el('li', {}, time(e.requestedAt), ' requested by ', e.requestedBy || 'unknown')];
  const probes = [...e.probes].sort((a, b) => (a.completedAt || '9999') < (b.completedAt || '9999') ? -1 : 1);
  for (const p of probes) {
    items.push(el('li', { class: `probe ${p.status.toLowerCase()}` },
      p.completedAt ? time(p.completedAt) : el('span', { class: 'muted' }, 'waiting'), ' ',
      el('strong', {}, p.probe), ' ', el('span', { class: 'status' }, p.status),
      p.durationMs !== null && p.durationMs !== undefined ? ` in ${duration(p.durationMs)}` : '',
      p.worker ? ` on ${p.worker}` : '', p.required === false ? ' (optional)' : '',
      p.reason ? el('div', { class: 'muted' }, p.reason) : null));
  }
  if (e.verdict) {
    items.push(el('li', { class: 'verdict' }, time(e.verdict.decidedAt), ' verdict ', badge(e.verdict.decision, e.verdict.held),
      e.verdict.revision > 1 ? ` (revision ${e.verdict.revision})` : '', ` after ${duration(e.verdict.durationMs)}`));
  }
  for (const o of e.votes || []) {
    const approve = o.decision === 'APPROVE';
    items.push(el('li', { class: 'override' }, time(o.recordedAt), approve ? ' override approved by ' : ' deploy rejected by ',
      el('strong', {}, o.voter), o.revision > 0 ? ` (revision ${o.revision})` : '', ': ', el('q', {}, o.reason),
      approve && o.expiresAt ? el('span', { class: 'muted' }, ' (valid until ', time(o.expiresAt), ')') : null));
  }
  return el('section', { id: 'timeline-section', 'aria-labelledby': 'timeline-title' }, el('h2', { id: 'timeline-title' }, 'Timeline'),
    el('ol', { class: 'timeline', id: 'timeline' }, items));
}

function findings(e) {
  const withFindings = e.probes.filter((p) => p.findings.length);
  const section = el('section', { id: 'findings-section', 'aria-labelledby': 'findings-title' }, el('h2', { id: 'findings-title' }, 'Findings'));
  if (!withFindings.length) {
    section.append(el('p', { class: 'muted' }, e.verdict ? 'No findings.' : 'No findings yet.'));
    return section;
  }
  for (const p of withFindings) {
    const rows = p.findings.map((f) => el('tr', { class: `finding ${f.severity.toLowerCase()}` },
      el('td', { 'data-label': 'Severity' }, f.severity),
      el('td', { 'data-label': 'Rule' }, el('a', { href: `/rules/${f.ruleId}`, class: 'rule' }, f.ruleId)),
      el('td', { 'data-label': 'Where' }, f.file ? el('code', { class: 'where' }, f.line > 0 ? `${f.file}:${f.line}` : f.file) : '—'),
      el('td', { 'data-label': 'Problem' }, f.message),
      el('td', { 'data-label': 'Fix' }, f.fix || '—')));
    // Element.append writes null as the text "null": append only what there is.
    section.append(...[el('h3', {}, p.probe),
      el('table', { class: 'list findings' },
        el('thead', {}, el('tr', {}, ['Severity', 'Rule', 'Where', 'Problem', 'Fix'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, rows)),
      p.findingsTruncated ? el('p', { class: 'muted' }, 'More findings were cut off; the probe reports at most its limit.') : null]
      .filter((n) => n !== null));
  }
  return section;
}

/**
 * Shows the outcome of a vote. The live stream may have redrawn the page (the verdict turned OVERRIDDEN) before the
 * vote's own answer arrived, taking the form away: then the outcome goes under the summary.
 */
function overrideStatus(text, cls) {
  let p = document.getElementById('override-status');
  if (!p) {
    p = el('p', { id: 'override-status', role: 'status' });
    document.getElementById('summary').after(p);
  }
  p.textContent = text;
  p.className = cls;
}

/** What the server says of the caller voting on this revision now; asked again when the revision or the votes change. */
function askEligibility(e) {
  const key = `${e.verdict.revision}/${(e.votes || []).map((v) => `${v.voter}:${v.decision}:${v.revision}`).join(',')}`;
  if (eligibility && eligibility.key === key) {
    return eligibility;
  }
  if (!eligibility || eligibility.asking !== key) {
    eligibility = { key: null, asking: key };
    get(`/api/v1/evaluations/${encodeURIComponent(e.id)}/overrides`)
      .then((r) => ({ key, allowed: r.allowed, reason: r.reason }))
      .catch((err) => ({ key, allowed: false, reason: `the gate could not say (${err.message})` }))
      .then((answer) => {
        eligibility = answer;
        if (latest) {
          render(latest);
        }
      });
  }
  return null;
}

/** The signed-in person's standing vote on this verdict revision, if any (one vote per person per revision). */
function myVote(e) {
  const name = (me.name || '').toLowerCase();
  return (e.votes || []).find((v) => v.voter.toLowerCase() === name
    && (v.revision === e.verdict.revision || v.revision === 0));
}

/** Once someone voted, the form gives way to their vote and a button to take it back (then they may vote again). */
function withdrawForm(e, vote) {
  const status = el('p', { id: 'override-status', role: 'status', 'aria-live': 'polite' }, lastOverrideMessage || '');
  const form = el('form', { id: 'withdraw', class: 'override' },
    el('input', { type: 'hidden', name: 'csrf', value: me.csrfToken || '' }),
    el('p', { id: 'my-vote' }, `You ${vote.decision === 'APPROVE' ? 'approved the override' : 'rejected the deploy'}`
      + ` (revision ${e.verdict.revision}): `, el('q', {}, vote.reason)),
    el('button', { type: 'submit', id: 'withdraw-submit' }, 'Withdraw my vote'),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await post(`/api/v1/evaluations/${encodeURIComponent(e.id)}/overrides`, { decision: 'withdraw' },
        new FormData(form).get('csrf'));
      lastOverrideMessage = 'Withdrawn: you may vote again.';
      overrideStatus(lastOverrideMessage, 'ok');
    } catch (err) {
      overrideStatus(err instanceof ApiError ? `Refused (${err.status}): ${err.message}` : `Failed: ${err.message}`, 'error');
    }
  });
  return el('section', { id: 'override-section', 'aria-labelledby': 'override-title' }, el('h2', { id: 'override-title' }, 'Override'), form);
}

/**
 * For a NO_GO: the caller's own vote with a button to take it back; else the approve/reject form when the caller's
 * vote would count, else why not (a secret nobody may override, no approvers configured, the caller's role...). The
 * server judges every vote anyway.
 */
function overrideForm(e) {
  if (!e.verdict || e.verdict.decision !== 'NO_GO') {
    // The vote's outcome stays readable after the form is gone (the verdict changed to OVERRIDDEN).
    return lastOverrideMessage ? el('p', { id: 'override-status', role: 'status', class: 'ok' }, lastOverrideMessage) : null;
  }
  const vote = myVote(e);
  if (vote) {
    return withdrawForm(e, vote);
  }
  const may = askEligibility(e);
  if (!may) {
    return null;
  }
  if (!may.allowed) {
    return el('section', { id: 'override-section', 'aria-labelledby': 'override-title' }, el('h2', { id: 'override-title' }, 'Override'),
      el('p', { id: 'override-unavailable', class: 'muted' }, `Override not possible: ${may.reason}.`),
      lastOverrideMessage ? el('p', { id: 'override-status', role: 'status', class: 'ok' }, lastOverrideMessage) : null);
  }
  const status = el('p', { id: 'override-status', role: 'status', 'aria-live': 'polite' }, lastOverrideMessage || '');
  const form = el('form', { id: 'override', class: 'override' },
    el('input', { type: 'hidden', name: 'csrf', value: me.csrfToken || '' }),
    el('fieldset', {}, el('legend', {}, 'Decision'),
      el('label', {}, el('input', { type: 'radio', name: 'decision', value: 'approve', checked: true }), ' Approve the override'),
      el('label', {}, el('input', { type: 'radio', name: 'decision', value: 'reject' }), ' Reject the deploy')),
    el('label', { for: 'override-reason' }, 'Reason (10 to 500 characters, kept in the audit log)'),
    el('textarea', { id: 'override-reason', name: 'reason', required: true, minlength: 10, maxlength: 500, rows: 3 }),
    el('button', { type: 'submit', id: 'override-submit' }, 'Submit'),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      const r = await post(`/api/v1/evaluations/${encodeURIComponent(e.id)}/overrides`,
        { decision: data.get('decision'), reason: data.get('reason') }, data.get('csrf'));
      lastOverrideMessage = r.status === 'rejected' ? 'Rejected: the NO_GO stands.'
        : r.status === 'overridden' ? `Overridden (${r.votes} of ${r.required} approvals).`
          : `Counted: ${r.votes} of ${r.required} approvals.`;
      overrideStatus(lastOverrideMessage, 'ok');
    } catch (err) {
      overrideStatus(err instanceof ApiError ? `Refused (${err.status}): ${err.message}` : `Failed: ${err.message}`, 'error');
    }
  });
  return el('section', { id: 'override-section', 'aria-labelledby': 'override-title' }, el('h2', { id: 'override-title' }, 'Override'), form);
}

function render(e) {
  if (!e.repository) {
    // Accepted a moment ago: the gate knows the id but has not read the request back yet; the stream brings it.
    root.replaceChildren(el('p', { class: 'muted', role: 'status' }, `Evaluation ${e.id} is starting…`));
    return;
  }
  latest = e;
  document.title = `${decisionOf(e)} ${e.repository} → ${e.environment} · Tollgate`;
  // Only someone typing a reason keeps the form (after a click on Submit the page may show their vote instead).
  const typing = document.activeElement && document.activeElement.id === 'override-reason';
  if (typing && e.verdict && e.verdict.decision === 'NO_GO') {
    // Do not yank the form away from someone typing a reason: redraw everything around it.
    for (const [sectionId, fresh] of [['summary', summary(e)], ['timeline-section', timeline(e)],
      ['findings-section', findings(e)]]) {
      document.getElementById(sectionId).replaceWith(fresh);
    }
    return;
  }
  root.replaceChildren(summary(e), overrideForm(e) || '', timeline(e), findings(e));
}

async function load() {
  try {
    render(await get(`/api/v1/evaluations/${encodeURIComponent(id)}`));
    showError('');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      root.replaceChildren();
      showError('No such evaluation, or it belongs to a tenant you cannot see.');
    } else {
      showError(`Could not load the evaluation: ${err.message}`);
    }
  }
}

async function init() {
  me = await initNav();
  const source = new EventSource(`/api/v1/events?evaluation=${encodeURIComponent(id)}`);
  source.addEventListener('open', load);
  source.addEventListener('evaluation', (m) => render(JSON.parse(m.data)));
}

init();
