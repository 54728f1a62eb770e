import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { signIn } from '../lib/api.js';

// Local accounts. (School accounts through OpenID Connect reach the API as bearer tokens; an interactive
// "sign in with your school" flow is not built yet: docs/console.md.)
export async function render(main, { data }) {
  const target = safeReturn(new URLSearchParams(location.search).get('return') ?? data.return);
  const message = h('p', { class: 'error', role: 'alert', hidden: true });
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'card sign-in', onsubmit: async e => {
      e.preventDefault();
      message.hidden = true;
      try {
        await signIn(user.value, password.value);
        location.assign(target);
      } catch (err) {
        message.textContent = err.status === 401 ? t('signin.failed') : err.message;
        message.hidden = false;
        password.select();
      }
    } },
    h('h1', {}, t('signin.title')),
    h('p', {}, t('signin.intro')),
    h('label', { for: 'username' }, t('signin.username')), user,
    h('label', { for: 'password' }, t('signin.password')), password,
    message,
    h('button', { type: 'submit' }, t('signin.submit')));
  main.append(form);
  user.focus();
}

// Only a path of this console: a sign-in link must not send anyone to another site.
function safeReturn(path) {
  return typeof path === 'string' && path.startsWith('/console/') && !path.startsWith('//') ? path : '/console/';
}
