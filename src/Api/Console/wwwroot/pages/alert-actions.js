import { h } from '../lib/dom.js';

// Acknowledge, assign, comment on and close an alert (the alert lifecycle, docs/maintenance.md).
export function alertActions(alert, rig, me, refresh) {
  return null;
}
