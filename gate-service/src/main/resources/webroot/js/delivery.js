// Delivery: the four DORA keys per environment and what the gate does (verdicts, blockers, holds, overrides), over
// 7, 30 or 90 UTC days, for the caller's tenants. Every figure links to its definition; every chart has its table.
import { get } from './api.js';
import { barChart } from './charts.js';
import { initNav } from './nav.js';
import { el, showError } from './ui.js';

const DOCS = '/docs/delivery-metrics';
const DEF = {
  frequency: `${DOCS}#deployment-frequency`,
  lead: `${DOCS}#lead-time-for-changes`,
  cfr: `${DOCS}#change-failure-rate`,
  ttr: `${DOCS}#time-to-restore`,
  gate: `${DOCS}#gate-metrics`,
  days: `${DOCS}#days-weeks-and-periods`,
};

/** A duration in seconds for people: "45 s", "12 min", "3.2 h", "2.5 d"; "—" when nothing was measured. */
export function dur(seconds) {
  if (seconds === null || seconds === undefined) {
    return '—';
  }
  // Thresholds on the rounded value: 3,590 s reads "1.0 h", not "60 min".
  if (Math.round(seconds) < 60) {
    return `${Math.round(seconds)} s`;
  }
  if (Math.round(seconds / 60) < 60) {
    return `${Math.round(seconds / 60)} min`;
  }
  if (seconds < 86400 * 2) {
    return `${(seconds / 3600).toFixed(1)} h`;
  }
  return `${(seconds / 86400).toFixed(1)} d`;
}

