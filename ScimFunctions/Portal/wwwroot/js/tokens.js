// Tokens: at most two active, so a rotation never cuts provisioning off: create the new one, switch the
// identity provider to it, then revoke the old one.
import { api } from './api.js';
import { h, replace, uid, formatDate, timeEl, relative } from './dom.js';
import { tokenReveal, errorBox, pageHeader, dataTable, emptyState, loading } from './components.js';

// A token used this recently is probably still configured in the identity provider.
const recentUseMilliseconds = 60 * 60 * 1000;

export function render(ctx) {
  const { main, id } = ctx;
  const createArea = h('section', { class: 'card', 'aria-labelledby': 'create-title' });
  const listArea = h('section', { class: 'card', 'aria-labelledby': 'list-title' });
  const revealArea = h('div');
  replace(main, pageHeader('Tokens', 'Your identity provider sends a bearer token with every request. Tokens are shown once, when created.'),
    h('section', { class: 'card card-quiet', 'aria-labelledby': 'rotate-title' },
      h('h2', { id: 'rotate-title' }, 'Rotating without downtime'),
      h('ol', { class: 'plain-steps' },
        h('li', {}, 'Create a new token (two can be active at once).'),
        h('li', {}, 'Paste it into your identity provider and save there.'),
        h('li', {}, 'When the old token shows no recent use, revoke it.'))),
    revealArea, createArea, listArea);

  let tokens = [];
  let maxActive = 2;

  function renderCreate(message) {
    const active = tokens.filter(t => t.active).length;
    const labelId = uid('label');
    const input = h('input', { id: labelId, type: 'text', maxlength: '100', autocomplete: 'off', placeholder: 'e.g. OneLogin production' });
    const full = active >= maxActive;
    const button = h('button', { type: 'submit', class: 'button button-primary', disabled: full }, 'Create token');
    const form = h('form', { class: 'inline-form' },
      h('div', { class: 'field' }, h('label', { for: labelId }, 'Label (optional)'), input),
      h('div', { class: 'actions' }, button));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      button.disabled = true;
      try {
        const created = await api.createToken(id, input.value.trim() || undefined);
        replace(revealArea, tokenReveal(created, { onDone: () => {} }));
        revealArea.querySelector('button')?.focus();
        await reload();
      } catch (error) {
        renderCreate(errorBox(error));
      }
    });
    replace(createArea, h('h2', { id: 'create-title' }, 'Create a token'),
      full ? h('p', { class: 'notice notice-warn' }, `${maxActive} tokens are active, the most allowed. Revoke one to create another.`) : null,
      form, message ?? null);
  }

  function revokeConfirmation(token, cell) {
    const recent = token.lastUsedAt && Date.now() - new Date(token.lastUsedAt).getTime() < recentUseMilliseconds;
    const others = tokens.filter(t => t.active && t.id !== token.id).length;
    const confirm = h('button', { type: 'button', class: 'button button-danger' }, 'Revoke token');
    const cancel = h('button', { type: 'button', class: 'button' }, 'Cancel');
    const panel = h('div', { class: 'confirm', role: 'alertdialog', 'aria-label': `Revoke token ending in ${token.last4}` },
      recent
        ? h('p', { class: 'warning' }, h('strong', {}, 'This token is in use: '),
          `it was last used ${relative(token.lastUsedAt)}${token.lastUserAgent ? ` by ${token.lastUserAgent}` : ''}. `,
          'If your identity provider still sends it, provisioning stops until it has the new token.')
        : null,
      others === 0 ? h('p', { class: 'warning' }, 'This is the only active token: after revoking it, nothing can provision until you create a new one.') : null,
      h('p', {}, `Requests with the token ending in ${token.last4} will be refused from now on.`),
      h('div', { class: 'actions' }, confirm, cancel));
    cancel.addEventListener('click', () => renderList());
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      try {
        await api.revokeToken(id, token.id);
        await reload();
      } catch (error) {
        panel.append(errorBox(error));
        confirm.disabled = false;
      }
    });
    replace(cell, panel);
    confirm.focus();
  }

  function renderList() {
    const rows = tokens.map(token => {
      const actions = h('div', {});
      if (token.active) {
        actions.append(h('button', { type: 'button', class: 'button button-small', on: { click: () => revokeConfirmation(token, actions) } },
          'Revoke', h('span', { class: 'visually-hidden' }, ` token ending in ${token.last4}`)));
      }
      return [
        h('span', {}, token.label || h('span', { class: 'muted' }, 'No label')),
        h('code', {}, '…' + token.last4),
        formatDate(token.createdAt),
        h('span', {}, timeEl(token.lastUsedAt), token.lastUserAgent ? h('span', { class: 'muted small block' }, token.lastUserAgent) : null),
        token.expiresAt ? formatDate(token.expiresAt) : 'Never',
        tokenState(token),
        actions,
      ];
    });
    replace(listArea, h('h2', { id: 'list-title' }, 'Tokens of this directory'),
      tokens.length === 0
        ? emptyState('No tokens yet', 'Create one above and paste it into your identity provider.')
        : dataTable('Tokens', ['Label', 'Ends in', 'Created', 'Last used', 'Expires', 'State', 'Actions'], rows));
  }

  async function reload() {
    try {
      const data = await api.tokens(id);
      tokens = data.tokens ?? [];
      maxActive = data.maxActive ?? 2;
      renderCreate();
      renderList();
    } catch (error) {
      replace(listArea, errorBox(error, { retry: reload }));
    }
  }

  replace(listArea, loading());
  reload();
}

function tokenState(token) {
  if (token.active) return h('span', { class: 'badge badge-ok' }, 'Active');
  if (token.revokedAt) return h('span', { class: 'badge badge-muted' }, `Revoked ${formatDate(token.revokedAt)}`);
  return h('span', { class: 'badge badge-muted' }, 'Expired');
}
