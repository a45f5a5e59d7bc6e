// Charts drawn as SVG by our own code (no library, no CDN): bar charts, stacked or not, each with a table of the same
// numbers. Colours come from CSS classes (light and dark mode in delivery.css), never from inline styles (the pages'
// CSP forbids them). A chart is one focusable image with a text summary for screen readers; its table is the
// accessible view of every number, one click (or Enter) away.
import { el } from './ui.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 220;
const PAD = { top: 12, right: 12, bottom: 34, left: 56 };

/** An SVG element: svg('rect', {x: 1}, child...). Values go in as attributes or text, never as markup. */
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined && v !== false) {
      node.setAttribute(k, String(v));
    }
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) {
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  return node;
}

/** A round upper bound for the axis: 1, 2, 2.5 or 5 times a power of ten, at least max. */
function niceMax(max) {
  if (!(max > 0)) {
    return 1;
  }
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * p >= max) {
      return m * p;
    }
  }
  return 10 * p;
}

/**
 * A bar chart with its table.
 *
 * @param o.id unique id (the figure's, and the prefix of its parts)
 * @param o.title what the chart shows (its caption)
 * @param o.labels one label per bar (x axis)
 * @param o.series [{name, cls, values}]: values per label (null = nothing measured); stacked when several
 * @param o.format formats a value for the axis, tooltips and table
 * @param o.definition a link to the figure's definition
 * @param o.max the axis maximum, when it is known (1 for a rate)
 * @param o.unit the unit the axis is round in (3600: hours), when values are durations in seconds
 */
export function barChart(o) {
  const n = o.labels.length;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const totals = o.labels.map((_, i) => o.series.reduce((s, x) => s + (x.values[i] || 0), 0));
  // A unit (60 for minutes, 3600 for hours) makes the axis round in that unit.
  const unit = o.unit || 1;
  const top = o.max !== undefined ? o.max : niceMax(Math.max(0, ...totals) / unit) * unit;
  const y = (v) => PAD.top + innerH - (v / top) * innerH;
  const band = innerW / Math.max(1, n);
  const barW = Math.max(1, band * 0.7);
  const parts = [];
  for (let t = 0; t <= 4; t++) {
    const v = (top * t) / 4;
    parts.push(svg('line', { class: 'grid', x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }));
    parts.push(svg('text', { class: 'tick', x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, o.format(v)));
  }
  const every = Math.ceil(n / 10);
  o.labels.forEach((label, i) => {
    const x = PAD.left + i * band + (band - barW) / 2;
    let base = 0;
    for (const s of o.series) {
      const v = s.values[i];
      if (v === null || v === undefined || v === 0) {
        continue;
      }
      const h = (v / top) * innerH;
      parts.push(svg('rect', { class: `bar ${s.cls}`, x, y: y(base + v), width: barW, height: Math.max(0.5, h) },
        svg('title', {}, `${label} · ${s.name}: ${o.format(v)}`)));
      base += v;
    }
    if (i % every === 0) {
      parts.push(svg('text', { class: 'tick', x: x + barW / 2, y: H - PAD.bottom + 16, 'text-anchor': 'middle' }, label));
    }
  });
  parts.push(svg('line', { class: 'axis', x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0) }));
  const measured = totals.filter((t, i) => o.series.some((s) => s.values[i] !== null && s.values[i] !== undefined));
  const summary = measured.length
    ? `${o.title}: ${n} bars from ${o.labels[0]} to ${o.labels[n - 1]}; highest ${o.format(Math.max(...measured))}.`
      + ' The table below has every value.'
    : `${o.title}: nothing measured in this period.`;
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', tabindex: '0', focusable: 'true',
    'aria-labelledby': `${o.id}-t ${o.id}-d` },
  svg('title', { id: `${o.id}-t` }, o.title), svg('desc', { id: `${o.id}-d` }, summary), parts);
  const legend = o.series.length > 1
    ? el('ul', { class: 'legend', 'aria-hidden': 'true' }, o.series.map((s) => el('li', {}, el('span', { class: `swatch ${s.cls}` }), s.name)))
    : null;
  const table = el('table', { class: 'list chart-table' },
    el('caption', {}, o.title),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, o.labelName || 'Period'),
      o.series.map((s) => el('th', { scope: 'col' }, s.name)))),
    el('tbody', {}, o.labels.map((label, i) => el('tr', {},
      el('th', { scope: 'row' }, label),
      o.series.map((s) => el('td', { 'data-label': s.name },
        s.values[i] === null || s.values[i] === undefined ? '—' : o.format(s.values[i])))))));
  return el('figure', { class: 'chart-figure', id: o.id },
    el('figcaption', {}, o.title, o.definition ? [' ', el('a', { class: 'definition', href: o.definition }, 'definition')] : null),
    chart, legend,
    el('details', { class: 'chart-data' }, el('summary', {}, `Table: ${o.title}`), table));
}
