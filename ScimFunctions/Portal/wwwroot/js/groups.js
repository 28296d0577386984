// Groups: name, member count, mapped roles; a group's members, paged.
import { api } from './api.js';
import { h, replace, plural } from './dom.js';
import { errorBox, pageHeader, loading, searchablePagedTable, cursorPager, dataTable, emptyState } from './components.js';
import { directoryHref } from './router.js';

export function render(ctx) {
  if (ctx.itemId) return renderDetail(ctx);
  const { main, id } = ctx;
  replace(main, pageHeader('Groups', 'Groups your identity provider has sent (in OneLogin, its roles). Map them to app roles on Roles.'),
    searchablePagedTable({
      searchLabel: 'Search groups',
      placeholder: 'Group name',
      caption: 'Groups',
      headers: ['Group', 'Members', 'Mapped roles'],
      empty: { title: 'No groups yet', text: 'Groups appear here when your identity provider pushes them.' },
      load: ({ search, cursor }) => api.groups(id, { search, cursor, count: 25 }),
      rows: page => (page.groups ?? []).map(group => [
        h('a', { href: directoryHref(id, 'groups', group.id) }, group.displayName),
        String(group.memberCount ?? 0),
        roleTags(group.roles),
      ]),
    }));
}

function roleTags(roles = []) {
  if (roles.length === 0) return h('span', { class: 'muted' }, 'None');
  return h('ul', { class: 'tag-list' }, roles.map(role => h('li', {}, h('span', { class: 'badge badge-role' }, role))));
}

function renderDetail(ctx) {
  const { main, id, itemId } = ctx;
  const back = h('p', {}, h('a', { href: directoryHref(id, 'groups') }, '← All groups'));
  replace(main, back, loading());
  api.group(id, itemId).then(group => {
    const members = h('div', { 'aria-live': 'polite' }, loading());
    const pager = cursorPager(async cursor => {
      try {
        const page = await api.members(id, itemId, { cursor, count: 25 });
        const list = page.members ?? [];
        replace(members, list.length === 0
          ? emptyState('No members', 'Members appear when your identity provider adds users to this group.')
          : dataTable('Members', ['User name', 'Name'], list.map(m => [
            h('a', { href: directoryHref(id, 'users', m.id) }, m.userName), m.displayName || '—'])));
        return page;
      } catch (error) {
        replace(members, errorBox(error));
        return null;
      }
    }, { label: 'Member pages' });
    replace(main, back, pageHeader(group.displayName, `${plural(group.memberCount ?? 0, 'member')} · mapped roles: ${(group.roles ?? []).join(', ') || 'none'}`),
      h('section', { class: 'card', 'aria-labelledby': 'members-title' }, h('h2', { id: 'members-title' }, 'Members'), members, pager.el));
    pager.reset();
  }).catch(error => replace(main, back, errorBox(error)));
}
