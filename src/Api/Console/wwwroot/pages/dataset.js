import { h, section } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, ApiError, datasetPath, datasetFile } from '../lib/api.js';
import { bytes, number, time } from '../lib/format.js';
import { replayPanel, sandboxList } from './sandboxes.js';
import { mayReadDatasets, mayManageSandboxes } from '../lib/roles.js';

// One dataset version: what its manifest (datapackage.json) says, its files with their sizes and SHA-256 and download
// links (the bytes as frozen), its README, whether its labels are published or hidden, and — for instructors — the
// command that replays it into a sandbox and the sandboxes running it. A dataset the caller may not read is "not
// found", exactly like one that does not exist.
export async function render(main, { me, data }) {
  const id = data.dataset;
  const asked = new URLSearchParams(location.search).get('version');
  if (!mayReadDatasets(me)) return notFound(main, id);
  let pkg;
  try { pkg = await get(`${datasetPath(id)}${asked ? `?version=${encodeURIComponent(asked)}` : ''}`); } catch (e) {
    if (e instanceof ApiError && [403, 404].includes(e.status)) return notFound(main, id);
    throw e;
  }
  const f = pkg.fieldlab;
  const version = f.version;
  main.append(h('div', { class: 'page-head' },
    h('p', {}, h('a', { href: '/console/datasets' }, t('dataset.back'))),
    h('h1', {}, pkg.title || id),
    h('p', {}, h('code', {}, id), ' · ', t('dataset.version', { version }), ' · ', pkg.description)));
  main.append(section(t('dataset.about'), h('dl', { class: 'kpis wide' },
    [[t('dataset.site'), f.site], [t('dataset.rigs'), f.rigs.map(r => `${r.rig} (${t('kind.' + (r.kind ?? 'other'))})`).join(', ')],
      [t('dataset.from'), time(f.from, true)], [t('dataset.to'), time(f.to, true)],
      [t('dataset.frozen_by'), f.frozenBy], [t('dataset.frozen_at'), time(f.frozenAt, true)],
      [t('dataset.labels'), f.labels === 'hidden' ? t('dataset.labels_hidden') : t('dataset.labels_published')]]
      .map(([k, v]) => h('div', { class: 'kpi' }, h('dt', {}, k), h('dd', {}, v))))));
  main.append(section(t('dataset.files'), filesTable(id, version, pkg.resources), labelsNote(id, version, f.labels === 'hidden')));
  const readme = h('pre', { class: 'readme', tabindex: 0, 'aria-label': 'README.md' }, t('dataset.loading'));
  main.append(section('README.md', readme));
  get(datasetFile(id, version, 'README.md')).then(text => { readme.textContent = text; }).catch(e => { readme.textContent = e.message; });
  if (mayManageSandboxes(me)) main.append(await replayPanel(id, asked ? version : null, f.site), await sandboxList(id));
}

function filesTable(id, version, resources) {
  const rows = [...resources.map(r => ({ name: r.path, role: r.fieldlab?.role, format: r.format, bytes: r.bytes, sha256: r.hash?.replace(/^sha256:/, '') })),
    // Not resources: the manifest cannot list its own hash, and the README is generated from it.
    { name: 'datapackage.json', role: 'manifest', format: 'json' }, { name: 'README.md', role: 'readme', format: 'md' }];
  const cols = ['name', 'role', 'size', 'sha256'];
  const cell = (col, ...content) => h('td', { 'data-label': t('dataset.col.' + col) }, ...content);
  return h('table', { class: 'stack files' },
    h('caption', { class: 'sr-only' }, t('dataset.files')),
    h('thead', {}, h('tr', {}, cols.map(c => h('th', { scope: 'col' }, t('dataset.col.' + c))))),
    h('tbody', {}, rows.map(r => h('tr', { dataset: { file: r.name } },
      cell('name', h('a', { href: datasetFile(id, version, r.name), download: r.name, class: 'download' }, r.name)),
      cell('role', t('dataset.role.' + r.role)),
      cell('size', r.bytes === undefined ? '–' : bytes(r.bytes), r.bytes === undefined ? null : h('span', { class: 'muted' }, ` (${number(r.bytes, 0)} B)`)),
      cell('sha256', r.sha256 ? h('code', { class: 'hash' }, r.sha256) : h('span', { class: 'muted' }, t('dataset.no_hash')))))));
}

function labelsNote(id, version, hidden) {
  return hidden
    ? h('p', { class: 'labels-note' }, t('dataset.labels_hidden_explain'), ' ',
      h('a', { href: `${datasetPath(id)}/versions/${version}/labels`, download: `${id}-v${version}-labels.csv` }, t('dataset.labels_download')))
    : h('p', { class: 'labels-note muted' }, t('dataset.labels_published_explain'));
}

function notFound(main, id) {
  main.append(h('div', { class: 'card' }, h('h1', {}, t('error.not_found')), h('p', {}, t('dataset.not_found', { id })),
    h('p', {}, h('a', { href: '/console/datasets' }, t('dataset.back')))));
}
