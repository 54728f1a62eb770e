import { h, clear, section } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, ApiError, datasetPage } from '../lib/api.js';
import { bytes, number, time } from '../lib/format.js';
import { freezeForm } from './freeze-form.js';
import { sandboxList } from './sandboxes.js';
import { mayReadDatasets, mayManageSandboxes } from '../lib/roles.js';

// Frozen datasets (docs/datasets.md): the ones the caller may read, a form to freeze a new one and, for instructors,
// the sandboxes they run. Students have no dataset right: datasets reach them through their instructors' assignments.
export async function render(main, { me }) {
  main.append(h('h1', {}, t('datasets.title')));
  if (!mayReadDatasets(me)) { main.append(studentNote()); return; }
  const list = h('div', { class: 'dataset-list', 'aria-live': 'polite', 'aria-busy': 'true' });
  const refresh = async () => {
    list.setAttribute('aria-busy', 'true');
    drawList(list, await get('/api/datasets'));
    list.setAttribute('aria-busy', 'false');
  };
  try { await refresh(); } catch (e) {
    // The rights table decides, not the menu: a role without dataset/read gets 403 from the API.
    if (e instanceof ApiError && e.status === 403) { main.append(studentNote()); return; }
    throw e;
  }
  main.append(h('p', { class: 'muted' }, t('datasets.explain')), section(t('datasets.list'), list));
  const sites = await get('/api/sites');
  main.append(section(t('freeze.title'), await freezeForm(sites, () => refresh().catch(err => { list.textContent = err.message; }))));
  if (mayManageSandboxes(me)) main.append(await sandboxList());
}

function studentNote() {
  return h('div', { class: 'card student-note' }, h('p', {}, t('datasets.students')), h('p', {}, h('a', { href: '/console/' }, t('error.back'))));
}

function drawList(box, datasets) {
  if (datasets.length === 0) { clear(box).append(h('p', { class: 'muted none' }, t('datasets.none'))); return; }
  const cols = ['dataset', 'rigs', 'range', 'rows', 'frozen', 'size', 'labels'];
  const cell = (col, ...content) => h('td', { 'data-label': t('datasets.col.' + col) }, ...content);
  clear(box).append(h('table', { class: 'stack datasets' },
    h('caption', { class: 'sr-only' }, t('datasets.list')),
    h('thead', {}, h('tr', {}, cols.map(c => h('th', { scope: 'col' }, t('datasets.col.' + c))))),
    h('tbody', {}, datasets.map(d => h('tr', { dataset: { dataset: d.id, version: String(d.version) } },
      cell('dataset', h('a', { href: datasetPage(d.id, d.version) }, d.id), ' ', h('span', { class: 'muted' }, `v${d.version}`)),
      cell('rigs', `${d.site}: ${d.rigs.join(', ')}`),
      cell('range', time(d.from, true), ' – ', time(d.to, true)),
      cell('rows', number(d.rows, 0)),
      cell('frozen', d.frozen_by, h('br'), h('span', { class: 'muted' }, time(d.frozen_at, true))),
      cell('size', bytes(d.bytes)),
      cell('labels', d.labels_hidden ? t('datasets.labels_hidden', { n: number(d.labels, 0) }) : t('datasets.labels_published', { n: number(d.labels, 0) })))))));
}
