// Users: search, state, groups, effective roles with where each came from; a detail view with the stored
// SCIM attributes.
import { api } from './api.js';
import { h, replace, formatTime, timeEl } from './dom.js';
import { errorBox, pageHeader, loading, searchablePagedTable } from './components.js';
import { directoryHref } from './router.js';

export function render(ctx) {
  if (ctx.itemId) return renderDetail(ctx);
  const { main, id } = ctx;
  replace(main, pageHeader('Users', 'Everyone your identity provider has sent, with the roles they hold in the app.'),
    searchablePagedTable({
      searchLabel: 'Search users',
      placeholder: 'User name, name or email',
      caption: 'Users',
      headers: ['User', 'State', 'Groups', 'Roles', 'Last updated'],
      empty: { title: 'No users yet', text: 'Users appear here when your identity provider provisions them.' },
      load: ({ search, cursor }) => api.users(id, { search, cursor, count: 25 }),
      rows: page => (page.users ?? []).map(user => [
        userCell(id, user),
        activeBadge(user.active),
        groupList(id, user.groups),
        roleList(user.roles),
        timeEl(user.lastModified),
      ]),
    }));
}

function userCell(id, user) {
  return h('div', {},
    h('a', { href: directoryHref(id, 'users', user.id) }, user.userName),
    user.displayName ? h('span', { class: 'block' }, user.displayName) : null,
    user.email ? h('span', { class: 'block muted small' }, user.email) : null);
}

export function activeBadge(active) {
  return active ? h('span', { class: 'badge badge-ok' }, 'Active') : h('span', { class: 'badge badge-muted' }, 'Inactive');
}

function groupList(id, groups = []) {
  if (groups.length === 0) return h('span', { class: 'muted' }, 'None');
  return h('ul', { class: 'tag-list' }, groups.map(g => h('li', {}, h('a', { href: directoryHref(id, 'groups', g.id) }, g.displayName))));
}

function roleList(roles = []) {
  if (roles.length === 0) return h('span', { class: 'muted' }, 'None');
  return h('ul', { class: 'role-sources' }, roles.map(role => h('li', {},
    h('span', { class: 'badge badge-role' }, role.role),
    h('span', { class: 'muted small' }, ' via ', (role.via ?? []).map(via => via.default ? 'default role' : via.group?.displayName).join(', ')))));
}

function renderDetail(ctx) {
  const { main, id, itemId } = ctx;
  const back = h('p', {}, h('a', { href: directoryHref(id, 'users') }, '← All users'));
  replace(main, back, loading());
  api.user(id, itemId).then(user => {
    replace(main, back, pageHeader(user.displayName || user.userName),
      h('section', { class: 'card', 'aria-labelledby': 'summary-title' },
        h('h2', { id: 'summary-title' }, 'Summary'),
        h('dl', { class: 'facts' },
          h('dt', {}, 'User name'), h('dd', {}, user.userName),
          h('dt', {}, 'Email'), h('dd', {}, user.email || '—'),
          h('dt', {}, 'State'), h('dd', {}, activeBadge(user.active)),
          h('dt', {}, 'Groups'), h('dd', {}, groupList(id, user.groups)),
          h('dt', {}, 'Roles'), h('dd', {}, roleList(user.roles)),
          h('dt', {}, 'Last updated'), h('dd', {}, formatTime(user.lastModified)),
          h('dt', {}, 'Id'), h('dd', {}, h('code', {}, user.id)))),
      h('section', { class: 'card', 'aria-labelledby': 'attributes-title' },
        h('h2', { id: 'attributes-title' }, 'Attributes as stored'),
        h('pre', { class: 'json', tabindex: '0', 'aria-label': 'SCIM attributes' }, JSON.stringify(user.attributes ?? {}, null, 2))));
  }).catch(error => replace(main, back, errorBox(error)));
}
