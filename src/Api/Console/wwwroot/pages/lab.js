import { h, clear, section } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, rigPage } from '../lib/api.js';
import { time } from '../lib/format.js';
import { faultPanel, rebaselineButton } from './fault-panel.js';

// The instructor panel: stage, step and clear faults on the site's rigs, re-baseline their models, and read the site's
// audit log (every command, with the gateway's answer).
export async function render(main, { me }) {
  main.append(h('h1', {}, t('lab.title')));
  if (!['Instructor', 'Administrator'].includes(me.role)) {
    main.append(h('p', { class: 'card' }, t('error.forbidden_detail')));
    return;
  }
  const sites = await get('/api/sites');
  const site = me.site ?? sites[0]?.id;
  if (!site) { main.append(h('p', {}, t('overview.none'))); return; }
  const rigs = await get(`/api/sites/${encodeURIComponent(site)}/rigs`);
  const audit = h('div', { class: 'audit' });
  const loadAudit = () => get(me.role === 'Administrator' ? '/api/audit?limit=50' : `/api/sites/${encodeURIComponent(site)}/audit?limit=50`)
    .then(entries => drawAudit(audit, entries)).catch(e => { audit.textContent = e.message; });
  for (const rig of rigs) {
    const controls = rig.may.command
      ? faultPanel(rig, loadAudit)
      : h('p', { class: 'muted' }, rig.in_pilot_now ? t('lab.pilot_blocks') : t('lab.no_command'));
    main.append(section(`${rig.rig} — ${rig.description ?? ''}`,
      h('p', {}, h('a', { href: rigPage(rig.site, rig.rig) }, t('lab.open_rig', { rig: rig.rig })), ' · ',
        h('span', { class: `badge ${rig.online ? 'online' : 'offline'}` }, rig.online ? t('rig.online') : t('rig.offline'))),
      controls, rig.may.rebaseline ? rebaselineButton(rig) : null));
  }
  main.append(section(t('lab.audit'), audit));
  loadAudit();
}

function drawAudit(box, entries) {
  clear(box).append(h('table', {},
    h('caption', { class: 'sr-only' }, t('lab.audit')),
    h('thead', {}, h('tr', {}, ['time', 'actor', 'action', 'rig', 'outcome'].map(k => h('th', { scope: 'col' }, t('audit.' + k))))),
    h('tbody', {}, entries.map(e => h('tr', {}, h('td', {}, time(e.t, true)), h('td', {}, `${e.actor} (${e.role ?? ''})`), h('td', {}, e.action),
      h('td', {}, e.rig ?? e.target ?? ''), h('td', { class: e.outcome === 'ok' ? 'ok' : 'bad' }, e.outcome))))));
}
