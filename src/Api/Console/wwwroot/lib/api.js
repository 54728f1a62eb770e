// Every call the console makes is an API endpoint of docs/access.md, sent with the session cookie. State changes carry
// the antiforgery token the API hands out (GET /api/session/antiforgery).
let antiforgery = null;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function token() {
  if (!antiforgery) {
    const r = await fetch('/api/session/antiforgery', { credentials: 'same-origin' });
    antiforgery = await r.json();
  }
  return antiforgery;
}

export function forgetToken() { antiforgery = null; }

export async function get(path) {
  const r = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  return answer(r);
}

export async function send(method, path, body) {
  const tk = await token();
  const r = await fetch(path, {
    method, credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', [tk.header]: tk.token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer(r);
}

// A file's text as the body (e.g. a prediction file as text/csv), with the antiforgery header like every state change.
export async function sendText(method, path, text, type) {
  const tk = await token();
  const r = await fetch(path, {
    method, credentials: 'same-origin',
    headers: { 'Content-Type': type, Accept: 'application/json', [tk.header]: tk.token },
    body: text,
  });
  return answer(r);
}

export async function signIn(username, password) {
  forgetToken();
  const tk = await token();
  const form = new URLSearchParams({ username, password, [tk.form_field]: tk.token });
  const r = await fetch('/api/session', { method: 'POST', credentials: 'same-origin', body: form });
  forgetToken(); // the antiforgery token is bound to the user: a new one after sign-in
  return answer(r);
}

export async function signOut() {
  await send('DELETE', '/api/session');
  forgetToken();
}

async function answer(r) {
  const type = r.headers.get('Content-Type') ?? '';
  const body = type.includes('json') ? await r.json().catch(() => null) : await r.text();
  if (!r.ok) throw new ApiError(r.status, typeof body === 'object' ? body : { detail: body });
  return body;
}

export const rigPath = (site, rig) => `/api/sites/${encodeURIComponent(site)}/rigs/${encodeURIComponent(rig)}`;
export const rigPage = (site, rig) => `/console/sites/${encodeURIComponent(site)}/rigs/${encodeURIComponent(rig)}`;
export const datasetPath = id => `/api/datasets/${encodeURIComponent(id)}`;
export const datasetPage = (id, version) => `/console/datasets/${encodeURIComponent(id)}${version ? `?version=${version}` : ''}`;
export const datasetFile = (id, version, name) => `${datasetPath(id)}/versions/${version}/files/${encodeURIComponent(name)}`;
export const assignmentPath = id => `/api/assignments/${encodeURIComponent(id)}`;
export const assignmentPage = id => `/console/assignments/${encodeURIComponent(id)}`;
