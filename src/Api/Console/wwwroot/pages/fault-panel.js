import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { send, rigPath } from '../lib/api.js';
import { number } from '../lib/format.js';

// Stage, step or clear a fault on a rig (instructors, at their site, while no pilot runs on it), after a confirmation;
// the gateway's reply is shown as it came. Also re-baselining the rig's models. Every action is audited by the API.
export function faultPanel(rig, onDone) {
  const id = rig.rig;
  const fault = h('select', { id: `fault-${id}`, name: 'fault' }, (rig.faults ?? []).map(f => h('option', { value: f.id }, `${f.id} — ${f.description}`)));
  const action = h('select', { id: `action-${id}`, name: 'action' }, ['start', 'step', 'clear'].map(a => h('option', { value: a }, t('fault.action.' + a))));
  const severity = h('input', { id: `severity-${id}`, name: 'severity', type: 'number', min: 0, max: 1, step: 0.05, value: 0.6 });
  const progression = h('input', { id: `progression-${id}`, name: 'progression', type: 'number', min: 0, max: 10, step: 0.05, value: 0 });
  const reply = h('output', { class: 'reply', 'aria-live': 'polite', for: `fault-${id}` });
  const confirm = h('div', { class: 'confirm', hidden: true, role: 'group', 'aria-label': t('fault.confirm_label') });
  const submit = h('button', { type: 'submit' }, t('fault.send'));
  const form = h('form', { class: 'fault-form', dataset: { rig: id }, onsubmit: e => {
      e.preventDefault();
      const body = { action: action.value, fault: fault.value };
      if (action.value !== 'clear') { body.severity = Number(severity.value); body.progression_per_hour = Number(progression.value); }
      confirm.replaceChildren(
        h('p', {}, t('fault.confirm', { action: t('fault.action.' + body.action), fault: body.fault, rig: id, severity: number(body.severity ?? 0, 2) })),
        h('button', { type: 'button', class: 'danger', onclick: () => go(body) }, t('fault.confirm_yes')),
        h('button', { type: 'button', class: 'secondary', onclick: () => { confirm.hidden = true; submit.focus(); } }, t('fault.confirm_no')));
      confirm.hidden = false;
      confirm.querySelector('button').focus();
    } },
    h('fieldset', {}, h('legend', {}, t('fault.title')),
      h('div', { class: 'row' },
        h('label', { for: `fault-${id}` }, t('fault.kind')), fault,
        h('label', { for: `action-${id}` }, t('fault.action')), action,
        h('label', { for: `severity-${id}` }, t('fault.severity')), severity,
        h('label', { for: `progression-${id}` }, t('fault.progression')), progression),
      submit, confirm, reply));

  async function go(body) {
    confirm.hidden = true;
    reply.textContent = t('fault.sending');
    reply.className = 'reply';
    try {
      const r = await send('POST', `${rigPath(rig.site, id)}/faults`, { id: 'console', ...body });
      reply.textContent = t('fault.reply_ok', { detail: r.detail, active: Object.entries(r.active ?? {}).map(([k, v]) => `${k} ${number(v, 2)}`).join(', ') || '–' });
      reply.classList.add('ok');
      onDone?.();
    } catch (err) {
      reply.textContent = t('fault.reply_error', { status: err.status ?? '', detail: describe(err) });
      reply.classList.add('bad');
    }
    submit.focus();
  }
  return form;
}

export function rebaselineButton(rig) {
  const out = h('output', { class: 'reply', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'secondary', onclick: async () => {
      if (!window.confirm(t('models.rebaseline_confirm', { rig: rig.rig }))) return;
      out.textContent = t('fault.sending');
      try { await send('POST', `${rigPath(rig.site, rig.rig)}/models/baseline`); out.textContent = t('models.rebaselined'); }
      catch (err) { out.textContent = err.message; }
    } }, t('models.rebaseline'));
  return h('div', { class: 'rebaseline' }, button, out);
}

// A validation problem lists its fields; any other problem has its sentence.
export function describe(err) {
  const errors = err.problem?.errors;
  return errors ? Object.entries(errors).map(([k, v]) => `${k}: ${[].concat(v).join(' ')}`).join('; ') : (err.problem?.detail ?? err.message);
}
