import type { RouteSeries } from '../observability/route-throughput.js';
import { code, escapeHtml } from './html.js';

const BAR = 5;
const HEIGHT = 48;

/**
 * One route's last hour as a server-rendered SVG bar chart (a bar per minute): no script, no external
 * resource, so the page's CSP stays `default-src 'none'`. Colours are presentation attributes, not
 * inline styles, which that CSP would refuse.
 */
function chart(series: RouteSeries): string {
  const peak = Math.max(...series.perMinute, 0);
  const total = series.perMinute.reduce((sum, n) => sum + n, 0);
  const width = series.perMinute.length * BAR;
  const bars = series.perMinute
    .map((n, i) => {
      if (n === 0) return '';
      const h = Math.max(Math.round((n / peak) * (HEIGHT - 2)), 1);
      return `<rect x="${i * BAR}" y="${HEIGHT - h}" width="${BAR - 1}" height="${h}" fill="#3b6fd4"><title>${n} message(s), ${series.perMinute.length - 1 - i} min ago</title></rect>`;
    })
    .join('');
  const label = `${series.route}: ${total} message(s) in the last hour, at most ${peak} a minute`;
  return `<figure class="chart"><svg role="img" aria-label="${escapeHtml(label)}" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}">`
    + `<rect x="0" y="0" width="${width}" height="${HEIGHT}" fill="#ffffff" stroke="#d9dde3"/>${bars}</svg>`
    + `<figcaption>${code(series.tenant)} ${escapeHtml(series.route)}: <strong>${total}</strong> in the last hour, peak ${peak}/min</figcaption></figure>`;
}

export function throughputCharts(series: RouteSeries[]): string {
  if (series.length === 0) return '<p class="empty">no message delivered by this instance in the last hour</p>';
  return `<div class="charts">${series.map(chart).join('\n')}</div>`;
}
