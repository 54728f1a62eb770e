import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { unit } from '../lib/format.js';
import { plot } from './plot.js';

// A pump curve (head over flow) or polarisation curve (cell voltage over current) as measured: 10-second means as
// points, the fitted curve as a line, the newest operating point as a large dot (src/Api/Curves/OperatingCurveApi.cs).
export class CurveChart {
  constructor() {
    this.box = h('div', { class: 'chart' });
    this.note = h('p', { class: 'muted' });
    this.el = h('figure', { class: 'curve' }, this.box, this.note);
  }

  show(c) {
    const xs = [...new Set([...c.points.map(p => p[0]), ...(c.curve?.x ?? [])])].sort((a, b) => a - b);
    const index = new Map(xs.map((x, i) => [x, i]));
    const pts = xs.map(() => null), fit = xs.map(() => null), cur = xs.map(() => null);
    c.points.forEach(p => { pts[index.get(p[0])] = p[1]; });
    (c.curve?.x ?? []).forEach((x, i) => { fit[index.get(x)] = c.curve.y[i]; });
    if (c.current) cur[index.get(c.current[0])] = c.current[1];
    const data = [xs, pts, fit, cur];
    if (!this.u) {
      this.u = plot(this.box, {
        scales: { x: { time: false } },
        series: [
          { label: `${c.x} [${unit(c.x_unit)}]` },
          { label: t('curve.points'), stroke: '#6fa8dc', paths: () => null, points: { show: true, size: 5, fill: '#6fa8dc' } },
          { label: t('curve.fit'), stroke: '#0b5394', width: 2, spanGaps: true, points: { show: false } },
          { label: t('curve.now'), stroke: '#b45f06', paths: () => null, points: { show: true, size: 12, fill: '#b45f06' } },
        ],
        axes: [{ label: `${t('curve.x.' + c.x)} [${unit(c.x_unit)}]` }, { label: `${t('curve.y.' + c.y)} [${unit(c.y_unit)}]`, size: 60 }],
        height: 240,
        cursor: { drag: { x: false, y: false } },
      }, data);
    } else this.u.setData(data);
    this.note.textContent = [c.formula, c.note ? t('curve.note', { note: c.note }) : null].filter(Boolean).join(' · ');
  }
}
