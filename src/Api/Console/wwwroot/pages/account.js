import { h, section } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, send } from '../lib/api.js';
import { describe } from './fault-panel.js';

// The signed-in person's own settings: where alerts of the rigs they may see are sent (a webhook signed with their
// secret, e-mail when the fieldlab has an SMTP server), which kinds, and the rate limit that keeps an inbox usable.
export async function render(main, { me }) {
  main.append(h('h1', {}, t('account.title')));
  main.append(section(t('account.me'), h('dl', { class: 'kpis wide' },
    [['account.user', me.user_name], ['account.role', t('role.' + me.role)], ['account.site', me.site ?? '–'], ['account.organisation', me.organisation ?? '–'],
      ['account.classes', (me.classes ?? []).join(', ') || '–']].map(([k, v]) => h('div', { class: 'kpi' }, h('dt', {}, t(k)), h('dd', {}, v))))));
  const s = await get('/api/me/notifications');
  const out = h('p', { class: 'reply', role: 'status' });
  const enabled = h('input', { id: 'n-enabled', type: 'checkbox', name: 'enabled', checked: s.enabled });
  const webhook = h('input', { id: 'n-webhook', name: 'webhook_url', type: 'url', value: s.webhook_url ?? '', placeholder: 'https://…' });
  const email = h('input', { id: 'n-email', name: 'email', type: 'email', value: s.email ?? '', disabled: !s.email_available });
  const cleared = h('input', { id: 'n-cleared', type: 'checkbox', name: 'include_cleared', checked: s.include_cleared });
  const kinds = ['bearing', 'anomaly', 'energy', 'rul'].map(k => h('label', {}, h('input', { type: 'checkbox', name: 'kinds', value: k, checked: (s.kinds ?? []).includes(k) }), ' ', t('alerts.kind.' + k)));
  const rotate = h('input', { id: 'n-rotate', type: 'checkbox', name: 'rotate_secret' });
  const form = h('form', { class: 'notifications-form', onsubmit: async e => {
      e.preventDefault();
      try {
        const r = await send('PUT', '/api/me/notifications', {
          enabled: enabled.checked, webhook_url: webhook.value || null, email: email.value || null,
          kinds: [...form.querySelectorAll('input[name=kinds]:checked')].map(i => i.value), include_cleared: cleared.checked, rotate_secret: rotate.checked,
        });
        out.className = 'reply ok';
        out.textContent = t('account.saved') + (r.webhook_secret ? ` ${t('account.secret', { secret: r.webhook_secret })}` : '');
      } catch (err) { out.className = 'reply bad'; out.textContent = describe(err); }
    } },
    h('fieldset', {}, h('legend', {}, t('account.notifications')),
      h('p', { class: 'muted' }, t('account.rate', { n: s.rate_limit, minutes: Math.round(s.rate_window_seconds / 60) })),
      h('div', { class: 'row' },
        h('label', { for: 'n-enabled' }, t('account.enabled')), enabled,
        h('label', { for: 'n-webhook' }, t('account.webhook')), webhook,
        h('label', { for: 'n-email' }, t('account.email')), email,
        h('label', { for: 'n-cleared' }, t('account.include_cleared')), cleared,
        h('label', { for: 'n-rotate' }, s.webhook_secret_set ? t('account.rotate') : t('account.make_secret')), rotate),
      h('fieldset', { class: 'picker' }, h('legend', {}, t('account.kinds')), kinds),
      s.email_available ? null : h('p', { class: 'muted' }, t('account.no_smtp')),
      h('button', { type: 'submit' }, t('account.save')), out));
  main.append(section(t('account.notifications'), form));
}
