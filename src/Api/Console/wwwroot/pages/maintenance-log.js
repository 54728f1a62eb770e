import { h, section } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

// The rig's maintenance log (docs/maintenance.md).
export function maintenanceLog(rig, me, onChange) {
  return { el: h('div') };
}
