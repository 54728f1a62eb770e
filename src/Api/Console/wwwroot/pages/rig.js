import { h, clear, section } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, rigPath } from '../lib/api.js';
import { quantity, number, time, unit } from '../lib/format.js';
import { connect } from '../lib/live.js';
import { energyFields, isoZones, openAlerts } from '../lib/kpis.js';
import { LiveChart, windows, windowLabel } from '../charts/live-chart.js';
import { SpectrumChart } from '../charts/spectrum-chart.js';
import { CurveChart } from '../charts/curve-chart.js';
import { plot } from '../charts/plot.js';
import { faultPanel, rebaselineButton } from './fault-panel.js';
import { alertList } from './alert-list.js';
import { maintenanceLog } from './maintenance-log.js';

// One rig: live charts, history with zoom, its curve, vibration spectra, model outputs, alerts beside the fault truth
// (for those who may see it) and, for instructors, the fault controls.
export async function render(main, { me, data }) {
  const rig = await get(rigPath(data.site, data.rig));
  const base = rigPath(rig.site, rig.rig);
  const online = h('span', { class: `badge ${rig.online ? 'online' : 'offline'}` }, rig.online ? t('rig.online') : t('rig.offline'));
  main.append(h('div', { class: 'page-head' },
    h('h1', {}, rig.rig, ' ', online),
    h('p', {}, rig.description ?? '', ' · ', t('kind.' + (rig.kind ?? 'other')), ' · ', rig.site),
    rig.in_pilot_now ? h('p', { class: 'note' }, t('rig.pilot_running')) : null));
  if (!rig.may.data) {
    main.append(h('p', { class: 'card' }, rig.in_pilot_now ? t('rig.in_pilot') : t('rig.no_data')));
    return;
  }
  const scalar = rig.sensors.filter(s => !s.waveform);
  const hasWaveform = rig.sensors.some(s => s.waveform);

  // Live charts.
  const charts = new Map();
  const chartGrid = h('div', { class: 'charts' });
  let windowS = 300;
  const picker = h('fieldset', { class: 'picker' }, h('legend', {}, t('live.sensors')),
    scalar.map((s, i) => h('label', {}, h('input', { type: 'checkbox', value: s.id, checked: i < 4, onchange: () => choose() }), ' ', s.id)));
  const windowSelect = h('select', { id: 'window', onchange: e => { windowS = Number(e.target.value); choose(true); } },
    windows.map(([label, s]) => h('option', { value: s, selected: s === windowS }, label)));
  let paused = false;
  const pause = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false', onclick: () => {
      paused = !paused;
      pause.setAttribute('aria-pressed', String(paused));
      pause.textContent = paused ? t('live.resume') : t('live.pause');
      charts.forEach(c => { c.paused = paused; if (!paused) c.redraw(); });
    } }, t('live.pause'));
  const streamState = h('span', { class: 'stream-state', role: 'status' }, t('live.connecting'));
  main.append(section(t('live.title'), h('div', { class: 'toolbar' }, h('label', { for: 'window' }, t('live.window')), windowSelect, pause, streamState), picker, chartGrid));

  async function choose(reload = false) {
    const wanted = [...picker.querySelectorAll('input:checked')].map(i => i.value);
    for (const [id, c] of charts) if (!wanted.includes(id) || reload) { c.el.remove(); charts.delete(id); }
    for (const id of wanted) {
      if (charts.has(id)) continue;
      const c = new LiveChart(scalar.find(s => s.id === id), scalar.findIndex(s => s.id === id));
      c.windowS = windowS;
      c.paused = paused;
      charts.set(id, c);
      chartGrid.append(c.el);
      c.mount();
      // History of the window, aggregated by the server: ~300 buckets whatever the window.
      const every = Math.max(1, Math.round(windowS / 300));
      get(`${base}/series?sensor=${encodeURIComponent(id)}&from=now-${windowS}s&to=now&every=${every}s&agg=mean`).then(s => c.history(s.points)).catch(() => {});
    }
  }
  await choose();

  // Spectrum and envelope spectrum of the newest vibration frame.
  let spectrum = null, envelope = null;
  if (hasWaveform) {
    spectrum = new SpectrumChart('spectrum.title', false);
    envelope = new SpectrumChart('spectrum.envelope_title', true);
    main.append(section(t('spectrum.section'), h('p', { class: 'muted' }, t('spectrum.explain')), h('div', { class: 'pair' }, spectrum.el, envelope.el)));
    spectrum.mount();
    envelope.mount();
  }

  // An alert arrives as a live event; a (re)connect and a slow poll catch up on one raised while the stream was down
  // (seen on a loaded machine: the stream reconnected and the bearing alert never showed until the page was reloaded).
  connect(`${base}/live?spectrum=${hasWaveform}`, {
    hello: m => { m.rigs.forEach(values); alerts.refresh(); },
    values,
    spectrum: m => { spectrum?.show(m.spectrum); envelope?.show(m.spectrum); },
    alert: () => alerts.refresh(),
  }, s => { streamState.textContent = t('live.' + s); });
  // Not while someone is typing in the alert list (an acknowledgement's note would be lost).
  setInterval(() => { if (!alerts.el.contains(document.activeElement)) alerts.refresh(); }, 30000);
  function values(u) {
    online.textContent = u.online ? t('rig.online') : t('rig.offline');
    online.className = `badge ${u.online ? 'online' : 'offline'}`;
    for (const [id, v] of Object.entries(u.values ?? {})) charts.get(id)?.push(v.t, v.v);
  }

  // History with zoom: drag across the chart to zoom in; the server aggregates to ~500 buckets of the new range.
  main.append(history(base, scalar));

  // The operating point on the rig's curve.
  if (['pump', 'electrolyser', 'fuel-cell'].includes(rig.kind)) {
    const curve = new CurveChart();
    main.append(section(t(rig.kind === 'pump' ? 'curve.pump_title' : 'curve.stack_title'), curve.el));
    const loadCurve = () => get(`${base}/curve?within=1h`).then(c => curve.show(c)).catch(e => { curve.note.textContent = e.message; });
    loadCurve();
    setInterval(loadCurve, 30000);
  }

  // Model outputs.
  const models = h('div', { class: 'models' });
  main.append(section(t('models.title'), models, rig.may.rebaseline ? rebaselineButton(rig) : null));
  const loadOutputs = () => get(`${base}/outputs?within=1h`).then(o => drawOutputs(models, o)).catch(e => { models.textContent = e.message; });
  loadOutputs();
  setInterval(loadOutputs, 10000);

  // Alerts beside the truth.
  const alerts = alertList(rig, me);
  main.append(alerts.el);
  alerts.refresh();

  main.append(maintenanceLog(rig, me, () => alerts.refresh()).el);

  if (rig.may.command) main.append(section(t('fault.section'), faultPanel(rig, () => setTimeout(() => alerts.refresh(), 1500))));
}

