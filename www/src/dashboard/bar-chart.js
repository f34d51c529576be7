// Horizontal bar charts as inline SVG: one bar per label, or stacked parts per bar. No chart
// library: the dashboard draws two small charts, and SVG text stays readable and testable.
import { svg } from '../dom.js';

const ROW = 22;
const LABEL = 150;
const FIGURE = 56;

/**
 * `rows`: `[{ label, parts: [{ value, color, name }] }]`, drawn in order; each row's parts are
 * stacked left to right. Rows scale to the largest total.
 */
export function barChart(rows, { width = 520, title } = {}) {
  const max = Math.max(1, ...rows.map((r) => total(r)));
  const barWidth = width - LABEL - FIGURE;
  const height = Math.max(ROW, rows.length * ROW) + 4;
  const chart = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart' });
  if (title) chart.append(svg('title', {}, title));
  rows.forEach((row, i) => {
    const y = i * ROW + 2;
    const g = svg('g', { class: 'bar', 'data-label': row.label, 'data-value': total(row) });
    g.append(svg('text', { x: LABEL - 8, y: y + ROW / 2 + 4, 'text-anchor': 'end', class: 'bar-label' }, clip(row.label, 22)));
    let x = LABEL;
    for (const part of row.parts) {
      if (!part.value) continue;
      const w = Math.max(1, (part.value / max) * barWidth);
      g.append(
        svg('rect', { x, y: y + 3, width: w, height: ROW - 6, fill: part.color, rx: 2 }, svg('title', {}, `${part.name ?? row.label}: ${part.value}`)),
      );
      x += w;
    }
    g.append(svg('text', { x: x + 6, y: y + ROW / 2 + 4, class: 'bar-figure' }, String(total(row))));
    chart.append(g);
  });
  return chart;
}

function total(row) {
  return row.parts.reduce((sum, p) => sum + (p.value || 0), 0);
}

function clip(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}\u2026` : text;
}
