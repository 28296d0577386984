// The page a portal link opens. Nothing is redeemed until the admin selects Continue, so link scanners that
// fetch the URL use nothing up.
import { api } from './api.js';
import { h, replace } from './dom.js';
import { loading } from './components.js';

export function render(ctx) {
  const { main, link, onSession } = ctx;
  const status = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'button button-primary button-large', id: 'continue' }, 'Continue');
  button.addEventListener('click', async () => {
    button.disabled = true;
    replace(status, loading('Opening…'));
    try {
      const session = await api.redeem(link);
      onSession(session);
    } catch (error) {
      button.disabled = false;
      const invalid = error.status === 401 || error.code === 'link_invalid';
      replace(status, h('div', { class: 'notice notice-error', role: 'alert' },
        h('p', { class: 'strong' }, invalid ? 'This link can no longer be used.' : 'The link could not be opened.'),
        h('p', {}, invalid
          ? 'It has expired or was revoked. Ask the person who sent it to you for a new link.'
          : error.message)));
      if (invalid) button.hidden = true;
    }
  });
  replace(main, h('section', { class: 'card landing' },
    h('h1', {}, 'Set up user provisioning'),
    h('p', { class: 'lead' }, 'You were sent this link to connect your organization’s identity provider — OneLogin, Microsoft Entra ID, Okta or another SCIM 2.0 client — to this app.'),
    h('ul', { class: 'plain-list' },
      h('li', {}, 'Get the endpoint URL and a token to paste into your identity provider.'),
      h('li', {}, 'Watch each set-up step get confirmed as the first requests arrive.'),
      h('li', {}, 'Map your groups to the app’s roles, and check the users and groups that arrived.')),
    h('p', { class: 'muted' }, 'Continue starts a session in this browser for 8 hours of use. The link stays valid until it expires.'),
    h('div', { class: 'actions' }, button),
    status));
  button.focus();
}
