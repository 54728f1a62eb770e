import { lang, t } from './i18n.js';

// English in the British form (day/month, 24-hour clock): the users are in the Netherlands.
export const locale = () => (lang === 'nl' ? 'nl-NL' : 'en-GB');

// Units as people write them: the wire uses ASCII (docs/telemetry.md), the console shows the symbols.
const unitSymbols = { 'm3/h': 'm³/h', 'degC': '°C', 'm/s2': 'm/s²', 'N.m': 'N·m', '1': '', 'Nl/min': 'Nl/min', 'ml/min': 'ml/min' };
export function unit(u) { return u in unitSymbols ? unitSymbols[u] : (u ?? ''); }

export function number(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  const a = Math.abs(v);
  const d = digits ?? (a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: d, minimumFractionDigits: Math.min(d, 1) }).format(v);
}

export function quantity(v, u, digits) {
  if (typeof v === 'string') return v;
  const s = unit(u);
  return s ? `${number(v, digits)} ${s}` : number(v, digits);
}

// Every time in Europe/Amsterdam with its UTC offset visible (CET +01:00 / CEST +02:00).
const zone = 'Europe/Amsterdam';
export function time(value, withDate = false) {
  if (value === null || value === undefined) return '–';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale(), {
    timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
    ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}), timeZoneName: 'shortOffset',
  }).format(d);
}

export function zoneNote() { return t('times.zone', { zone: 'Europe/Amsterdam' }); }

export function ago(ms) {
  const s = Math.round((Date.now() - ms) / 1000);
  if (s < 60) return t('time.seconds_ago', { n: s });
  if (s < 3600) return t('time.minutes_ago', { n: Math.round(s / 60) });
  return t('time.hours_ago', { n: Math.round(s / 3600) });
}

// Sizes as the lab PCs' file managers show them: SI units (1 kB = 1000 B).
export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${number(v, i === 0 ? 0 : v >= 100 ? 0 : 1)} ${units[i]}`;
}
