// Operator view: every directory with its provider, connection and counts; create one; mint a customer link.
import { api } from './api.js';
import { h, replace, uid, timeEl, formatDate } from './dom.js';
import { errorBox, pageHeader, loading, dataTable, emptyState, statusPill, copyField } from './components.js';
import { providers, providerName } from './providers.js';
import { directoryHref } from './router.js';

export function render(ctx) {
  const { main } = ctx;
  const listArea = h('section', { class: 'card', 'aria-labelledby': 'directories-title' }, loading());
  const linkArea = h('div', { id: 'customer-link' });
  replace(main, pageHeader('Directories', 'One directory per customer organization. Send its admin a customer link to set up provisioning.'),
    linkArea, listArea, createForm());

  async function load() {
    try {
      const data = await api.directories();
      const directories = data.directories ?? [];
      replace(listArea, h('h2', { id: 'directories-title' }, 'All directories'),
        directories.length === 0
          ? emptyState('No directories yet', 'Create the first one below.')
          : dataTable('Directories', ['Directory', 'Provider', 'Connection', 'Users', 'Groups', 'Last request', 'Customer link'],
            directories.map(d => [
              h('a', { href: directoryHref(d.id, 'setup') }, d.displayName),
              providerName(d.provider),
              statusPill(d, { withLink: false, compact: true }),
              String(d.counts?.users ?? '—'),
              String(d.counts?.groups ?? '—'),
              timeEl(d.status?.lastRequestAt),
              h('button', { type: 'button', class: 'button button-small', on: { click: event => mint(d, event.currentTarget) } },
                'Create link', h('span', { class: 'visually-hidden' }, ` for ${d.displayName}`)),
            ])));
    } catch (error) {
      replace(listArea, errorBox(error, { retry: load }));
    }
  }

  async function mint(directory, button) {
    button.disabled = true;
    try {
      const link = await api.mintLink(directory.id, {});
      replace(linkArea, h('section', { class: 'card reveal', 'aria-labelledby': 'link-title' },
        h('h2', { id: 'link-title' }, `Customer link for ${directory.displayName}`),
        h('p', {}, `Send this to the customer’s IT admin. It opens this directory’s setup pages until ${formatDate(link.expiresAt)}; it can be used in more than one browser until then. It is not shown again.`),
        copyField({ label: 'Customer link', value: link.url, id: 'customer-link-url', secret: true })));
      linkArea.querySelector('button')?.focus();
    } catch (error) {
      replace(linkArea, errorBox(error));
    } finally {
      button.disabled = false;
    }
  }

  function createForm() {
    const nameId = uid('name');
    const providerId = uid('provider');
    const name = h('input', { id: nameId, type: 'text', required: true, maxlength: '200', autocomplete: 'off', placeholder: 'Customer organization' });
    const provider = h('select', { id: providerId }, providers.map(p => h('option', { value: p.key }, p.name)));
    const message = h('div');
    const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Create directory');
    const form = h('form', { class: 'inline-form' },
      h('div', { class: 'field' }, h('label', { for: nameId }, 'Name'), name),
      h('div', { class: 'field' }, h('label', { for: providerId }, 'Identity provider'), provider),
      h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      submit.disabled = true;
      try {
        const created = await api.createDirectory(name.value.trim(), provider.value);
        replace(message, h('p', { class: 'notice notice-ok', role: 'status' }, `Directory “${created.displayName}” created.`));
        name.value = '';
        await load();
      } catch (error) {
        replace(message, errorBox(error));
      } finally {
        submit.disabled = false;
      }
    });
    return h('section', { class: 'card', 'aria-labelledby': 'create-directory-title' },
      h('h2', { id: 'create-directory-title' }, 'Create a directory'), form, message);
  }

  load();
}
