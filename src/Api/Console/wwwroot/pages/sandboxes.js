import { h, clear, section } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, send, datasetPage } from '../lib/api.js';
import { number, time } from '../lib/format.js';
import { fieldError } from '../lib/form.js';

// Sandboxes (docs/datasets.md): a replay runs from a terminal (./fieldlab replay ID), which opens its own sandbox site
// (lab-…) and plays the dataset into it; the console builds that command and lists the sandboxes the caller runs,
// each of which it can end now (DELETE, after a confirmation).
// Shell words need no quotes when they are plain names; anything else is single-quoted.
const word = s => (/^[\w.@%+=:,/-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

export function replayCommand({ id, version, speed, schoolClass, hours }) {
  return ['./fieldlab', 'replay', word(id), version ? `--version ${version}` : null, `--speed ${speed}`,
    schoolClass ? `--class ${word(schoolClass)}` : null, hours ? `--hours ${hours}` : null].filter(Boolean).join(' ');
}

export async function replayPanel(id, version, site) {
  const classes = await get(`/api/sites/${encodeURIComponent(site)}/classes`).catch(() => []);
  const schoolClass = h('select', { id: 'r-class', name: 'class' }, h('option', { value: '' }, t('sandbox.instructors_only')),
    classes.map(c => h('option', { value: c.name }, c.name)));
  const speed = h('input', { id: 'r-speed', name: 'speed', type: 'number', min: 1, max: 100, step: 1, value: 10, required: true });
  const hours = h('input', { id: 'r-hours', name: 'hours', type: 'number', min: 0.5, max: 36, step: 0.5, value: 4, required: true });
  const speedError = fieldError('err-r-speed');
  const hoursError = fieldError('err-r-hours');
  speed.setAttribute('aria-describedby', speedError.id);
  hours.setAttribute('aria-describedby', hoursError.id);
  const command = h('code', { class: 'command', id: 'r-command' });
  const copied = h('span', { class: 'reply', role: 'status' });
  const check = (input, box, message) => {
    const ok = input.validity.valid;
    box.hidden = ok;
    box.textContent = ok ? '' : message;
    if (ok) input.removeAttribute('aria-invalid'); else input.setAttribute('aria-invalid', 'true');
    return ok;
  };
  const draw = () => {
    const ok = [check(speed, speedError, t('sandbox.speed_range')), check(hours, hoursError, t('sandbox.hours_range'))].every(Boolean);
    command.textContent = ok ? replayCommand({ id, version, speed: speed.value, schoolClass: schoolClass.value, hours: hours.value }) : '–';
    copied.textContent = '';
  };
  for (const control of [schoolClass, speed, hours]) control.addEventListener('input', draw);
  const copy = h('button', { type: 'button', class: 'secondary', onclick: async () => {
      try { await navigator.clipboard.writeText(command.textContent); copied.textContent = t('sandbox.copied'); }
      catch { getSelection().selectAllChildren(command); copied.textContent = t('sandbox.copy_select'); }
    } }, t('sandbox.copy'));
  draw();
  return section(t('sandbox.title'),
    h('p', {}, t('sandbox.explain')),
    h('div', { class: 'row replay-form' },
      h('label', { for: schoolClass.id }, t('sandbox.class')), schoolClass,
      h('label', { for: speed.id }, t('sandbox.speed')), h('div', {}, speed, speedError),
      h('label', { for: hours.id }, t('sandbox.hours')), h('div', {}, hours, hoursError)),
    h('p', { class: 'command-line' }, h('span', { class: 'sr-only' }, t('sandbox.command')), command, ' ', copy, ' ', copied),
    h('p', { class: 'muted' }, t('sandbox.last_line')));
}

// The sandboxes the caller runs (all, or those of one dataset).
export async function sandboxList(dataset = null) {
  const box = h('div', { class: 'sandboxes', 'aria-live': 'polite' });
  const status = h('p', { class: 'reply', role: 'status', tabindex: -1 });
  const refresh = async () => {
    const all = await get('/api/sandboxes');
    draw(all.filter(s => dataset === null || s.dataset === dataset));
  };
  function draw(list) {
    if (list.length === 0) { clear(box).append(h('p', { class: 'muted none' }, t('sandbox.none'))); return; }
    const cols = ['site', 'dataset', 'class', 'speed', 'created', 'expires', 'rows', 'state', 'actions'];
    const cell = (col, ...content) => h('td', { 'data-label': t('sandbox.col.' + col) }, ...content);
    clear(box).append(h('table', { class: 'stack sandbox-list' },
      h('caption', { class: 'sr-only' }, t('sandbox.list')),
      h('thead', {}, h('tr', {}, cols.map(c => h('th', { scope: 'col' }, t('sandbox.col.' + c))))),
      h('tbody', {}, list.map(s => h('tr', { dataset: { sandbox: s.site } },
        cell('site', h('code', {}, s.site), h('br'), h('span', { class: 'muted' }, s.rigs.join(', '))),
        cell('dataset', h('a', { href: datasetPage(s.dataset, s.version) }, s.dataset), ` v${s.version}`),
        cell('class', s.class ?? t('sandbox.instructors_only')),
        cell('speed', `${number(s.speed)}×`),
        cell('created', s.created_by, h('br'), h('span', { class: 'muted' }, time(s.created_at, true))),
        cell('expires', time(s.expires_at, true)),
        cell('rows', number(s.rows, 0)),
        cell('state', s.finished_at ? t('sandbox.finished', { at: time(s.finished_at, true) }) : t('sandbox.open')),
        cell('actions', endButton(s)))))));
  }
  function endButton(s) {
    const confirm = h('div', { class: 'confirm', hidden: true, role: 'group', 'aria-label': t('sandbox.end_label', { site: s.site }) });
    const button = h('button', { type: 'button', class: 'danger end', onclick: () => {
        confirm.replaceChildren(h('p', {}, t('sandbox.end_confirm', { site: s.site })),
          h('button', { type: 'button', class: 'danger', onclick: () => end(s, button, confirm) }, t('sandbox.end_yes')),
          h('button', { type: 'button', class: 'secondary', onclick: () => { confirm.hidden = true; button.focus(); } }, t('fault.confirm_no')));
        confirm.hidden = false;
        confirm.querySelector('button').focus();
      } }, t('sandbox.end'));
    return h('div', {}, button, confirm);
  }
  async function end(s, button, confirm) {
    confirm.hidden = true;
    status.className = 'reply';
    status.textContent = t('sandbox.ending', { site: s.site });
    try {
      await send('DELETE', `/api/sandboxes/${encodeURIComponent(s.site)}`);
      status.className = 'reply ok';
      status.textContent = t('sandbox.ended', { site: s.site });
      await refresh();
      status.focus(); // the row and its button are gone
    } catch (err) {
      status.className = 'reply bad';
      status.textContent = err.problem?.detail ?? err.message;
      button.focus();
    }
  }
  await refresh().catch(err => { box.textContent = err.message; });
  return section(t('sandbox.list'), box, status);
}
