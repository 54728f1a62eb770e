import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { number, unit, time } from '../lib/format.js';
import { plot } from './plot.js';

// The spectrum (or envelope spectrum) of the newest vibration frame, computed by the API (src/Api/Live/LiveSpectrum.cs),
// with the bearing defect frequencies at the current shaft speed drawn as vertical lines: a peak on a line is what an
// analyst looks for.
const marks = [['bpfo', '#b45f06'], ['bpfi', '#741b47'], ['bsf', '#38761d'], ['ftf', '#134f5c']];

export class SpectrumChart {
  constructor(titleKey, envelope) {
    this.envelope = envelope;
    this.defects = null;
    this.shaft = null;
    this.box = h('div', { class: 'chart' });
    this.caption = h('span', { class: 'muted' }, t('spectrum.waiting'));
    this.legend = h('ul', { class: 'marks' }, marks.map(([k, c]) => h('li', { dataset: { mark: k } }, h('span', { class: 'swatch', dataset: { color: k } }), t('spectrum.' + k))));
    this.el = h('figure', { class: 'spectrum' }, h('figcaption', {}, t(titleKey), ' ', this.caption), this.box, this.legend);
  }

  mount() {
    this.u = plot(this.box, {
      scales: { x: { time: false } },
      series: [{ label: 'Hz' }, { label: 'A', stroke: '#0b5394', width: 1, points: { show: false } }],
      axes: [{ label: 'Hz' }, { size: 60 }],
      hooks: { draw: [u => this.drawMarks(u)] },
      height: 200,
    }, [[], []]);
  }

  show(view) {
    const line = this.envelope ? view.envelope : view.spectrum;
    if (!line) { this.caption.textContent = t('spectrum.no_envelope'); return; }
    this.defects = view.defects;
    this.shaft = view.shaft_hz;
    this.caption.textContent = `${view.axis} · ${unit(view.unit)} · ${time(view.t)}` + (view.shaft_hz ? ` · ${t('spectrum.shaft', { hz: number(view.shaft_hz, 2) })}` : '');
    for (const [k] of marks) {
      const li = this.legend.querySelector(`[data-mark="${k}"]`);
      li.lastChild.textContent = t('spectrum.' + k) + (view.defects ? ` ${number(view.defects[k], 1)} Hz` : '');
    }
    this.u.setData([line.hz, line.amplitude]);
  }

  drawMarks(u) {
    if (!this.defects) return;
    const ctx = u.ctx;
    const max = u.scales.x.max;
    ctx.save();
    ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
    for (const [k, color] of marks) {
      for (let harmonic = 1; harmonic <= 3; harmonic++) {
        const f = this.defects[k] * harmonic;
        if (!(f < max)) break;
        const x = u.valToPos(f, 'x', true);
        ctx.strokeStyle = color;
        ctx.globalAlpha = harmonic === 1 ? 0.9 : 0.45;
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
      }
    }
    ctx.restore();
  }
}
