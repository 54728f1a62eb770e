import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { quantity, unit } from '../lib/format.js';
import { plot, palette } from './plot.js';

// One sensor's live line: history of the window (aggregated by the server) plus the live values the stream brings,
// redrawn at most as often as the stream sends (≤ 10 a second). Each draw records publish → drawn latency for the
// console benchmark (window.fieldlabLatency).
window.fieldlabLatency = window.fieldlabLatency ?? [];

export class LiveChart {
  constructor(sensor, index) {
    this.sensor = sensor;
    this.xs = [];
    this.ys = [];
    this.windowS = 300;
    this.paused = false;
    this.lastSample = null;
    this.value = h('span', { class: 'value', 'aria-live': 'off' }, '–');
    this.box = h('div', { class: 'chart' });
    this.el = h('figure', { class: 'live-chart', dataset: { sensor: sensor.id } },
      h('figcaption', {}, h('span', { class: 'name' }, sensor.description ?? sensor.id), ' ', h('code', {}, sensor.id), ' ', this.value,
        ' ', h('span', { class: 'unit' }, unit(sensor.unit) ? `[${unit(sensor.unit)}]` : '')),
      this.box);
    this.color = palette[index % palette.length];
  }

  mount() {
    this.u = plot(this.box, {
      series: [{}, { label: this.sensor.id, stroke: this.color, width: 1.5, points: { show: false } }],
      axes: [{}, { size: 60 }],
      hooks: { draw: [() => this.drawn()] },
    }, [this.xs, this.ys]);
  }

  history(points) {
    // A gap in the data stays a gap (a null point), not a straight line across it.
    const step = Math.max(1, this.windowS / 300);
    const xs = [], ys = [];
    for (const p of points) {
      const x = Date.parse(p.t) / 1000;
      if (xs.length && x - xs[xs.length - 1] > 3 * step) { xs.push(xs[xs.length - 1] + step); ys.push(null); }
      xs.push(x);
      ys.push(p.value ?? null);
    }
    // Live values may already have arrived: keep those newer than the history.
    const last = xs.length ? xs[xs.length - 1] : -Infinity;
    this.live = (this.live ?? []).filter(([x]) => x > last);
    this.xs = [...xs, ...this.live.map(([x]) => x)];
    this.ys = [...ys, ...this.live.map(([, y]) => y)];
    this.redraw();
  }

  push(tMs, v) {
    const x = tMs / 1000;
    if (this.xs.length && x <= this.xs[this.xs.length - 1]) return;
    if (this.xs.length && x - this.xs[this.xs.length - 1] > Math.max(5, this.windowS / 100)) { this.xs.push(this.xs[this.xs.length - 1] + 0.001); this.ys.push(null); }
    (this.live = this.live ?? []).push([x, v]);
    if (this.live.length > 100) this.live.shift();
    this.xs.push(x);
    this.ys.push(v);
    const cut = x - this.windowS;
    let drop = 0;
    while (drop < this.xs.length && this.xs[drop] < cut) drop++;
    if (drop) { this.xs.splice(0, drop); this.ys.splice(0, drop); }
    this.value.textContent = quantity(v, this.sensor.unit);
    this.lastSample = tMs;
    if (!this.paused) this.redraw();
  }

  redraw() {
    if (!this.u) return;
    const now = Date.now() / 1000;
    this.u.batch(() => {
      this.u.setData([this.xs, this.ys], false);
      this.u.setScale('x', { min: now - this.windowS, max: now });
    });
  }

  drawn() {
    window.fieldlabDraws = (window.fieldlabDraws ?? 0) + 1;
    if (this.lastSample !== null) {
      const l = window.fieldlabLatency;
      l.push(Date.now() - this.lastSample);
      if (l.length > 5000) l.splice(0, l.length - 5000);
      this.lastSample = null;
    }
  }
}

export const windows = [['1m', 60], ['5m', 300], ['15m', 900], ['1h', 3600]];
export const windowLabel = s => t('chart.window', { w: windows.find(w => w[1] === s)?.[0] ?? `${s}s` });