function pct(rate) {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)} %`;
}

function num(v) {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/** A figure with its name linked to the definition. */
function fact(name, href, value, key) {
  return [el('dt', {}, el('a', { href }, name)), el('dd', { 'data-figure': key }, value)];
}

function summary(report, selected, params) {
  const rows = report.environments.map((e) => el('tr', { 'data-environment': e.environment,
    class: e.environment === selected ? 'selected' : null },
  el('th', { scope: 'row' }, el('a', { href: `/delivery?${new URLSearchParams({ ...params, env: e.environment })}`,
    'aria-current': e.environment === selected ? 'true' : null }, e.environment)),
  el('td', { 'data-label': 'Deploys per day', 'data-figure': 'perDay' }, num(e.deployments.perDay)),
  el('td', { 'data-label': 'Lead time (median)', 'data-figure': 'leadMedian' }, dur(e.leadTime.medianSeconds)),
  el('td', { 'data-label': 'Lead time (p90)', 'data-figure': 'leadP90' }, dur(e.leadTime.p90Seconds)),
  el('td', { 'data-label': 'Change failure rate', 'data-figure': 'cfr' }, pct(e.changeFailures.rate)),
  el('td', { 'data-label': 'Time to restore (median)', 'data-figure': 'ttr' }, dur(e.timeToRestore.medianSeconds))));
  return el('table', { class: 'list', id: 'keys' },
    el('caption', {}, `The four keys, last ${report.days} days (${report.from} to ${report.to}, UTC)`),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'Environment'),
      el('th', { scope: 'col' }, el('a', { href: DEF.frequency }, 'Deploys per day')),
      el('th', { scope: 'col' }, el('a', { href: DEF.lead }, 'Lead time (median)')),
      el('th', { scope: 'col' }, el('a', { href: DEF.lead }, 'Lead time (p90)')),
      el('th', { scope: 'col' }, el('a', { href: DEF.cfr }, 'Change failure rate')),
      el('th', { scope: 'col' }, el('a', { href: DEF.ttr }, 'Time to restore (median)')))),
    el('tbody', {}, rows));
}

/** Daily bars up to 31 days, weekly beyond (a 90-day chart of 90 thin bars reads worse than 13 weeks). */
function frequencyChart(e, days) {
  const weekly = days > 31;
  const rows = weekly ? e.weekly : e.daily;
  return barChart({
    id: 'chart-frequency',
    title: `Deploys per ${weekly ? 'week' : 'day'}`,
    labelName: weekly ? 'Week' : 'Day (UTC)',
    labels: rows.map((r) => (weekly ? r.week : r.date.slice(5))),
    series: [
      { name: 'succeeded', cls: 's-go', values: rows.map((r) => r.deploys) },
      { name: 'failed', cls: 's-nogo', values: rows.map((r) => r.failedDeploys) },
    ],
    format: num,
    definition: DEF.frequency,
  });
}

function weeklyChart(e, id, title, values, format, definition, max) {
  return barChart({ id, title, labelName: 'Week', labels: e.weekly.map((w) => w.week),
    series: [{ name: title, cls: 's-accent', values: e.weekly.map(values) }], format, definition, max,
    unit: format === dur ? durationUnit(Math.max(0, ...e.weekly.map(values).filter((v) => v !== null))) : undefined });
}

/** The unit a duration axis counts in, so its ticks are round: 15 min, 2 h, 3 d rather than 42 min or 2.8 h. */
function durationUnit(max) {
  return max >= 2 * 86400 ? 86400 : max >= 3600 ? 3600 : max >= 60 ? 60 : 1;
}

function verdictChart(e) {
  return barChart({
    id: 'chart-verdicts',
    title: 'Verdicts per week',
    labelName: 'Week',
    labels: e.weekly.map((w) => w.week),
    series: [
      { name: 'GO', cls: 's-go', values: e.weekly.map((w) => w.go) },
      { name: 'NO_GO', cls: 's-nogo', values: e.weekly.map((w) => w.noGo) },
      { name: 'OVERRIDDEN', cls: 's-over', values: e.weekly.map((w) => w.overridden) },
      { name: 'held', cls: 's-held', values: e.weekly.map((w) => w.held) },
    ],
    format: num,
    definition: DEF.gate,
  });
}

function list(id, caption, headers, rows, empty) {
  if (!rows.length) {
    return el('p', { class: 'muted', id }, empty);
  }
  return el('table', { class: 'list compact', id },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c, i) => el('td', { 'data-label': headers[i] }, c))))));
}

function detail(e, report) {
  const d = e.deployments;
  const l = e.leadTime;
  const c = e.changeFailures;
  const t = e.timeToRestore;
  const g = e.gate;
  return el('section', { class: 'card', id: 'detail', 'aria-labelledby': 'detail-title', 'data-environment': e.environment },
    el('h2', { id: 'detail-title' }, e.environment),
    el('div', { class: 'keys' },
      el('section', { class: 'key' }, el('h3', {}, 'Deployment frequency'),
        el('dl', { class: 'facts' },
          fact('Deploys', DEF.frequency, String(d.deploys), 'deploys'),
          fact('Per day', DEF.frequency, num(d.perDay), 'perDay'),
          fact('Per week', DEF.frequency, num(d.perWeek), 'perWeek'),
          fact('Failed', DEF.frequency, String(d.failedDeploys), 'failedDeploys'),
          fact('Unfinished', DEF.frequency, String(d.unfinished), 'unfinished')),
        frequencyChart(e, report.days)),
      el('section', { class: 'key' }, el('h3', {}, 'Lead time for changes'),
        el('dl', { class: 'facts' },
          fact('Median', DEF.lead, dur(l.medianSeconds), 'leadMedian'),
          fact('90th percentile', DEF.lead, dur(l.p90Seconds), 'leadP90'),
          fact('Deploys measured', DEF.lead, String(l.count), 'leadCount'),
          fact('Unknown', DEF.lead, String(l.unknown), 'leadUnknown'),
          fact('Lower bounds', DEF.lead, String(l.lowerBounds), 'leadLowerBounds')),
        weeklyChart(e, 'chart-lead', 'Lead time, median per week', (w) => w.leadTimeMedianSeconds, dur, DEF.lead)),
      el('section', { class: 'key' }, el('h3', {}, 'Change failure rate'),
        el('dl', { class: 'facts' },
          fact('Rate', DEF.cfr, pct(c.rate), 'cfr'),
          fact('Failed changes', DEF.cfr, `${c.failures} of ${c.deploys}`, 'failures'),
          fact('Failed deploys', DEF.cfr, String(c.failedDeploys), 'cfrFailed'),
          fact('Rolled back', DEF.cfr, String(c.rolledBack), 'rolledBack'),
          fact('Hotfixed', DEF.cfr, String(c.hotfixed), 'hotfixed'),
          fact('Window', DEF.cfr, dur(report.failureWindowSeconds), 'window')),
        weeklyChart(e, 'chart-cfr', 'Change failure rate per week', (w) => w.changeFailureRate, pct, DEF.cfr, 1)),
      el('section', { class: 'key' }, el('h3', {}, 'Time to restore'),
        el('dl', { class: 'facts' },
          fact('Median', DEF.ttr, dur(t.medianSeconds), 'ttrMedian'),
          fact('90th percentile', DEF.ttr, dur(t.p90Seconds), 'ttrP90'),
          fact('Restores', DEF.ttr, String(t.count), 'ttrCount'),
          fact('Failed now', DEF.ttr, String(t.openFailures), 'openFailures')),
        weeklyChart(e, 'chart-ttr', 'Time to restore, median per week', (w) => w.timeToRestoreMedianSeconds, dur, DEF.ttr))),
    el('h3', {}, el('a', { href: DEF.gate }, 'The gate')),
    el('dl', { class: 'facts inline' },
      fact('GO', DEF.gate, String(g.go), 'go'),
      fact('NO_GO', DEF.gate, String(g.noGo), 'noGo'),
      fact('OVERRIDDEN', DEF.gate, String(g.overridden), 'overridden'),
      fact('Held', DEF.gate, String(g.held), 'held'),
      fact('Held now', DEF.gate, String(g.heldNow), 'heldNow'),
      fact('Time held', DEF.gate, dur(g.holds.count ? g.holds.seconds : null), 'heldSeconds'),
      fact('Override votes', DEF.gate, String(g.overrides.votes), 'overrideVotes')),
    verdictChart(e),
    el('div', { class: 'tables' },
      el('section', {}, el('h4', {}, 'Probes that blocked'),
        list('blocking-probes', 'Evaluations each probe blocked', ['Probe', 'Blocked', 'Findings', 'Errors', 'Timeouts'],
          g.probes.map((p) => [p.probe, String(p.blocked), String(p.failed), String(p.errored), String(p.timedOut)]),
          'No probe blocked a deploy in this period.')),
      el('section', {}, el('h4', {}, 'Rules that blocked'),
        list('blocking-rules', 'Evaluations each rule blocked (top 20)', ['Rule', 'Blocked'],
          g.rules.map((r) => [el('a', { href: `/rules/${r.ruleId}` }, r.ruleId), String(r.blocked)]),
          'No rule blocked a deploy in this period.')),
      el('section', {}, el('h4', {}, 'Time held by calendars'),
        list('held-calendars', 'Holds that ended in this period, per calendar window', ['Calendar window', 'Holds', 'Time held'],
          g.holds.calendars.map((w) => [w.calendar, String(w.holds), dur(w.seconds)]),
          'No deploy was held by a calendar in this period.')),
      el('section', {}, el('h4', {}, 'Who overrode'),
        list('approvers', 'Override votes per approver', ['Approver', 'Votes'],
          g.overrides.approvers.map((a) => [a.approver, String(a.votes)]),
          'No override vote in this period.'))));
}

function fillForm(params, report, me) {
  document.getElementById('f-days').value = params.days;
  document.getElementById('f-repository').value = params.repository || '';
  const tenants = (me.tenants || []).filter((t) => t !== '*');
  const tenant = document.getElementById('f-tenant');
  tenant.replaceChildren(el('option', { value: '' }, 'all mine'), ...tenants.map((t) => el('option', { value: t }, t)));
  tenant.value = params.tenant || '';
  const env = document.getElementById('f-env');
  env.replaceChildren(...report.environments.map((e) => el('option', { value: e.environment }, e.environment)));
  env.value = params.env;
}

function exports(params) {
  const q = { days: params.days };
  if (params.repository) {
    q.repository = params.repository;
  }
  if (params.tenant) {
    q.tenant = params.tenant;
  }
  document.getElementById('export-csv').href = `/api/v1/metrics/delivery?${new URLSearchParams({ ...q, format: 'csv' })}`;
  document.getElementById('export-json').href = `/api/v1/metrics/delivery?${new URLSearchParams({ ...q, format: 'json' })}`;
  return q;
}

async function init() {
  const me = await initNav();
  const search = new URLSearchParams(location.search);
  const days = ['7', '30', '90'].includes(search.get('days')) ? search.get('days') : '30';
  const params = { days, repository: search.get('repository') || '', tenant: search.get('tenant') || '' };
  const q = exports(params);
  try {
    const report = await get(`/api/v1/metrics/delivery?${new URLSearchParams(q)}`);
    const names = report.environments.map((e) => e.environment);
    const busiest = [...report.environments].sort((a, b) => b.deployments.deploys - a.deployments.deploys)[0];
    params.env = names.includes(search.get('env')) ? search.get('env')
      : names.includes('production') ? 'production' : busiest ? busiest.environment : '';
    fillForm(params, report, me);
    const status = document.getElementById('status');
    status.textContent = report.caughtUp ? '' : 'Still reading the history from Kafka: these figures are partial.';
    status.hidden = report.caughtUp;
    const selected = report.environments.find((e) => e.environment === params.env);
    document.getElementById('delivery').replaceChildren(summary(report, params.env, { days: params.days,
      ...(params.repository ? { repository: params.repository } : {}), ...(params.tenant ? { tenant: params.tenant } : {}) }),
    selected ? detail(selected, report) : el('p', { class: 'muted' }, 'No environments are configured.'));
    document.getElementById('delivery').setAttribute('aria-busy', 'false');
  } catch (e) {
    showError(`Could not load the delivery metrics: ${e.message}`);
  }
}

init();
