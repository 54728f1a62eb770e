import { h, section } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, rigPath, rigPage } from '../lib/api.js';
import { quantity, time, number } from '../lib/format.js';
import { plot } from '../charts/plot.js';
import { openAlerts } from '../lib/kpis.js';

// A company's pilot: its rigs and their energy and condition over the pilot window, and the export of its data. The
// API cuts every answer to the pilot's window; nothing of another company's pilot is reachable from here.
const powerSensor = { pump: 'motor_power', motor: 'power', electrolyser: 'power', 'fuel-cell': 'power' };

export async function render(main, { data }) {
  const pilot = await get(`/api/pilots/${encodeURIComponent(data.pilot)}`);
  const from = new Date(pilot.start);
  const to = pilot.end && new Date(pilot.end) < new Date() ? new Date(pilot.end) : new Date();
  main.append(h('div', { class: 'page-head' }, h('h1', {}, pilot.name),
    h('p', {}, t('pilot.window', { from: time(from, true), to: pilot.end ? time(pilot.end, true) : t('pilot.open_end') }), ' · ',
      pilot.running ? t('pilot.running') : t('pilot.ended')),
    h('p', {}, h('a', { class: 'button', href: `/api/pilots/${pilot.id}/export`, download: true }, t('pilot.export')), ' ',
      h('span', { class: 'muted' }, t('pilot.export_explain')))));
  for (const key of pilot.rigs) {
    const [site, rigId] = key.split('/');
    const rig = await get(rigPath(site, rigId));
    const base = rigPath(site, rigId);
    const box = h('div', { class: 'chart' });
    const kpis = h('dl', { class: 'kpis' });
    main.append(section(`${rigId} — ${rig.description ?? ''}`,
      h('p', {}, h('a', { href: rigPage(site, rigId) }, t('lab.open_rig', { rig: rigId })), ' · ',
        h('a', { href: `${base}/export?from=${from.toISOString()}&to=${to.toISOString()}`, download: true }, t('pilot.csv'))),
      kpis, box));
    const sensor = powerSensor[rig.kind];
    const span = (to - from) / 1000;
    const every = Math.max(10, Math.round(span / 300));
    const [series, alerts, outputs] = await Promise.all([
      sensor ? get(`${base}/series?sensor=${sensor}&from=${from.toISOString()}&to=${to.toISOString()}&every=${every}s&agg=mean`).catch(() => null) : null,
      get(`${base}/alerts?within=${Math.ceil(span / 3600) + 1}h`).catch(() => ({ alerts: [] })),
      get(`${base}/outputs?within=${Math.ceil(span / 3600) + 1}h`).catch(() => ({})),
    ]);
    // Energy used over the window: the sum of bucket means × bucket width (kW × h), buckets with data only.
    const kwh = series ? series.points.reduce((s, p) => s + (p.value ?? 0) * every / 3600, 0) : null;
    const add = (label, value) => kpis.append(h('div', { class: 'kpi' }, h('dt', {}, label), h('dd', {}, value)));
    if (kwh !== null) add(t('pilot.energy'), quantity(kwh, 'kWh'));
    add(t('pilot.alerts'), `${alerts.alerts.filter(a => a.state === 'raised').length} (${t('alerts.open', { n: openAlerts(alerts.alerts).length })})`);
    if (outputs.energy?.enpi !== undefined) add('EnPI', number(outputs.energy.enpi, 3));
    if (outputs.energy?.wire_to_water !== undefined) add(t('kpi.efficiency'), quantity(100 * outputs.energy.wire_to_water, '%'));
    if (outputs.energy?.sec_kwh_per_kg !== undefined) add(t('kpi.specific_energy'), quantity(outputs.energy.sec_kwh_per_kg, 'kWh/kg'));
    if (outputs.vibration?.[0]) add(t('kpi.vibration'), `${quantity(outputs.vibration[0].velocity_rms_mm_s, 'mm/s')} (${t('kpi.zone')} ${outputs.vibration[0].iso_zone})`);
    if (series?.points.length) {
      plot(box, { series: [{}, { label: sensor, stroke: '#0b5394', width: 1.5, points: { show: false } }], axes: [{}, { size: 70, label: `${sensor} [${series.unit}]` }], height: 200 },
        [series.points.map(p => Date.parse(p.t) / 1000), series.points.map(p => p.value)]);
    } else box.append(h('p', { class: 'muted' }, t('pilot.no_data')));
  }
}
