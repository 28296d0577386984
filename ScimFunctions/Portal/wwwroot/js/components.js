// Pieces several screens share: copy fields, the one-time token reveal, the connection pill, the pager.
import { h, replace, uid, relative, timeEl } from './dom.js';
import { directoryHref } from './router.js';

/** One polite live region for "Copied" confirmations, so screen readers hear them. */
function copyAnnouncer() {
  let region = document.getElementById('copy-status');
  if (!region) {
    region = h('div', { id: 'copy-status', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    document.body.append(region);
  }
  return region;
}

async function copyText(text) {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch { /* fall through: not permitted here */ }
  }
  return false;
}

/** A labelled read-only field with a Copy button; the value is selectable when copying is not permitted. */
export function copyField({ label, value, id = uid('copy'), secret = false, help }) {
  const input = h('input', { id, type: 'text', class: ['copy-input', secret && 'secret'], readonly: true, value, spellcheck: 'false', autocomplete: 'off' });
  const feedback = h('span', { class: 'copy-feedback', 'aria-hidden': 'true' });
  const button = h('button', {
    type: 'button', class: 'button', 'aria-describedby': id,
    on: {
      click: async () => {
        const copied = await copyText(value);
        if (!copied) { input.focus(); input.select(); }
        const message = copied ? `${label} copied to the clipboard.` : 'Copying is not allowed here: the text is selected, press Ctrl+C (or ⌘C).';
        feedback.textContent = copied ? 'Copied' : 'Selected';
        copyAnnouncer().textContent = message;
        setTimeout(() => { feedback.textContent = ''; }, 4000);
      },
    },
  }, 'Copy');
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    help ? h('p', { class: 'help' }, help) : null,
    h('div', { class: 'copy-row' }, input, button, feedback));
}

/** The new token, shown this once: copy it, confirm it is stored, then it is gone from the page. */
export function tokenReveal(created, { onDone } = {}) {
  const checkId = uid('stored');
  const done = h('button', { type: 'button', class: 'button button-primary', disabled: true }, 'Done');
  const check = h('input', { type: 'checkbox', id: checkId, on: { change: () => { done.disabled = !check.checked; } } });
  const box = h('section', { class: 'reveal', 'aria-labelledby': checkId + '-title' },
    h('h3', { id: checkId + '-title' }, `New token${created.label ? ` “${created.label}”` : ''}`),
    h('p', { class: 'warning', role: 'note' },
      h('strong', {}, 'Copy this token now. '),
      'It will not be shown again: only its last four characters are kept. If it is lost, create a new one.'),
    copyField({ label: 'Bearer token', value: created.token, id: 'new-token', secret: true }),
    h('div', { class: 'check-row' }, check, h('label', { for: checkId }, 'I have stored it in my identity provider or a password manager')),
    h('div', { class: 'actions' }, done));
  done.addEventListener('click', () => {
    box.replaceWith(h('p', { class: 'notice notice-ok', role: 'status' },
      `Token ending in ${created.last4} is stored. It is no longer shown here.`));
    onDone?.();
  });
  return box;
}

const pillText = {
  waiting: 'Waiting for the first request',
  connected: 'Connected',
  failing: 'Failing',
};

/** waiting → connected (last request time) → failing (the most common hint and a link to Activity). */
export function statusPill(directory, { withLink = true, compact = false } = {}) {
  const status = directory?.status ?? { state: 'waiting' };
  const state = pillText[status.state] ? status.state : 'waiting';
  const parts = [h('span', { class: 'pill-dot', 'aria-hidden': 'true' }), h('span', { class: 'pill-label' }, pillText[state])];
  if (state === 'connected' && status.lastRequestAt) {
    parts.push(h('span', { class: 'pill-detail' }, '· last request ', timeEl(status.lastRequestAt)));
  }
  if (state === 'failing') {
    if (status.hint?.text && !compact) parts.push(h('span', { class: 'pill-detail' }, '· ' + status.hint.text));
    if (withLink && directory?.scopes?.includes('activity') !== false) {
      parts.push(' ', h('a', { href: directoryHref(directory.id, 'activity'), class: 'pill-link' }, 'See activity'));
    }
  }
  return h('div', { class: ['pill', `pill-${state}`], role: 'status', 'aria-label': 'Connection: ' + textOf(parts) }, parts);
}

