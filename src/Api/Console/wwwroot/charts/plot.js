import uPlot from '../vendor/uplot/uPlot.esm.js';
import { locale } from '../lib/format.js';

// uPlot (vendored, docs/console.md) with the console's defaults: times in Europe/Amsterdam, no legend table (the card
// shows the value), sized to its container.
export const tz = ts => uPlot.tzDate(new Date(ts * 1e3), 'Europe/Amsterdam');

// Time axis labels on the 24-hour clock in Europe/Amsterdam, with the date where the day changes.
function timeAxis(axis = {}) {
  const hm = new Intl.DateTimeFormat(locale(), { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const hms = new Intl.DateTimeFormat(locale(), { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const day = new Intl.DateTimeFormat(locale(), { timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'short' });
  return {
    ...axis,
    values: (u, splits, _i, space) => {
      const span = splits.length > 1 ? splits[1] - splits[0] : 60;
      let lastDay = null;
      return splits.map(s => {
        const d = new Date(s * 1000);
        const text = (span < 60 ? hms : hm).format(d);
        const dd = day.format(d);
        const label = dd !== lastDay && lastDay !== null ? `${text}\n${dd}` : text;
        lastDay = dd;
        return label;
      });
    },
  };
}

export function plot(target, { series, scales, axes, height = 180, hooks, cursor } = {}, data) {
  const width = Math.max(260, target.clientWidth || 600);
  if (scales?.x?.time !== false) axes = [timeAxis(axes?.[0]), ...(axes ?? [{}]).slice(1)];
  const u = new uPlot({
    width, height, tzDate: tz, legend: { show: false }, series, scales, axes, hooks,
    cursor: cursor ?? { drag: { x: true, y: false } },
  }, data, target);
  new ResizeObserver(() => u.setSize({ width: Math.max(260, target.clientWidth), height })).observe(target);
  return u;
}

export const palette = ['#0b5394', '#b45f06', '#38761d', '#741b47', '#134f5c', '#7f6000'];

export { uPlot };
