import { h, clear, section } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, send } from '../lib/api.js';
import { number } from '../lib/format.js';

// The operator's view of ingest: what it receives, stores, rejects and spools, and the quarantine with replay. The
// numbers are ingest's own (GET /stats of the ingest service, through the API).
export async function render(main, { me }) {
  main.append(h('h1', {}, t('platform.title')));
  if (me.role !== 'Administrator') { main.append(h('p', { class: 'card' }, t('error.forbidden_detail'))); return; }
  const figures = h('dl', { class: 'kpis wide' });
  const rates = h('p', { class: 'muted', 'aria-live': 'polite' });
  const quarantine = h('div');
  main.append(section(t('platform.ingest'), figures, rates), section(t('platform.quarantine'), quarantine));
  let last = null;
  async function load() {
    const m = await get('/api/ingest/metrics');
    const now = Date.now();
    if (last) {
      const s = (now - last.at) / 1000;
      rates.textContent = t('platform.rates', { rows: number((m.rows_stored - last.m.rows_stored) / s, 0), messages: number((m.messages - last.m.messages) / s, 0) });
    }
    last = { at: now, m };
    const shown = ['messages', 'rows_stored', 'rows_rejected', 'messages_rejected', 'write_failures', 'lag_p50_ms', 'lag_p99_ms',
      'write_latency_p99_ms', 'pending_points', 'parked_messages', 'spool_batches', 'spool_bytes', 'quarantined', 'receive_backlog', 'mqtt_connection_losses'];
    clear(figures).append(...shown.map(k => h('div', { class: 'kpi' }, h('dt', {}, t('platform.' + k)), h('dd', {}, number(m[k], k.endsWith('_ms') ? 1 : 0)))));
  }
  async function loadQuarantine() {
    const q = await get('/api/ingest/quarantine?limit=50');
    const items = q.messages ?? q.items ?? q;
    const list = Array.isArray(items) ? items : [];
    clear(quarantine).append(
      h('p', {}, t('platform.quarantine_count', { n: q.count ?? list.length })),
      list.length ? h('table', {}, h('caption', { class: 'sr-only' }, t('platform.quarantine')),
        h('thead', {}, h('tr', {}, ['reason', 'topic', 'detail'].map(k => h('th', { scope: 'col' }, t('platform.q_' + k))))),
        h('tbody', {}, list.map(i => h('tr', {}, h('td', {}, i.reason), h('td', {}, i.topic), h('td', {}, i.detail ?? ''))))) : null,
      h('button', { type: 'button', onclick: async () => {
          const r = await send('POST', '/api/ingest/quarantine/replay');
          quarantine.append(h('p', { role: 'status' }, t('platform.replayed', { result: JSON.stringify(r) })));
          loadQuarantine();
        } }, t('platform.replay')));
  }
  await Promise.all([load().catch(e => { figures.textContent = e.message; }), loadQuarantine().catch(e => { quarantine.textContent = e.message; })]);
  setInterval(() => load().catch(() => {}), 5000);
}
