import { h, clear, section } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, sendText, ApiError, assignmentPath } from '../lib/api.js';
import { bytes, number, time } from '../lib/format.js';
import { maySubmit, mayReadAssignments } from '../lib/roles.js';
import { scoreText } from './assignments.js';

// One assignment (GET /api/assignments/{id}): the task, the submission format exactly as the API states it, the
// dataset's public files, a form that uploads a prediction file as text/csv (the API's refusals shown as they came,
// line by line), the submissions the caller may see and the leaderboard (public; private after the deadline, or at
// any time for instructors). An assignment the caller may not see is "not found", like one that does not exist.
export async function render(main, { me, data }) {
  const id = data.assignment;
  if (!mayReadAssignments(me)) return notFound(main, id);
  let found;
  try { found = await get(assignmentPath(id)); } catch (e) {
    if (e instanceof ApiError && [403, 404].includes(e.status)) return notFound(main, id);
    throw e;
  }
  const { assignment: a, dataset: d, submission_format: format, files } = found;
  main.append(h('div', { class: 'page-head' },
    h('p', {}, h('a', { href: '/console/assignments' }, t('assignment.back'))),
    h('h1', {}, a.title),
    h('p', {}, `${a.class} · ${t('task.' + a.task)} · ${t('assignment.deadline', { time: time(a.deadline, true) })} · `,
      h('span', { class: a.closed ? 'muted' : 'ok' }, a.closed ? t('assignments.closed') : t('assignments.open')))));
  main.append(section(t('assignment.about'), h('dl', { class: 'kpis wide' },
    [[t('assignment.task'), t('task.' + a.task)],
      [t('assignment.dataset'), `${d.id} v${d.version}`],
      [t('assignment.rigs'), d.rigs.join(', ')],
      [t('assignment.range'), `${time(d.from, true)} – ${time(d.to, true)}`],
      [t('assignment.rows'), number(d.rows, 0)],
      [t('assignment.window'), `${number(a.window_seconds)} s`],
      a.failure_label && [t('assignment.failure_label'), a.failure_label],
      [t('assignment.metric'), `${a.metric} (${a.higher_is_better ? t('assignment.higher') : t('assignment.lower')})`],
      [t('assignment.per_day'), number(a.submissions_per_day, 0)],
      [t('assignment.public_share'), `${number(a.public_share * 100, 0)} %`]]
      .filter(Boolean).map(([k, v]) => h('div', { class: 'kpi' }, h('dt', {}, k), h('dd', {}, v))))));
  main.append(section(t('assignment.format'), formatBlock(format)));
  main.append(section(t('assignment.files'), filesTable(files)));

  const submissions = h('div', { class: 'submission-list', 'aria-live': 'polite', 'aria-busy': 'true' });
  const board = h('div', { class: 'leaderboard', 'aria-live': 'polite', 'aria-busy': 'true' });
  const refresh = async () => {
    for (const box of [submissions, board]) box.setAttribute('aria-busy', 'true');
    const [subs, lb] = await Promise.all([get(`${assignmentPath(id)}/submissions`), get(`${assignmentPath(id)}/leaderboard`)]);
    drawSubmissions(submissions, subs, a, !maySubmit(me));
    drawBoard(board, lb);
    for (const box of [submissions, board]) box.setAttribute('aria-busy', 'false');
  };
  if (maySubmit(me)) main.append(section(t('submit.title'), submitForm(id, a, () => refresh().catch(e => { board.textContent = e.message; }))));
  main.append(section(maySubmit(me) ? t('submissions.own') : t('submissions.all'), submissions), section(t('board.title'), board));
  await refresh();
}

function formatBlock(f) {
  return h('div', { class: 'format' },
    h('p', {}, t('assignment.format_header')),
    h('pre', { class: 'format-header', tabindex: 0, 'aria-label': t('assignment.format_header') }, f.header),
    h('dl', { class: 'format-rules' },
      h('dt', {}, t('assignment.format_lines')), h('dd', {}, f.lines),
      h('dt', {}, t('assignment.format_times')), h('dd', {}, f.times),
      h('dt', {}, t('assignment.format_type')), h('dd', {}, h('code', {}, f.media_type))),
    f.every_key_once && h('p', {}, t('assignment.format_once')));
}

function filesTable(files) {
  if (files.length === 0) return h('p', { class: 'muted' }, t('assignment.no_files'));
  const cell = (col, ...content) => h('td', { 'data-label': t('assignment.col.' + col) }, ...content);
  return h('table', { class: 'stack files' },
    h('caption', { class: 'sr-only' }, t('assignment.files')),
    h('thead', {}, h('tr', {}, ['name', 'size'].map(c => h('th', { scope: 'col' }, t('assignment.col.' + c))))),
    h('tbody', {}, files.map(f => h('tr', { dataset: { file: f.name } },
      cell('name', h('a', { href: f.url, download: f.name, class: 'download' }, f.name)),
      cell('size', bytes(f.bytes))))));
}

