// Per environment: open or frozen now (and until when), what runs there since when, the last verdicts, and the
// next 30 days of freezes and holidays per region.
import { canApprove, del, get, post, session } from './api.js';
import { initNav } from './nav.js';
import { badge, commit, el, localDate, showError, time } from './ui.js';

const root = document.getElementById('environments');
const DAY = 24 * 3600 * 1000;

function status(c) {
  if (!c.configured) {
    return el('p', { class: 'cal-status muted' }, 'No calendar is configured for this gate.');
  }
  if (c.error) {
    return el('p', { class: 'cal-status frozen', role: 'status' }, 'Blocked: the calendar policy cannot be read: ', c.error);
  }
  if (c.allowed) {
    return el('p', { class: 'cal-status open' }, 'Open for deploys now.');
  }
  return el('div', { class: 'cal-status frozen' },
    el('p', {}, el('strong', {}, 'Frozen now. '), 'Next allowed: ', c.nextAllowed ? time(c.nextAllowed) : 'unknown', '.'),
    el('ul', {}, c.blocking.map((w) => el('li', {}, `${w.kind} “${w.name}”`, w.region ? ` (${w.region})` : '',
      ' until ', w.end ? time(w.end) : 'unknown'))));
}

function deployed(list) {
  if (!list.length) {
    return el('p', { class: 'muted' }, 'No deploy recorded yet.');
  }
  return el('table', { class: 'list compact' },
    el('thead', {}, el('tr', {}, ['Repository', 'Commit', 'Since'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, list.map((d) => el('tr', {},
      el('td', { 'data-label': 'Repository' }, d.repository),
      el('td', { 'data-label': 'Commit' }, commit(d.commit)),
      el('td', { 'data-label': 'Since' }, time(d.since))))));
}

function verdicts(list) {
  if (!list.length) {
    return el('p', { class: 'muted' }, 'No verdicts yet.');
  }
  return el('ul', { class: 'verdicts' }, list.map((v) => el('li', {}, badge(v.decision, v.held), ' ',
    el('a', { href: `/evaluations/${encodeURIComponent(v.id)}` }, v.repository), ' ', commit(v.candidate), ' ', time(v.decidedAt))));
}

/**
 * A month-like grid of the coming days per region; a blocked day is marked and names its windows. Days are the
 * region's own calendar days (its windows' zone): a holiday in Berlin marks Dec 25, not the UTC hours it spans.
 */
function calendar(cal) {
  const section = el('div', { class: 'calendar' }, el('h3', {}, `Next ${Math.round((new Date(cal.to) - new Date(cal.from)) / DAY)} days`));
  if (!cal.configured) {
    return null;
  }
  if (cal.error) {
    section.append(el('p', { class: 'error' }, cal.error));
    return section;
  }
  if (!cal.regions.length) {
    section.append(el('p', { class: 'muted' }, 'No freezes or holidays in this period.'));
    return section;
  }
  const from = new Date(cal.from).getTime();
  const days = Math.round((new Date(cal.to).getTime() - from) / DAY);
  for (const r of cal.regions) {
    const cells = [];
    const spans = r.windows.map((w) => ({
      w,
      first: localDate(new Date(w.start).getTime(), w.zone),
      last: w.end ? localDate(new Date(w.end).getTime() - 1, w.zone) : '9999-12-31',
    }));
    for (let i = 0; i < days; i++) {
      const start = from + i * DAY;
      const day = localDate(start, 'UTC');
      const hits = spans.filter((s) => s.first <= day && day <= s.last).map((s) => s.w);
      const date = new Date(start);
      const label = date.toLocaleDateString(undefined, { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' });
      const what = hits.map((w) => `${w.kind}: ${w.name}`).join('; ');
      cells.push(el('li', { class: hits.length ? `day blocked ${hits[0].kind}` : 'day', title: what ? `${label}: ${what}` : label },
        el('span', { class: 'visually-hidden' }, what ? `${label}: ${what}` : `${label}: open`),
        el('span', { 'aria-hidden': 'true' }, String(date.getUTCDate()))));
    }
    section.append(el('h4', {}, r.region || 'All regions (freezes, business hours)'),
      el('ol', { class: 'days' }, cells),
      el('ul', { class: 'windows' }, r.windows.map((w) => el('li', {}, el('span', { class: `kind ${w.kind}` }, w.kind), ' ',
        w.name, ': ', time(w.start, w.zone), ' – ', w.end ? time(w.end, w.zone) : 'unknown'))));
  }
  return section;
}

/**
 * The environment's locks (a banner: who, why, until when) and its queue; a lock form for approvers and an unlock
 * button for the holder (an administrator breaks with a reason). The server decides again on every request.
 */
function locks(env, q, me, reload) {
  const box = el('div', { class: 'locks' });
  for (const l of q.locks) {
    const banner = el('div', { class: 'lock-banner', role: 'status' },
      el('p', {}, el('strong', {}, `Locked${l.repository ? ` (${l.repository})` : ''} by ${l.holder}: `), l.reason,
        ` — ${l.kind === 'DEPLOY' ? 'only their deploys pass' : 'nobody deploys'}, since `, time(l.since), ' until ', time(l.expiresAt), '.'));
    // The holder is an identity (a token, a Slack member, ...), never a name: a session is its token's.
    const mine = !!(me && l.holderId && l.holderId.kind === 'TOKEN' && l.holderId.id === me.name);
    if (mine || (me && me.role === 'admin')) {
      const reason = el('input', { type: 'text', name: 'reason', minlength: '10', maxlength: '500', placeholder: 'why you break it',
        'aria-label': 'Why you break the lock' });
      const button = el('button', { type: 'submit' }, mine ? 'Unlock' : 'Break lock');
      const form = el('form', { class: 'unlock' }, mine ? '' : reason, button);
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        try {
          // The lock this page shows, by id: if it was replaced meanwhile, the gate refuses (409) rather than end the new one.
          await del(`/api/v1/environments/${encodeURIComponent(env)}/lock`, Object.assign({ lockId: l.lockId },
            mine ? {} : { reason: reason.value }, l.repository ? { repository: l.repository } : {}), me.csrfToken);
          reload();
        } catch (e) {
          showError(`Could not unlock ${env}: ${e.message}`);
        }
      });
      banner.append(form);
    }
    box.append(banner);
  }
  if (!q.locks.some((l) => !l.repository) && canApprove(me)) {
    const reason = el('input', { type: 'text', name: 'reason', required: '', minlength: '10', maxlength: '500',
      placeholder: 'why (10-500 characters)', 'aria-label': `Why you lock ${env}` });
    const hours = el('input', { type: 'text', name: 'for', value: '4h', size: '4', 'aria-label': 'For how long' });
    const form = el('form', { class: 'lock' }, reason, ' for ', hours, ' ', el('button', { type: 'submit' }, `Lock ${env}`));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await post(`/api/v1/environments/${encodeURIComponent(env)}/lock`, { reason: reason.value, for: hours.value }, me.csrfToken);
        reload();
      } catch (e) {
        showError(`Could not lock ${env}: ${e.message}`);
      }
    });
    box.append(form);
  }
  const entry = (e) => el('li', {}, el('a', { href: `/evaluations/${encodeURIComponent(e.evaluationId)}` }, e.repository), ' ',
    commit(e.commit), ' by ', e.submittedBy || 'unknown', ', since ', time(e.since));
  if (q.maxInFlight > 0 || q.inFlight.length || q.queue.length || q.locked.length) {
    box.append(el('h3', {}, 'Queue'),
      el('p', { class: 'muted' }, q.maxInFlight > 0 ? `At most ${q.maxInFlight} deploy(s) in flight.` : 'No queue: locks only.'),
      q.inFlight.length ? el('p', {}, 'In flight:') : '', q.inFlight.length ? el('ul', { class: 'in-flight' }, q.inFlight.map(entry)) : '',
      q.queue.length ? el('p', {}, 'Waiting, in order:') : '', q.queue.length ? el('ol', { class: 'queue' }, q.queue.map(entry)) : '',
      q.locked.length ? el('p', {}, 'Held by a lock:') : '', q.locked.length ? el('ul', { class: 'held' }, q.locked.map(entry)) : '');
  }
  return box;
}

