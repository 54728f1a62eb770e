// Strings live in i18n/{lang}.json; the language follows the browser unless the user chose one (kept in localStorage).
const supported = ['en', 'nl'];
let strings = {};
let fallback = {};
export let lang = 'en';

export async function loadLanguage() {
  const chosen = localStorage.getItem('fieldlab.lang');
  const browser = (navigator.languages ?? [navigator.language]).map(l => l.slice(0, 2).toLowerCase()).find(l => supported.includes(l));
  lang = supported.includes(chosen) ? chosen : (browser ?? document.documentElement.lang ?? 'en');
  if (!supported.includes(lang)) lang = 'en';
  document.documentElement.lang = lang;
  const [mine, en] = await Promise.all([fetchJson(lang), lang === 'en' ? null : fetchJson('en')]);
  strings = mine; fallback = en ?? mine;
}

async function fetchJson(l) {
  const r = await fetch(`/console/assets/i18n/${l}.json`);
  return r.ok ? r.json() : {};
}

export function setLanguage(l) { localStorage.setItem('fieldlab.lang', l); location.reload(); }

export const languages = supported;

// t('key', {name: 'x'}) with {name} placeholders; a missing key shows itself, so it is noticed.
export function t(key, vars = {}) {
  const text = strings[key] ?? fallback[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (vars[k] ?? `{${k}}`));
}
