import { h, clear } from './lib/dom.js';
import { loadLanguage, t, lang, languages, setLanguage } from './lib/i18n.js';
import { get, signOut, ApiError } from './lib/api.js';
import { zoneNote } from './lib/format.js';
import { mayReadDatasets, mayReadAssignments } from './lib/roles.js';

// The console is one HTML shell per page (src/Api/Console/ConsoleShell.cs); data-page says which module draws it.
const pages = {
  'sign-in': () => import('./pages/sign-in.js'),
  overview: () => import('./pages/overview.js'),
  rig: () => import('./pages/rig.js'),
  lab: () => import('./pages/lab.js'),
  pilot: () => import('./pages/pilot.js'),
  datasets: () => import('./pages/datasets.js'),
  dataset: () => import('./pages/dataset.js'),
  assignments: () => import('./pages/assignments.js'),
  assignment: () => import('./pages/assignment.js'),
  platform: () => import('./pages/platform.js'),
  account: () => import('./pages/account.js'),
  'not-found': () => import('./pages/errors.js'),
  forbidden: () => import('./pages/errors.js'),
};

async function start() {
  await loadLanguage();
  const body = document.body;
  const page = body.dataset.page;
  let me = null;
  if (page !== 'sign-in') {
    try { me = await get('/api/me'); }
    catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        location.assign('/console/sign-in?return=' + encodeURIComponent(location.pathname + location.search));
        return;
      }
      throw e;
    }
  }
  header(me, page);
  footer();
  const main = document.getElementById('main');
  clear(main);
  const module = await (pages[page] ?? pages['not-found'])();
  await module.render(main, { me, page, data: body.dataset });
}

function header(me, page) {
  const top = clear(document.getElementById('top'));
  const nav = h('nav', { 'aria-label': t('nav.label') },
    h('a', { class: 'brand', href: '/console/' }, 'Fieldlab'),
    me && h('a', { href: '/console/', 'aria-current': page === 'overview' ? 'page' : null }, t('nav.rigs')),
    me && ['Instructor', 'Administrator'].includes(me.role) && h('a', { href: '/console/lab', 'aria-current': page === 'lab' ? 'page' : null }, t('nav.lab')),
    // Students have no dataset right (docs/access.md): they get datasets through assignments, so no menu entry.
    mayReadDatasets(me) && h('a', { href: '/console/datasets', 'aria-current': ['datasets', 'dataset'].includes(page) ? 'page' : null }, t('nav.datasets')),
    // Company members have no assignment right: no menu entry (the API would list nothing).
    mayReadAssignments(me) && h('a', { href: '/console/assignments', 'aria-current': ['assignments', 'assignment'].includes(page) ? 'page' : null }, t('nav.assignments')),
    me && me.role === 'Administrator' && h('a', { href: '/console/platform', 'aria-current': page === 'platform' ? 'page' : null }, t('nav.platform')),
    me && h('a', { href: '/console/account', 'aria-current': page === 'account' ? 'page' : null }, t('nav.account')));
  const langSwitch = h('label', { class: 'lang' }, h('span', { class: 'sr-only' }, t('nav.language')),
    h('select', { onchange: e => setLanguage(e.target.value) },
      languages.map(l => h('option', { value: l, selected: l === lang }, l === 'nl' ? 'Nederlands' : 'English'))));
  const user = me && h('div', { class: 'user' },
    h('span', { class: 'who' }, `${me.display_name ?? me.user_name} · ${t('role.' + me.role)}`),
    h('button', { type: 'button', class: 'secondary', id: 'sign-out', onclick: async () => { await signOut(); location.assign('/console/sign-in'); } }, t('nav.sign_out')));
  top.append(nav, h('div', { class: 'tools' }, langSwitch, user));
}

function footer() {
  clear(document.getElementById('bottom')).append(h('p', {}, zoneNote(), ' · ', h('a', { href: '/scalar/v1' }, t('footer.api'))));
}

start().catch(e => {
  const main = clear(document.getElementById('main'));
  main.append(h('div', { class: 'error', role: 'alert' }, t('error.page'), ' ', e.message));
  console.error(e);
});
