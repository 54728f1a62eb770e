import { h, clear, section } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, send, rigPath } from '../lib/api.js';
import { time } from '../lib/format.js';
import { describe } from './fault-panel.js';

// The rig's maintenance log (docs/access.md, "Alerts, maintenance and notifications"): what was done, to which component, when and by whom. Recording an
// action may re-baseline the rig's models (the API checks that right separately). The actions become labels of datasets.
export function maintenanceLog(rig, me, onChange) {
  const base = `${rigPath(rig.site, rig.rig)}/maintenance`;
  const list = h('div');
  const out = h('p', { class: 'reply', role: 'status' });
  async function load() {
    const r = await get(`${base}?from=now-30d&to=now`);
    clear(list).append(r.maintenance.length === 0 ? h('p', { class: 'muted' }, t('maint.none'))
      : h('table', {}, h('caption', { class: 'sr-only' }, t('maint.title')),
        h('thead', {}, h('tr', {}, ['performed_at', 'what', 'component', 'performed_by', 'notes'].map(k => h('th', { scope: 'col' }, t('maint.' + k))))),
        h('tbody', {}, r.maintenance.map(m => h('tr', { dataset: { maintenance: m.id } }, h('td', {}, time(m.performed_at, true)), h('td', {}, m.what), h('td', {}, m.component),
          h('td', {}, m.performed_by), h('td', {}, m.notes ?? ''))))));
  }
  const el = section(t('maint.title'), list);
  if (rig.may.maintain) {
    const field = (name, attrs = {}) => {
      const id = `m-${name}-${rig.rig}`;
      return [h('label', { for: id }, t('maint.' + name)), h('input', { id, name, ...attrs })];
    };
    const rebaseline = rig.may.rebaseline ? h('input', { id: `m-rebaseline-${rig.rig}`, type: 'checkbox', name: 'rebaseline' }) : null;
    const form = h('form', { class: 'maintenance-form', onsubmit: async e => {
        e.preventDefault();
        const f = new FormData(form);
        try {
          const r = await send('POST', base, { what: f.get('what'), component: f.get('component'), performed_at: f.get('performed_at') || 'now', notes: f.get('notes') || null, rebaseline: !!rebaseline?.checked });
          out.textContent = t('maint.recorded') + (r.rebaseline ? ` · ${t('maint.rebaseline_outcome', { outcome: r.rebaseline.outcome })}` : '');
          out.className = 'reply ok';
          form.reset();
          await load();
          onChange?.();
        } catch (err) { out.textContent = describe(err); out.className = 'reply bad'; }
      } },
      h('fieldset', {}, h('legend', {}, t('maint.record')),
        h('div', { class: 'row' }, ...field('what', { required: true, placeholder: t('maint.what_example') }), ...field('component', { required: true, placeholder: t('maint.component_example') }),
          ...field('performed_at', { placeholder: 'now' }), ...field('notes'),
          rebaseline ? [h('label', { for: rebaseline.id }, t('maint.rebaseline')), rebaseline] : []),
        h('button', { type: 'submit' }, t('maint.save')), out));
    el.append(form);
  }
  load().catch(e => { list.textContent = e.message; });
  return { el };
}
