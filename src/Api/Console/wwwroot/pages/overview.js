import { h, clear } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, rigPath, rigPage } from '../lib/api.js';
import { quantity, time } from '../lib/format.js';
import { connect } from '../lib/live.js';
import { tileValues, isoZones, openAlerts } from '../lib/kpis.js';

// The rigs the signed-in user may see, one tile each, kept live by the site's event stream.
export async function render(main, { me }) {
  main.append(h('h1', {}, t('overview.title')));
  const status = h('p', { class: 'stream-state', role: 'status', 'aria-live': 'polite' }, t('live.connecting'));
  main.append(status);
  if (me.role === 'CompanyMember') main.append(await pilotLinks());
  const sites = await get('/api/sites');
  for (const site of sites) {
    const all = await get(`/api/sites/${encodeURIComponent(site.id)}/rigs`);
    // Tiles for the rigs whose data the user may see now; the others (a company's pilot) are only counted.
    const rigs = all.filter(r => r.may.data);
    const hidden = all.length - rigs.length;
    const grid = h('ul', { class: 'tiles', 'aria-label': t('overview.rigs_at', { site: site.name ?? site.id }) });
    main.append(h('h2', {}, site.name ?? site.id), rigs.length === 0 ? h('p', {}, t('overview.none')) : grid,
      hidden > 0 ? h('p', { class: 'pilot-note muted' }, t('overview.in_pilots', { n: hidden })) : null);
    const tiles = new Map();
    for (const rig of rigs) {
      const tile = new Tile(rig);
      tiles.set(rig.rig, tile);
      grid.append(tile.el);
      if (rig.may.data) tile.loadAlerts().catch(() => {});
    }
    if (rigs.some(r => r.may.data)) {
      connect(`/api/sites/${encodeURIComponent(site.id)}/live`, {
        hello: m => m.rigs.forEach(u => tiles.get(u.rig)?.update(u)),
        values: u => tiles.get(u.rig)?.update(u),
        alert: a => tiles.get(a.rig)?.alert(a.alert),
      }, s => { status.textContent = t('live.' + s); });
    } else status.textContent = '';
    // Model outputs (vibration zone, BEP) change every few seconds, not per sample: polled.
    const poll = () => tiles.forEach(tile => tile.rig.may.data && tile.loadOutputs().catch(() => {}));
    poll();
    setInterval(poll, 10000);
  }
}

async function pilotLinks() {
  const pilots = await get('/api/pilots');
  return h('section', { class: 'card' }, h('h2', {}, t('overview.my_pilots')),
    h('ul', {}, pilots.map(p => h('li', {}, h('a', { href: `/console/pilots/${p.id}` }, p.name), ' ', p.running ? t('pilot.running') : t('pilot.ended')))));
}

class Tile {
  constructor(rig) {
    this.rig = rig;
    this.values = {};
    this.figures = {};
    this.outputs = {};
    this.alerts = [];
    this.online = rig.online;
    this.el = h('li', { class: 'tile', dataset: { rig: rig.rig, kind: rig.kind ?? 'other' } });
    this.draw();
  }

  update(u) {
    Object.assign(this.values, u.values ?? {});
    this.figures = { ...this.figures, ...(u.figures ?? {}) };
    this.online = u.online;
    this.draw();
  }

  alert(a) {
    this.alerts = [a, ...this.alerts];
    this.draw();
  }

  async loadAlerts() {
    const r = await get(`${rigPath(this.rig.site, this.rig.rig)}/alerts?within=1d`);
    this.alerts = r.alerts;
    this.draw();
  }

  async loadOutputs() {
    const o = await get(`${rigPath(this.rig.site, this.rig.rig)}/outputs?within=15m`);
    this.outputs = { vibration: o.vibration?.[0], energy: o.energy };
    this.draw();
  }

  sensor(id) { return this.rig.sensors.find(s => s.id === id); }

  value(spec) {
    if (spec.from === 's') {
      const v = this.values[spec.key];
      return v ? { v: v.v, unit: this.sensor(spec.key)?.unit, t: v.t } : null;
    }
    if (spec.from === 'f') return this.figures[spec.key] ?? null;
    const v = this.outputs.vibration?.[spec.key];
    return v === undefined ? null : { v, unit: spec.unit, zone: this.outputs.vibration?.iso_zone };
  }

  draw() {
    const rig = this.rig;
    const specs = tileValues[rig.kind] ?? rig.sensors.filter(s => !s.waveform).slice(0, 4).map(s => ({ key: s.id, from: 's', label: null }));
    const open = openAlerts(this.alerts);
    const dl = h('dl', { class: 'kpis' });
    if (rig.may.data) {
      for (const spec of specs) {
        const v = this.value(spec);
        const zone = spec.iso && v?.zone;
        let extra = null;
        if (spec.bep && this.outputs.energy?.bep_efficiency) extra = h('span', { class: 'sub' }, t('kpi.bep', { eff: quantity(100 * this.outputs.energy.bep_efficiency, '%', 0) }));
        dl.append(h('div', { class: 'kpi', dataset: { key: spec.key } },
          h('dt', {}, spec.label ? t(spec.label) : spec.key),
          h('dd', { class: zone ? isoZones[zone] : null }, v ? quantity(v.v, v.unit) : '–',
            zone ? h('span', { class: 'zone', title: t('kpi.iso_zone_title') }, ` ${t('kpi.zone')} ${zone}`) : null, extra)));
      }
    }
    const link = h('a', { href: rigPage(rig.site, rig.rig), class: 'rig-id' }, rig.rig);
    clear(this.el).append(
      h('div', { class: 'tile-head' }, h('h3', {}, link),
        h('span', { class: `badge ${this.online ? 'online' : 'offline'}` }, this.online ? t('rig.online') : t('rig.offline'))),
      h('p', { class: 'desc' }, rig.description ?? '', ' ', h('span', { class: 'kind' }, t('kind.' + (rig.kind ?? 'other')))),
      rig.may.data ? dl : h('p', { class: 'muted' }, rig.in_pilot_now ? t('rig.in_pilot') : t('rig.no_data')),
      open.length ? h('p', { class: 'alerts-open', role: 'status' }, t('alerts.open', { n: open.length }), ': ', open.map(a => a.kind).join(', '))
        : rig.may.data ? h('p', { class: 'alerts-none' }, t('alerts.none_open')) : null);
  }
}
