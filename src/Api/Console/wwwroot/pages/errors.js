import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

// 404 looks the same for a rig that does not exist and one the caller may not see (docs/access.md).
export async function render(main, { page, data }) {
  const notFound = page !== 'forbidden';
  main.append(h('div', { class: 'card' },
    h('h1', {}, notFound ? t('error.not_found') : t('error.forbidden')),
    h('p', {}, notFound ? t('error.not_found_detail', { rig: data.rig ?? '?', site: data.site ?? '?' }) : t('error.forbidden_detail')),
    h('p', {}, h('a', { href: '/console/' }, t('error.back')))));
}