async function init() {
  await initNav();
  const me = await session().catch(() => null);
  try {
    const data = await get('/api/v1/environments');
    const cards = await Promise.all(data.environments.map(async (env) => {
      let cal = null;
      try {
        cal = await get(`/api/v1/environments/${encodeURIComponent(env.name)}/calendar?days=30`);
      } catch (e) {
        cal = { configured: true, error: e.message, regions: [] };
      }
      let q = { locks: [], inFlight: [], queue: [], locked: [], maxInFlight: 0 };
      try {
        q = await get(`/api/v1/environments/${encodeURIComponent(env.name)}/queue`);
      } catch (e) {
        showError(`Could not load the lock and queue of ${env.name}: ${e.message}`);
      }
      return el('section', { class: 'card env', id: `env-${env.name}`, 'aria-labelledby': `env-${env.name}-title` },
        el('h2', { id: `env-${env.name}-title` }, env.name),
        locks(env.name, q, me, () => init()),
        status(env.calendar),
        el('h3', {}, 'Deployed now'), deployed(env.deployed),
        el('h3', {}, 'Last verdicts'), verdicts(env.lastVerdicts),
        calendar(cal));
    }));
    root.replaceChildren(...cards);
    if (!cards.length) {
      root.append(el('p', { class: 'muted' }, 'No environments are configured.'));
    }
  } catch (e) {
    showError(`Could not load the environments: ${e.message}`);
  }
}

init();
