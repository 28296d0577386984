// Activity: every request the identity provider sent, newest first, with a plain-language hint on failures.
import { api } from './api.js';
import { h, replace, uid, formatTime } from './dom.js';
import { errorBox, pageHeader, loading, cursorPager, dataTable, emptyState } from './components.js';

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function select(label, options) {
  const id = uid('filter');
  const el = h('select', { id }, h('option', { value: '' }, 'All'), options.map(([value, text]) => h('option', { value }, text)));
  return { el, field: h('div', { class: 'field' }, h('label', { for: id }, label), el) };
}

export function render(ctx) {
  const { main, id } = ctx;
  const status = select('Status', [['2xx', 'Succeeded (2xx)'], ['4xx', 'Refused (4xx)'], ['5xx', 'Failed (5xx)']]);
  const method = select('Method', methods.map(m => [m, m]));
  const resourceId = uid('resource');
  const resource = h('input', { id: resourceId, type: 'text', list: resourceId + '-list', autocomplete: 'off', placeholder: 'Users, Groups or an id' });
  const resourceList = h('datalist', { id: resourceId + '-list' }, ['Users', 'Groups', 'ServiceProviderConfig', 'Schemas', 'ResourceTypes'].map(v => h('option', { value: v })));
  const form = h('form', { class: 'filters', 'aria-label': 'Filter requests' },
    status.field, method.field,
    h('div', { class: 'field' }, h('label', { for: resourceId }, 'Resource'), resource, resourceList),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, 'Apply filters')));
  const results = h('div', { 'aria-live': 'polite' }, loading());
  const pager = cursorPager(async cursor => {
    try {
      const page = await api.requests(id, { cursor, count: 50, status: status.el.value, method: method.el.value, resource: resource.value.trim() });
      const list = page.requests ?? [];
      replace(results, list.length === 0
        ? emptyState('No requests match', 'Requests appear here a few seconds after your identity provider sends them.')
        : dataTable('Requests, newest first', ['Time', 'Method', 'Resource', 'Status', 'Duration', 'Hint'], list.map(entry => [
          h('time', { datetime: entry.at, class: 'nowrap' }, formatTime(entry.at)),
          h('code', {}, entry.method),
          resourceCell(entry),
          statusBadge(entry.status),
          `${entry.durationMs ?? '—'} ms`,
          entry.hint?.text ? h('span', { class: 'hint' }, entry.hint.text) : h('span', { class: 'muted' }, '—'),
        ])));
      return page;
    } catch (error) {
      replace(results, errorBox(error, { retry: () => pager.reload() }));
      return null;
    }
  }, { label: 'Request pages' });
  form.addEventListener('submit', event => { event.preventDefault(); pager.reset(); });
  const refresh = h('button', { type: 'button', class: 'button', on: { click: () => pager.reset() } }, 'Refresh');
  replace(main, pageHeader('Activity', 'What your identity provider sent and how the endpoint answered. Failures carry a hint on what to fix.'),
    h('section', { class: 'card' }, form), h('div', { class: 'actions' }, refresh), results, pager.el);
  pager.reset();
}

/** The route template (Users/{id}) and the server id it named; the log keeps no client values. */
function resourceCell(entry) {
  const route = entry.route || entry.path || entry.resourceType || entry.resource;
  if (!route) return h('span', { class: 'muted' }, '—');
  return h('span', {}, h('span', { class: 'path' }, route), entry.resourceId ? h('span', { class: 'block muted small path' }, entry.resourceId) : null);
}

function statusBadge(status) {
  const kind = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'ok';
  return h('span', { class: ['badge', `badge-${kind}`] }, String(status));
}
