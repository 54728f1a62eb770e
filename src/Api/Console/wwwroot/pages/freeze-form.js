import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, send, datasetPage } from '../lib/api.js';
import { bytes, number } from '../lib/format.js';
import { fieldError, FieldErrors, localInput, toUtc, localOffset } from '../lib/form.js';

// The freeze form: a site, the rigs there whose data the caller may read now, a range [from, to) in the browser's local
// time (sent as UTC RFC 3339), optionally sensors, a title, hidden labels and labels made by hand. The API decides
// everything: a 400 shows its field errors next to the fields, a 409 (a rig not yet stored through the end of the
// range) its sentence as it came.
let counter = 0;

export async function freezeForm(sites, onFrozen) {
  const errors = new FieldErrors();
  const status = h('p', { class: 'reply', role: 'status', 'aria-live': 'polite' });
  const site = h('select', { id: 'f-site', name: 'site' }, sites.map(s => h('option', { value: s.id }, s.name ?? s.id)));
  const rigBox = h('fieldset', { class: 'picker rigs', tabindex: -1 }, h('legend', {}, t('freeze.rigs')));
  const sensorBox = h('fieldset', { class: 'picker sensors', tabindex: -1 }, h('legend', {}, t('freeze.sensors')));
  const now = new Date();
  const from = h('input', { id: 'f-from', name: 'from', type: 'datetime-local', step: 1, value: localInput(new Date(now - 15 * 60000)) });
  const to = h('input', { id: 'f-to', name: 'to', type: 'datetime-local', step: 1, value: localInput(new Date(now - 60000)) });
  const title = h('input', { id: 'f-title', name: 'title', type: 'text', maxlength: 200 });
  const hide = h('input', { id: 'f-hide', name: 'hide_labels', type: 'checkbox' });
  const labelRows = h('div', { class: 'label-rows' });
  const submit = h('button', { type: 'submit' }, t('freeze.submit'));
  let rigs = [];

  const boxes = Object.fromEntries(['site', 'rigs', 'from', 'to', 'sensors', 'title', 'labels'].map(name => [name, fieldError(`err-${name}`)]));
  for (const [name, control] of Object.entries({ site, rigs: rigBox, from, to, sensors: sensorBox, title })) errors.add(name, control, boxes[name]);

  const chosenRigs = () => [...rigBox.querySelectorAll('input:checked')].map(i => i.value);
  function drawSensors() {
    const chosen = rigs.filter(r => chosenRigs().includes(r.rig));
    const ids = [...new Set(chosen.flatMap(r => r.sensors.filter(s => !s.waveform).map(s => s.id)))].sort();
    const kept = new Set([...sensorBox.querySelectorAll('input:checked')].map(i => i.value));
    sensorBox.replaceChildren(h('legend', {}, t('freeze.sensors')),
      ...(ids.length ? ids.map(id => h('label', {}, h('input', { type: 'checkbox', name: 'sensors', value: id, checked: kept.has(id) }), ' ', id))
        : [h('span', { class: 'muted' }, t('freeze.sensors_pick_rig'))]));
    labelRows.querySelectorAll('select[name=label-rig]').forEach(fillRigOptions);
  }
  function fillRigOptions(select) {
    const was = select.value;
    select.replaceChildren(...chosenRigs().map(r => h('option', { value: r, selected: r === was }, r)));
  }
  async function loadRigs() {
    if (!site.value) return;
    const all = await get(`/api/sites/${encodeURIComponent(site.value)}/rigs`);
    rigs = all.filter(r => r.may.data);
    rigBox.replaceChildren(h('legend', {}, t('freeze.rigs')),
      ...(rigs.length ? rigs.map(r => h('label', {}, h('input', { type: 'checkbox', name: 'rigs', value: r.rig, onchange: drawSensors }), ' ', r.rig))
        : [h('span', { class: 'muted' }, t('freeze.no_rigs'))]));
    drawSensors();
  }
  site.addEventListener('change', () => loadRigs().catch(e => { status.textContent = e.message; }));

  function addLabelRow() {
    const n = ++counter;
    const rig = h('select', { id: `l-rig-${n}`, name: 'label-rig' });
    fillRigOptions(rig);
    const start = h('input', { id: `l-start-${n}`, name: 'label-start', type: 'datetime-local', step: 1, value: from.value });
    const end = h('input', { id: `l-end-${n}`, name: 'label-end', type: 'datetime-local', step: 1, value: to.value });
    const label = h('input', { id: `l-label-${n}`, name: 'label-label', type: 'text', maxlength: 100, placeholder: 'normal' });
    const box = fieldError(`err-label-${n}`);
    const row = h('div', { class: 'label-row', role: 'group', 'aria-label': t('freeze.label_n', { n: labelRows.children.length + 1 }) },
      h('label', { for: rig.id }, t('freeze.label_rig')), rig,
      h('label', { for: start.id }, t('freeze.label_start')), start,
      h('label', { for: end.id }, t('freeze.label_end')), end,
      h('label', { for: label.id }, t('freeze.label_label')), label,
      h('button', { type: 'button', class: 'secondary', onclick: () => { row.remove(); addButton.focus(); } }, t('freeze.label_remove')), box);
    row.fields = { rig, start, end, label, box };
    labelRows.append(row);
    rig.focus();
  }
  const addButton = h('button', { type: 'button', class: 'secondary', onclick: addLabelRow }, t('freeze.label_add'));

  const form = h('form', { class: 'freeze-form', novalidate: true, onsubmit: async e => {
      e.preventDefault();
      const rows = [...labelRows.children];
      errors.forget('labels[');
      rows.forEach((row, i) => errors.add(`labels[${i}]`, row.fields.label, row.fields.box));
      errors.add('labels', labelRows, boxes.labels);
      errors.clear();
      const body = {
        site: site.value, rigs: chosenRigs(), from: toUtc(from.value), to: toUtc(to.value),
        sensors: [...sensorBox.querySelectorAll('input:checked')].map(i => i.value), title: title.value.trim() || null, hide_labels: hide.checked,
        labels: rows.map(r => ({ rig: r.fields.rig.value, start: toUtc(r.fields.start.value), end: toUtc(r.fields.end.value), label: r.fields.label.value.trim() })),
      };
      submit.disabled = true;
      status.className = 'reply';
      status.removeAttribute('data-status');
      status.textContent = t('freeze.sending');
      try {
        const d = await send('POST', '/api/datasets', body);
        status.dataset.status = '201';
        status.className = 'reply ok';
        status.replaceChildren(t('freeze.done', { id: d.id, version: d.version, rows: number(d.rows, 0), size: bytes(d.bytes) }), ' ',
          h('a', { href: datasetPage(d.id, d.version) }, t('datasets.open', { id: d.id })));
        onFrozen?.(d);
      } catch (err) {
        status.dataset.status = String(err.status ?? '');
        status.className = 'reply bad';
        // A 409 is a sentence of the API's (the rig and how far it is stored): shown as it came.
        status.textContent = err.problem?.errors ? errors.show(err.problem.errors, labelOf) : (err.problem?.detail ?? err.message);
      } finally { submit.disabled = false; }
    } },
    h('fieldset', {}, h('legend', {}, t('freeze.title')),
      h('div', { class: 'row' }, h('label', { for: site.id }, t('freeze.site')), h('div', {}, site, boxes.site)),
      rigBox, boxes.rigs,
      h('p', { class: 'muted', id: 'f-zone' }, t('freeze.local_time', { offset: localOffset() })),
      h('div', { class: 'row' },
        h('label', { for: from.id }, t('freeze.from')), h('div', {}, from, boxes.from),
        h('label', { for: to.id }, t('freeze.to')), h('div', {}, to, boxes.to),
        h('label', { for: title.id }, t('freeze.name')), h('div', {}, title, boxes.title),
        h('label', { for: hide.id }, t('freeze.hide_labels')), h('div', {}, hide, h('span', { class: 'muted' }, ' ', t('freeze.hide_explain')))),
      sensorBox, boxes.sensors,
      h('fieldset', { class: 'hand-labels' }, h('legend', {}, t('freeze.labels')), h('p', { class: 'muted' }, t('freeze.labels_explain')), labelRows, boxes.labels, addButton),
      h('p', { class: 'muted' }, t('freeze.watermark_explain')),
      submit, status));
  for (const control of [from, to]) control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby')} f-zone`);
  await loadRigs();
  return form;
}

const fieldLabels = { site: 'freeze.site', rigs: 'freeze.rigs', from: 'freeze.from', to: 'freeze.to', sensors: 'freeze.sensors', title: 'freeze.name', labels: 'freeze.labels' };
function labelOf(name) {
  const m = /^labels\[(\d+)\]$/.exec(name);
  if (m) return t('freeze.label_n', { n: Number(m[1]) + 1 });
  return fieldLabels[name] ? t(fieldLabels[name]) : name;
}