function textOf(nodes) {
  return nodes.map(n => (n instanceof Node ? n.textContent : String(n))).join('').trim();
}

export function errorBox(error, { retry } = {}) {
  return h('div', { class: 'notice notice-error', role: 'alert' },
    h('p', {}, error?.message ?? String(error)),
    retry ? h('button', { type: 'button', class: 'button', on: { click: retry } }, 'Try again') : null);
}

export function emptyState(title, text) {
  return h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, title), text ? h('p', { class: 'muted' }, text) : null);
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'muted', role: 'status' }, text);
}

export function pageHeader(title, intro) {
  return h('div', { class: 'page-header' }, h('h1', {}, title), intro ? h('p', { class: 'lead' }, intro) : null);
}

/** A table whose header cells are given as strings; rows are arrays of cells (strings or nodes). */
export function dataTable(caption, headers, rows) {
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, headers.map(text => h('th', { scope: 'col' }, text)))),
      h('tbody', {}, rows.map(cells => h('tr', {}, cells.map(cell => h('td', {}, cell)))))));
}

/**
 * Previous/Next over an opaque cursor API. The API only gives the next cursor, so the pager keeps a stack of
 * the cursors that led to each earlier page.
 */
export function cursorPager(load, { label = 'Pages' } = {}) {
  const stack = [];
  let current = null;
  let next = null;
  const previousButton = h('button', { type: 'button', class: 'button' }, 'Previous');
  const nextButton = h('button', { type: 'button', class: 'button' }, 'Next');
  const position = h('span', { class: 'muted pager-position' });
  const el = h('nav', { class: 'pager', 'aria-label': label }, previousButton, position, nextButton);

  function update() {
    previousButton.disabled = stack.length === 0;
    nextButton.disabled = !next;
    position.textContent = `Page ${stack.length + 1}`;
    el.hidden = stack.length === 0 && !next;
  }

  async function go(cursor) {
    previousButton.disabled = true;
    nextButton.disabled = true;
    const data = await load(cursor);
    next = data?.nextCursor ?? null;
    update();
  }

  previousButton.addEventListener('click', () => { current = stack.pop() ?? null; go(current); });
  nextButton.addEventListener('click', () => { stack.push(current); current = next; go(current); });
  update();

  return {
    el,
    reset() { stack.length = 0; current = null; return go(null); },
    reload() { return go(current); },
  };
}

/** Renders the result of an async load into a container, with a loading line and a plain error. */
export async function loadInto(container, loader, render) {
  replace(container, loading());
  try {
    const data = await loader();
    replace(container, render(data));
    return data;
  } catch (error) {
    replace(container, errorBox(error, { retry: () => loadInto(container, loader, render) }));
    return null;
  }
}

export { relative };

/**
 * A search form above a paged table: `load({search, cursor})` returns the API page, `rows(page)` its table
 * rows. Used by Users and Groups.
 */
export function searchablePagedTable({ searchLabel, placeholder, caption, headers, load, rows, empty }) {
  const inputId = uid('search');
  const input = h('input', { id: inputId, type: 'search', autocomplete: 'off', placeholder });
  const form = h('form', { class: 'search-form', role: 'search' },
    h('label', { for: inputId }, searchLabel), input, h('button', { type: 'submit', class: 'button' }, 'Search'));
  const results = h('div', { 'aria-live': 'polite' });
  const pager = cursorPager(async cursor => {
    try {
      const page = await load({ search: input.value.trim(), cursor });
      const list = rows(page);
      replace(results, list.length === 0 ? emptyState(input.value.trim() ? 'Nothing matches this search' : empty.title, input.value.trim() ? 'Try the start of the name, user name or email.' : empty.text)
        : dataTable(caption, headers, list));
      return page;
    } catch (error) {
      replace(results, errorBox(error, { retry: () => pager.reload() }));
      return null;
    }
  });
  form.addEventListener('submit', event => { event.preventDefault(); pager.reset(); });
  replace(results, loading());
  pager.reset();
  return h('div', {}, form, results, pager.el);
}
