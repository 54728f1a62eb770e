import { h, clear } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, send, rigPath } from '../lib/api.js';
import { time } from '../lib/format.js';
import { describe } from './fault-panel.js';

// The alert lifecycle (docs/access.md, "Alerts, maintenance and notifications"): acknowledge, assign, comment on and close an alert — with what was done,
// optionally linked to a maintenance action. Offered to those the API lets handle the rig's alerts.
export function alertActions(alert, rig, me, refresh) {
  const life = alert.lifecycle;
  const box = h('div', { class: 'lifecycle', dataset: { occurrence: alert.occurrence ?? '' } });
  if (!life) return box;
  const status = h('p', { class: `status ${life.status}` }, t('life.status.' + life.status),
    life.assignee ? ` · ${t('life.assigned', { user: life.assignee })}` : '',
    life.acknowledged_by ? ` · ${t('life.acknowledged', { user: life.acknowledged_by, at: time(life.acknowledged_at, true) })}` : '',
    life.closed_by ? ` · ${t('life.closed', { user: life.closed_by, at: time(life.closed_at, true) })}: ${life.resolution ?? ''}` : '',
    life.maintenance ? ` · ${t('life.maintenance', { what: life.maintenance.what, component: life.maintenance.component })}` : '');
  box.append(status);
  const out = h('p', { class: 'reply', role: 'status' });
  const base = `${rigPath(rig.site, rig.rig)}/alerts/${encodeURIComponent(alert.occurrence)}`;
  const act = async (fn) => {
    try { await fn(); await refresh(); }
    catch (err) { out.textContent = describe(err); out.className = 'reply bad'; }
  };
  const comments = h('details', { class: 'comments' }, h('summary', {}, t('life.comments', { n: life.comments })));
  comments.addEventListener('toggle', async () => {
    if (!comments.open || comments.dataset.loaded) return;
    comments.dataset.loaded = '1';
    const r = await get(`${base}/comments`);
    comments.append(h('ul', {}, r.comments.map(c => h('li', {}, h('strong', {}, c.author), ` (${time(c.created_at, true)}): `, c.text))));
  });
  box.append(comments);
  if (!rig.may.alert || life.status === 'closed') {
    if (rig.may.alert) box.append(commentForm(base, act));
    box.append(out);
    return box;
  }
  const actions = h('div', { class: 'actions' });
  if (life.status === 'open') actions.append(h('button', { type: 'button', class: 'secondary', onclick: () => act(() => send('POST', `${base}/acknowledge`)) }, t('life.acknowledge')));
  if (life.assignee !== me.user_name) actions.append(h('button', { type: 'button', class: 'secondary', onclick: () => act(() => send('PUT', `${base}/assignee`, { user: me.user_name })) }, t('life.take')));
  const closeId = `close-${Math.random().toString(36).slice(2, 8)}`;
  const resolution = h('input', { id: closeId, name: 'resolution', required: true, maxlength: 4000 });
  const closeForm = h('form', { class: 'close-form', onsubmit: e => { e.preventDefault(); act(() => send('POST', `${base}/close`, { resolution: resolution.value })); } },
    h('label', { for: closeId }, t('life.resolution')), ' ', resolution, ' ', h('button', { type: 'submit' }, t('life.close')));
  box.append(actions, commentForm(base, act), closeForm, out);
  return box;
}

function commentForm(base, act) {
  const id = `comment-${Math.random().toString(36).slice(2, 8)}`;
  const text = h('input', { id, name: 'comment', required: true, maxlength: 4000 });
  return h('form', { class: 'comment-form', onsubmit: e => { e.preventDefault(); act(() => send('POST', `${base}/comments`, { text: text.value })); } },
    h('label', { for: id }, t('life.comment')), ' ', text, ' ', h('button', { type: 'submit', class: 'secondary' }, t('life.add_comment')));
}
