// Provider and setup: choose the identity provider, copy the base URL and a new token, and follow the
// provider's steps, ticked live as the endpoint sees each milestone.
import { api } from './api.js';
import { h, replace, uid, formatTime } from './dom.js';
import { copyField, tokenReveal, errorBox, pageHeader, loading } from './components.js';
import { providers, providerInfo, baseUrlFor, fieldNames, stepsFor } from './providers.js';
import { directoryHref } from './router.js';

const pollMilliseconds = 3000;

export function render(ctx) {
  const { main, id } = ctx;
  let directory = ctx.directory;
  let milestones = {};
  let timer = null;

  const providerSection = h('section', { class: 'card', 'aria-labelledby': 'provider-title' });
  const connectionSection = h('section', { class: 'card', 'aria-labelledby': 'connection-title' });
  const stepsSection = h('section', { class: 'card', 'aria-labelledby': 'steps-title' });
  // One list element for the page's life, so screen readers announce the ticks as live changes.
  const stepsList = h('ol', { class: 'checklist', 'aria-live': 'polite', id: 'setup-checklist' });
  replace(main, pageHeader('Provider and setup',
    'Connect your identity provider: it sends this app your users and groups, and keeps them up to date.'),
  providerSection, connectionSection, stepsSection);

  function renderProvider(message) {
    const name = uid('provider');
    const radios = providers.map(p => {
      const inputId = `${name}-${p.key}`;
      return h('div', { class: 'radio-row' },
        h('input', { type: 'radio', name, id: inputId, value: p.key, checked: directory.provider === p.key }),
        h('label', { for: inputId }, p.name));
    });
    const configure = h('button', { type: 'submit', class: 'button button-primary' }, 'Configure');
    const status = h('div', { class: 'form-status' }, message ?? null);
    const form = h('form', { class: 'provider-form' },
      h('fieldset', {}, h('legend', {}, 'Which identity provider does your organization use?'), h('div', { class: 'radio-grid' }, radios)),
      h('div', { class: 'actions' }, configure),
      status);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const chosen = form.querySelector('input[type=radio]:checked')?.value;
      if (!chosen) {
        replace(status, h('p', { class: 'notice notice-error', role: 'alert' }, 'Choose your identity provider first.'));
        return;
      }
      configure.disabled = true;
      replace(status, loading('Saving…'));
      try {
        directory = await api.setProvider(id, chosen);
        ctx.setDirectory(directory);
        replace(status);
        renderProvider();
        await renderConnection({ mint: true });
        renderSteps();
      } catch (error) {
        configure.disabled = false;
        replace(status, errorBox(error));
      }
    });
    replace(providerSection, h('h2', { id: 'provider-title' }, '1. Identity provider'), form);
  }

  async function renderConnection({ mint = false } = {}) {
    if (!directory.provider) {
      replace(connectionSection, h('h2', { id: 'connection-title' }, '2. Connection details'),
        h('p', { class: 'muted' }, 'Choose your identity provider and select Configure to get the endpoint URL and a token.'));
      return;
    }
    const info = providerInfo(directory.provider);
    const names = fieldNames[directory.provider] ?? fieldNames.Other;
    const tokenArea = h('div', { class: 'token-area' });
    replace(connectionSection,
      h('h2', { id: 'connection-title' }, '2. Connection details'),
      h('p', {}, `Paste these two values into ${info.idp}.`),
      copyField({ label: `Endpoint URL (${names.url})`, value: baseUrlFor(directory.provider, directory.scimBaseUrl), id: 'scim-url' }),
      tokenArea);
    if (!ctx.scopes.includes('tokens')) {
      replace(tokenArea, h('p', { class: 'muted' }, 'Ask your contact for a token: this link does not include token management.'));
      return;
    }
    const newTokenButton = h('button', { type: 'button', class: 'button' }, 'Create a new token');
    const offer = () => {
      newTokenButton.disabled = false;
      replace(tokenArea,
        h('p', {}, `The ${names.token} is a bearer token, shown once when it is created. `,
          h('a', { href: directoryHref(id, 'tokens') }, 'Manage tokens')),
        h('div', { class: 'actions' }, newTokenButton));
    };
    const mintToken = async () => {
      newTokenButton.disabled = true;
      try {
        const created = await api.createToken(id, `${info.name} ${new Date().toISOString().slice(0, 10)}`);
        replace(tokenArea, tokenReveal(created, { onDone: () => setTimeout(offer, 0) }));
      } catch (error) {
        offer();
        tokenArea.prepend(error.code === 'token_limit'
          ? h('p', { class: 'notice notice-warn', role: 'alert' }, error.message, ' ',
            h('a', { href: directoryHref(id, 'tokens') }, 'Go to Tokens'))
          : errorBox(error));
      }
    };
    newTokenButton.addEventListener('click', mintToken);
    offer();
    if (mint) await mintToken();
  }

  function renderSteps() {
    if (!directory.provider) {
      replace(stepsSection, h('h2', { id: 'steps-title' }, '3. Steps'), h('p', { class: 'muted' }, 'The steps appear once a provider is chosen.'));
      return;
    }
    const info = providerInfo(directory.provider);
    const items = stepsFor(directory.provider).map((step, index) => {
      const seen = step.milestone ? milestones[step.milestone] : null;
      const state = step.milestone ? (seen ? 'done' : 'waiting') : 'manual';
      return h('li', { class: ['step', `step-${state}`], dataset: { milestone: step.milestone ?? '' } },
        h('span', { class: 'step-marker', 'aria-hidden': 'true' }, state === 'done' ? '✓' : String(index + 1)),
        h('div', { class: 'step-body' },
          h('p', { class: 'step-title' }, step.title, state === 'done' ? h('span', { class: 'visually-hidden' }, ' (done)') : null),
          h('p', {}, step.text),
          step.milestone
            ? h('p', { class: ['step-status', seen && 'step-status-done'] }, seen ? `Seen ${formatTime(seen)}` : step.waiting)
            : null));
    });
    const doneAll = ['probeAt', 'firstUserAt', 'firstMembershipAt'].every(key => milestones[key]);
    replace(stepsSection,
      h('h2', { id: 'steps-title' }, `3. Steps in ${info.idp}`),
      h('p', { class: 'muted' }, 'Steps with a status are ticked by themselves when the requests arrive; this page checks every few seconds.'),
      replace(stepsList, items),
      doneAll
        ? h('p', { class: 'notice notice-ok' }, 'Users and groups are arriving. Next: ',
          ctx.scopes.includes('roles') ? h('a', { href: directoryHref(id, 'roles') }, 'map groups to roles') : 'map groups to roles',
          ', then check ', ctx.scopes.includes('users') ? h('a', { href: directoryHref(id, 'users') }, 'Users') : 'Users', '.')
        : null);
  }

  async function poll() {
    try {
      const setup = await api.setup(id);
      const changed = JSON.stringify(setup.milestones ?? {}) !== JSON.stringify(milestones);
      milestones = setup.milestones ?? {};
      if (changed) renderSteps();
    } catch { /* the next poll retries; the status pill shows lasting trouble */ }
  }

  renderProvider();
  renderConnection();
  renderSteps();
  poll();
  timer = setInterval(poll, pollMilliseconds);
  return () => clearInterval(timer);
}
