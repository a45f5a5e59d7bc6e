// Per environment: open or frozen now (and until when), what runs there since when, the last verdicts, and the
// next 30 days of freezes and holidays per region.
import { get } from './api.js';
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

async function init() {
  await initNav();
  try {
    const data = await get('/api/v1/environments');
    const cards = await Promise.all(data.environments.map(async (env) => {
      let cal = null;
      try {
        cal = await get(`/api/v1/environments/${encodeURIComponent(env.name)}/calendar?days=30`);
      } catch (e) {
        cal = { configured: true, error: e.message, regions: [] };
      }
      return el('section', { class: 'card env', id: `env-${env.name}`, 'aria-labelledby': `env-${env.name}-title` },
        el('h2', { id: `env-${env.name}-title` }, env.name),
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
