// DOM helpers: every value from the API goes in as text, never as HTML.

/** Builds an element: el('a', {href: '/x', class: 'c'}, 'text', childNode). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) {
      continue;
    }
    if (k === 'class') {
      node.className = v;
    } else if (k === 'dataset') {
      Object.assign(node.dataset, v);
    } else if (k.startsWith('on') && typeof v === 'function') {
      node.addEventListener(k.slice(2), v);
    } else {
      node.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/**
 * A time for people, with the ISO instant as the machine-readable value: in the browser's zone, or in
 * {@code zone} (an IANA name, e.g. a holiday's region) with the zone's abbreviation.
 */
export function time(iso, zone) {
  if (!iso) {
    return el('span', { class: 'muted' }, '—');
  }
  const d = new Date(iso);
  const options = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  if (zone && validZone(zone)) {
    options.timeZone = zone;
    options.timeZoneName = 'short';
  } else {
    options.second = '2-digit';
  }
  return el('time', { datetime: iso, title: iso }, d.toLocaleString(undefined, options));
}

/** True when the browser knows the zone (an IANA name; not every offset form is one). */
function validZone(zone) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch (e) {
    return false;
  }
}

/** The calendar date (YYYY-MM-DD) of an instant in an IANA zone (UTC when the browser does not know the zone). */
export function localDate(instantMs, zone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone && validZone(zone) ? zone : 'UTC', year: 'numeric',
    month: '2-digit', day: '2-digit' }).format(new Date(instantMs));
}

/** A duration in ms as "850 ms", "12.3 s" or "4 min 2 s". */
export function duration(ms) {
  if (ms === null || ms === undefined) {
    return '—';
  }
  if (ms < 1000) {
    return `${ms} ms`;
  }
  if (ms < 60000) {
    return `${(ms / 1000).toFixed(1)} s`;
  }
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

/** The verdict an evaluation shows: its decision, or PENDING. */
export function decisionOf(evaluation) {
  return evaluation.verdict ? evaluation.verdict.decision : 'PENDING';
}

/** A coloured badge; the colour is never the only signal, the word is always there. */
export function badge(decision, held) {
  const cls = { GO: 'go', NO_GO: 'nogo', OVERRIDDEN: 'overridden', PENDING: 'pending' }[decision] || 'nogo';
  return el('span', { class: `badge ${cls}` }, decision + (held ? ' (held)' : ''));
}

/** A commit id shortened for display, whole in the title. */
export function commit(sha) {
  return sha ? el('code', { title: sha }, sha.slice(0, 10)) : el('span', { class: 'muted' }, '—');
}

/** Shows or hides the page's error line. */
export function showError(message) {
  const p = document.getElementById('error');
  if (!p) {
    return;
  }
  p.textContent = message || '';
  p.hidden = !message;
}
