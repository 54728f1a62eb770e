import { h, clear, section } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, assignmentPath, assignmentPage } from '../lib/api.js';
import { number, time } from '../lib/format.js';
import { maySubmit } from '../lib/roles.js';

// The assignments the caller may see (GET /api/assignments, docs/datasets.md "Assignments"): a student those of its
// classes with its own best public score (its row of each leaderboard), an instructor its site's, an administrator
// all; a company member none (the API lists nothing).
export async function render(main, { me }) {
  main.append(h('h1', {}, t('assignments.title')));
  const list = h('div', { class: 'assignment-list', 'aria-live': 'polite', 'aria-busy': 'true' });
  main.append(h('p', { class: 'muted' }, t('assignments.explain')), section(t('assignments.list'), list));
  const assignments = await get('/api/assignments');
  const best = maySubmit(me) ? await ownBest(assignments) : null;
  drawList(list, assignments, best);
  list.setAttribute('aria-busy', 'false');
}

// The student's row of each leaderboard (you: true), or nothing when it has not submitted.
async function ownBest(assignments) {
  const rows = await Promise.all(assignments.map(a => get(`${assignmentPath(a.id)}/leaderboard`)
    .then(b => b.public.find(r => r.you) ?? null).catch(() => null)));
  return new Map(assignments.map((a, i) => [a.id, rows[i]]));
}

export const scoreText = (score, metric) => (score === null || score === undefined ? '–' : `${metric} ${number(score, 3)}`);

function drawList(box, assignments, best) {
  if (assignments.length === 0) { clear(box).append(h('p', { class: 'muted none' }, t('assignments.none'))); return; }
  const cols = ['title', 'class', 'task', 'deadline', ...(best ? ['best'] : [])];
  const cell = (col, ...content) => h('td', { 'data-label': t('assignments.col.' + col) }, ...content);
  clear(box).append(h('table', { class: 'stack assignments' },
    h('caption', { class: 'sr-only' }, t('assignments.list')),
    h('thead', {}, h('tr', {}, cols.map(c => h('th', { scope: 'col' }, t('assignments.col.' + c))))),
    h('tbody', {}, assignments.map(a => h('tr', { dataset: { assignment: String(a.id) } },
      cell('title', h('a', { href: assignmentPage(a.id) }, a.title)),
      cell('class', a.class),
      cell('task', t('task.' + a.task)),
      cell('deadline', time(a.deadline, true), ' ', h('span', { class: a.closed ? 'muted' : 'ok' }, a.closed ? t('assignments.closed') : t('assignments.open'))),
      best && cell('best', best.get(a.id)
        ? [scoreText(best.get(a.id).score, a.metric), ' ', h('span', { class: 'muted' }, t('assignments.rank', { rank: best.get(a.id).rank }))]
        : h('span', { class: 'muted' }, t('assignments.not_submitted'))))))));
}