function history(base, scalar) {
  const sensor = h('select', { id: 'history-sensor' }, scalar.map(s => h('option', { value: s.id }, s.id)));
  const range = h('select', { id: 'history-range' }, [['1h', 3600], ['6h', 21600], ['24h', 86400], ['7d', 604800]].map(([l, s]) => h('option', { value: s, selected: s === 21600 }, l)));
  const box = h('div', { class: 'chart' });
  const info = h('p', { class: 'muted', 'aria-live': 'polite' });
  let u = null;
  // Maintenance actions are drawn on the history as labelled vertical lines: "bearing replaced" explains a step.
  let maintenance = [];
  get(`${base}/maintenance?from=now-30d&to=now`).then(r => { maintenance = r.maintenance; u?.redraw(); }).catch(() => {});
  const drawMaintenance = self => {
    const ctx = self.ctx;
    ctx.save();
    ctx.strokeStyle = '#741b47';
    ctx.fillStyle = '#741b47';
    ctx.lineWidth = 2 * devicePixelRatio;
    ctx.font = `${12 * devicePixelRatio}px sans-serif`;
    for (const m of maintenance) {
      const x = self.valToPos(Date.parse(m.performed_at) / 1000, 'x', true);
      if (x < self.bbox.left || x > self.bbox.left + self.bbox.width) continue;
      ctx.beginPath();
      ctx.moveTo(x, self.bbox.top);
      ctx.lineTo(x, self.bbox.top + self.bbox.height);
      ctx.stroke();
      ctx.fillText(`${m.what}`, x + 4 * devicePixelRatio, self.bbox.top + 14 * devicePixelRatio);
    }
    ctx.restore();
  };
  async function load(fromS, toS) {
    const span = toS - fromS;
    const every = Math.max(1, Math.round(span / 500));
    const id = sensor.value;
    const s = await get(`${base}/series?sensor=${encodeURIComponent(id)}&from=${new Date(fromS * 1000).toISOString()}&to=${new Date(toS * 1000).toISOString()}&every=${every}s&agg=mean`);
    // Missing buckets stay a gap (null), not a line drawn across hours without data.
    const data = [[], []];
    for (const p of s.points) {
      const x = Date.parse(p.t) / 1000;
      if (data[0].length && x - data[0][data[0].length - 1] > 3 * every) { data[0].push(data[0][data[0].length - 1] + every); data[1].push(null); }
      data[0].push(x);
      data[1].push(p.value);
    }
    info.textContent = t('history.info', { n: s.count, every: `${every} s`, unit: unit(s.unit) || '–' });
    if (!u) {
      u = plot(box, {
        series: [{}, { label: id, stroke: '#0b5394', width: 1.5, points: { show: false } }],
        axes: [{}, { size: 60 }],
        hooks: { draw: [drawMaintenance], setSelect: [self => {
          if (self.select.width < 5) return;
          const a = self.posToVal(self.select.left, 'x'), b = self.posToVal(self.select.left + self.select.width, 'x');
          self.setSelect({ width: 0, height: 0 }, false);
          load(a, b).catch(e => { info.textContent = e.message; });
        }] },
        height: 220,
      }, data);
    } else u.setData(data);
    u.setScale('x', { min: fromS, max: toS });
  }
  const reset = () => { const now = Date.now() / 1000; load(now - Number(range.value), now).catch(e => { info.textContent = e.message; }); };
  sensor.addEventListener('change', () => { u?.destroy(); u = null; clear(box); reset(); });
  range.addEventListener('change', reset);
  const el = section(t('history.title'), h('div', { class: 'toolbar' },
    h('label', { for: 'history-sensor' }, t('history.sensor')), sensor, h('label', { for: 'history-range' }, t('history.range')), range,
    h('button', { type: 'button', class: 'secondary', onclick: reset }, t('history.reset'))), h('p', { class: 'muted' }, t('history.explain')), box, info);
  setTimeout(reset, 0);
  return el;
}