// The file goes as it is (its text, Content-Type text/csv); the API validates it whole. A refusal shows the API's
// sentence and its line-numbered problems verbatim in the live region; a success shows the public score.
function submitForm(id, a, done) {
  const status = h('div', { class: 'reply submit-reply', role: 'status', 'aria-live': 'polite' });
  const input = h('input', { type: 'file', id: 'predictions', name: 'predictions', accept: '.csv,text/csv', required: true, 'aria-describedby': 'predictions-help' });
  const button = h('button', { type: 'submit' }, t('submit.send'));
  const form = h('form', { class: 'submit-form', novalidate: true },
    h('p', { id: 'predictions-help', class: 'muted' }, t('submit.help', { per_day: a.submissions_per_day })),
    h('label', { for: 'predictions' }, t('submit.file')), ' ', input, ' ', button, status);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clear(status);
    status.className = 'reply submit-reply';
    status.removeAttribute('data-status');
    const file = input.files?.[0];
    if (!file) { status.classList.add('bad'); status.append(h('p', {}, t('submit.choose'))); input.focus(); return; }
    button.disabled = true;
    status.append(h('p', {}, t('submit.sending', { name: file.name })));
    try {
      const r = await sendText('POST', `${assignmentPath(id)}/submissions`, await file.text(), 'text/csv');
      clear(status).classList.add('ok');
      status.dataset.status = '201';
      status.append(h('p', { class: 'score' }, t('submit.scored', { name: file.name, rows: number(r.rows, 0), score: scoreText(r.public_score, r.metric) })));
      done();
    } catch (err) {
      clear(status).classList.add('bad');
      status.dataset.status = String(err instanceof ApiError ? err.status : 0);
      const p = err instanceof ApiError ? err.problem : null;
      status.append(h('p', {}, p?.title ? `${p.title}: ` : '', err.message));
      if (Array.isArray(p?.errors) && p.errors.length) {
        status.append(h('ol', { class: 'problems' }, p.errors.map(x => h('li', {}, x))));
        if (p.error_count > p.errors.length) status.append(h('p', {}, t('submit.more', { n: p.error_count - p.errors.length })));
      }
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function drawSubmissions(box, subs, a, withStudent) {
  if (subs.length === 0) { clear(box).append(h('p', { class: 'muted none' }, t('submissions.none'))); return; }
  const cols = ['submitted', ...(withStudent ? ['student'] : []), 'rows', 'public', 'private'];
  const cell = (col, ...content) => h('td', { 'data-label': t('submissions.col.' + col) }, ...content);
  clear(box).append(h('table', { class: 'stack submissions' },
    h('caption', { class: 'sr-only' }, withStudent ? t('submissions.all') : t('submissions.own')),
    h('thead', {}, h('tr', {}, cols.map(c => h('th', { scope: 'col' }, t('submissions.col.' + c))))),
    h('tbody', {}, subs.map(s => h('tr', { dataset: { submission: String(s.id) } },
      cell('submitted', time(s.submitted_at, true)),
      withStudent && cell('student', s.student),
      cell('rows', number(s.rows, 0)),
      cell('public', scoreText(s.public_score, a.metric)),
      cell('private', s.private_score !== null && s.private_score !== undefined ? scoreText(s.private_score, a.metric)
        : h('span', { class: 'muted' }, s.metrics?.private ? '–' : t('submissions.private_later'))))))));
}

function drawBoard(box, lb) {
  clear(box).append(h('p', { class: 'muted' }, t('board.explain', { metric: lb.metric }), ' ',
    lb.higher_is_better ? t('assignment.higher') : t('assignment.lower')));
  box.append(h('h3', {}, t('board.public')), boardTable(lb.public, lb.metric, t('board.public'), true));
  box.append(h('h3', {}, t('board.private')), lb.private ? boardTable(lb.private, lb.metric, t('board.private'), false)
    : h('p', { class: 'muted private-later' }, t('board.private_later', { time: time(lb.deadline, true) })));
}

function boardTable(rows, metric, caption, withCount) {
  if (rows.length === 0) return h('p', { class: 'muted none' }, t('board.none'));
  const cols = ['rank', 'participant', 'score', ...(withCount ? ['submissions'] : [])];
  const cell = (col, ...content) => h('td', { 'data-label': t('board.col.' + col) }, ...content);
  return h('table', { class: 'stack board' },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, cols.map(c => h('th', { scope: 'col' }, t('board.col.' + c))))),
    h('tbody', {}, rows.map(r => h('tr', { class: r.you ? 'you' : null, dataset: { you: String(r.you) } },
      cell('rank', String(r.rank)),
      cell('participant', r.student, r.you ? h('strong', {}, ` (${t('board.you')})`) : null),
      cell('score', scoreText(r.score, metric)),
      withCount && cell('submissions', number(r.submissions, 0))))));
}

function notFound(main, id) {
  main.append(h('div', { class: 'card' }, h('h1', {}, t('error.not_found')), h('p', {}, t('assignment.not_found', { id })),
    h('p', {}, h('a', { href: '/console/' }, t('error.back')))));
}
