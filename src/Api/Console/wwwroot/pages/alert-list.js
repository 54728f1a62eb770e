import { h, clear, section } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, rigPath } from '../lib/api.js';
import { number, time } from '../lib/format.js';
import { alertActions } from './alert-actions.js';

// The rig's alerts with their explanation, and — for those who may see the fault truth (instructors; students once
// it is released) — what was really staged, side by side in one timeline: "what the model said" against "what happened".
export function alertList(rig, me) {
  const base = rigPath(rig.site, rig.rig);
  const body = h('div', { class: 'alerts' });
  const el = section(t('alerts.title'), body);
  async function refresh() {
    const [alerts, truth] = await Promise.all([
      get(`${base}/alerts?within=1d`).then(r => r.alerts),
      rig.may.truth ? get(`${base}/faults?from=now-1d&to=now`).catch(() => []) : Promise.resolve(null),
    ]);
    clear(body);
    if (alerts.length === 0 && !truth?.length) { body.append(h('p', { class: 'muted' }, t('alerts.none'))); return; }
    const rows = [
      ...alerts.map(a => ({ t: Date.parse(a.t), alert: a })),
      ...(truth ?? []).map(f => ({ t: Date.parse(f.t), truth: f })),
    ].sort((x, y) => y.t - x.t).slice(0, 60);
    const table = h('table', { class: 'timeline' },
      h('caption', {}, truth ? t('alerts.compare_caption') : t('alerts.caption')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('alerts.time')), h('th', { scope: 'col' }, t('alerts.model_said')),
        truth ? h('th', { scope: 'col' }, t('alerts.really_happened')) : null)),
      h('tbody', {}, rows.map(r => h('tr', { class: r.alert ? `alert ${r.alert.state}` : 'truth', dataset: r.alert ? { alert: r.alert.id, kind: r.alert.kind, state: r.alert.state } : { fault: r.truth.fault } },
        h('td', {}, time(r.t, true)),
        h('td', {}, r.alert ? describeAlert(r.alert, rig, me, refresh) : ''),
        truth ? h('td', {}, r.truth ? describeTruth(r.truth) : '') : null))));
    body.append(table);
  }
  return { el, refresh: () => refresh().catch(e => { clear(body).append(h('p', { class: 'error' }, e.message)); }) };
}

function describeAlert(a, rig, me, refresh) {
  return h('div', {},
    h('strong', {}, `${t('alerts.state.' + a.state)} · ${t('alerts.kind.' + a.kind)}`), a.defect ? ` · ${t('defect.' + a.defect)}` : '',
    h('p', {}, a.summary),
    a.score !== null && a.limit !== null ? h('p', { class: 'muted' }, t('models.score', { score: number(a.score, 2), limit: number(a.limit, 2) }),
      a.sensors?.length ? ` · ${t('alerts.sensors')} ${a.sensors.join(', ')}` : '') : null,
    a.state === 'raised' ? alertActions(a, rig, me, refresh) : null);
}

function describeTruth(f) {
  return h('div', {}, h('strong', {}, `${t('fault.action.' + f.action)} · ${f.fault}`),
    h('p', { class: 'muted' }, t('truth.detail', { severity: number(f.severity, 2), rate: number(f.progression_per_hour, 2), source: f.source })));
}
