import { h } from './dom.js';
import { t } from './i18n.js';

// A field's error, shown next to it and tied to it (aria-describedby, aria-invalid), from an API validation problem
// ({errors: {field: [sentences]}}). The summary goes to the form's live region, so a screen reader hears it too.
export function fieldError(id) {
  return h('p', { class: 'field-error', id, hidden: true });
}

export class FieldErrors {
  constructor() { this.fields = new Map(); }

  // name: the API's field name (site, rigs, from, labels[0] …); control: what gets aria-invalid and the focus.
  add(name, control, box) {
    this.fields.set(name, { control, box });
    const described = (control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    if (!described.includes(box.id)) control.setAttribute('aria-describedby', [...described, box.id].join(' '));
  }

  forget(prefix) { for (const k of [...this.fields.keys()]) if (k.startsWith(prefix)) this.fields.delete(k); }

  clear() {
    for (const { control, box } of this.fields.values()) { box.hidden = true; box.textContent = ''; control.removeAttribute('aria-invalid'); }
  }

  // Shows each error at its field; returns the summary sentence (with the errors of unknown fields in it) and
  // moves the focus to the first field in error.
  show(errors, labelOf) {
    this.clear();
    const lines = [];
    let first = null;
    for (const [name, messages] of Object.entries(errors ?? {})) {
      const text = [].concat(messages).join(' ');
      const field = this.fields.get(name);
      lines.push(`${labelOf?.(name) ?? name}: ${text}`);
      if (!field) continue;
      field.box.textContent = text;
      field.box.hidden = false;
      field.control.setAttribute('aria-invalid', 'true');
      first ??= field.control;
    }
    first?.focus();
    return t('form.errors', { n: lines.length, list: lines.join('; ') });
  }
}

// <input type="datetime-local"> holds a wall-clock time without a zone: the browser's local time, which Date parses
// as local. The API gets UTC (RFC 3339); a value Date cannot read goes as it is, for the API to refuse with its field.
const pad = n => String(n).padStart(2, '0');
export function localInput(d) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function toUtc(value) {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

// The browser's UTC offset now, as UTC+01:00.
export function localOffset(d = new Date()) {
  const m = -d.getTimezoneOffset();
  return `UTC${m < 0 ? '−' : '+'}${pad(Math.floor(Math.abs(m) / 60))}:${pad(Math.abs(m) % 60)}`;
}