function drawOutputs(box, o) {
  const items = [];
  if (o.anomaly) {
    const a = o.anomaly;
    const shares = Object.entries(a).filter(([k]) => k.startsWith('share_')).sort((x, y) => y[1] - x[1]).slice(0, 4);
    items.push(h('div', { class: 'model', dataset: { model: 'anomaly' } }, h('h3', {}, t('models.anomaly')),
      h('p', { class: a.alarm ? 'bad' : 'ok' }, t('models.score', { score: number(a.score, 2), limit: number(a.limit, 2) }), ' · ', a.alarm ? t('models.alarm') : t('models.normal')),
      shares.length ? h('p', {}, t('models.contributors'), ' ', shares.map(([k, v]) => `${k.slice(6)} ${number(100 * v, 0)} %`).join(', ')) : null,
      h('p', { class: 'muted' }, time(a.time))));
  }
  if (o.bearing_health) {
    const b = o.bearing_health;
    items.push(h('div', { class: 'model', dataset: { model: 'bearing' } }, h('h3', {}, t('models.bearing')),
      h('p', { class: b.alarm ? 'bad' : 'ok' }, t('models.score', { score: number(b.score, 2), limit: number(b.limit, 2) }), ' · ', b.alarm ? t('models.alarm') : t('models.normal'),
        b.defect ? ` · ${t('models.strongest', { defect: t('defect.' + b.defect) })}` : ''),
      h('p', {}, ['outer_race', 'inner_race', 'ball', 'cage'].map(d => `${t('defect.' + d)} z=${number(b[d], 1)}`).join(' · ')),
      h('p', { class: 'muted' }, time(b.time))));
  }
  for (const v of o.vibration ?? []) {
    items.push(h('div', { class: 'model', dataset: { model: 'vibration' } }, h('h3', {}, t('models.vibration', { axis: v.axis })),
      h('p', { class: isoZones[v.iso_zone] }, quantity(v.velocity_rms_mm_s, 'mm/s'), ' · ', t('kpi.zone'), ' ', v.iso_zone ?? '–'),
      h('p', {}, `RMS ${number(v.rms)} · kurtosis ${number(v.kurtosis)} · crest ${number(v.crest)}`)));
  }
  if (o.energy) {
    const e = o.energy;
    const rows = Object.entries(energyFields).filter(([k]) => e[k] !== undefined).map(([k, u]) => h('tr', {}, h('th', { scope: 'row' }, t('energy.' + k)),
      h('td', {}, ['wire_to_water', 'bep_efficiency', 'efficiency', 'voltage_efficiency_hhv', 'faraday_efficiency', 'efficiency_lhv', 'efficiency_hhv', 'load'].includes(k)
        ? quantity(100 * e[k], '%') : k === 'ie_class' ? String(e[k]).toUpperCase() : quantity(e[k], u))));
    items.push(h('div', { class: 'model wide', dataset: { model: 'energy' } }, h('h3', {}, t('models.energy')),
      h('table', {}, h('caption', { class: 'sr-only' }, t('models.energy')), h('tbody', {}, rows)),
      e.rul_h !== undefined ? h('p', { class: 'note' }, t('models.rul_note')) : null,
      h('p', { class: 'muted' }, time(e.time))));
  }
  clear(box).append(...(items.length ? items : [h('p', { class: 'muted' }, t('models.none'))]));
}
