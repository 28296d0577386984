// Roles: the app's roles, the default role, and group → role mappings, with an impact preview (computed by
// the server with the same rule the recompute uses) before Save applies them.
import { api } from './api.js';
import { h, replace, uid, plural } from './dom.js';
import { errorBox, pageHeader, dataTable, emptyState, loading } from './components.js';
import { directoryHref } from './router.js';

const previewDelayMilliseconds = 400;

export function render(ctx) {
  const { main, id } = ctx;
  const rolesArea = h('section', { class: 'card', 'aria-labelledby': 'roles-title' });
  const defaultArea = h('section', { class: 'card', 'aria-labelledby': 'default-title' });
  const mappingsArea = h('section', { class: 'card', 'aria-labelledby': 'mappings-title' });
  const saveArea = h('section', { class: 'card', 'aria-labelledby': 'save-title' });
  const preview = h('div', { id: 'roles-preview', class: 'preview', 'aria-live': 'polite' });
  replace(main, pageHeader('Roles', 'Members of a mapped group get its roles in the app. Users in no mapped group get the default role.'),
    loading());

  let roles = [];
  let defaultRole = null;
  let mappings = [];
  let saved = '';
  let syncedGroups = [];
  let previewTimer = null;
  let previewSequence = 0;

  const roleName = key => roles.find(r => r.key === key)?.displayName || key;
  const body = () => ({
    defaultRole,
    mappings: mappings.map(m => ({ group: m.group.id ? { id: m.group.id } : { displayName: m.group.displayName }, roles: [...m.roles] })),
  });
  const dirty = () => JSON.stringify(body()) !== saved;

  function renderRoles() {
    replace(rolesArea, h('h2', { id: 'roles-title' }, 'Roles of the app'),
      roles.length === 0
        ? emptyState('No roles defined yet', 'The app’s operator defines roles; ask them to add the roles you need.')
        : h('dl', { class: 'role-list' }, roles.map(role => [
          h('dt', {}, role.displayName || role.key, ' ', h('code', { class: 'muted small' }, role.key)),
          h('dd', {}, role.description || h('span', { class: 'muted' }, 'No description')),
        ])));
  }

  function renderDefault() {
    const selectId = uid('default');
    const select = h('select', { id: selectId },
      h('option', { value: '', selected: !defaultRole }, 'None'),
      roles.map(role => h('option', { value: role.key, selected: role.key === defaultRole }, role.displayName || role.key)));
    select.addEventListener('change', () => { defaultRole = select.value || null; changed(); });
    replace(defaultArea, h('h2', { id: 'default-title' }, 'Default role'),
      h('div', { class: 'field' }, h('label', { for: selectId }, 'Role of every active user in no mapped group'), select));
  }

  function roleCheckboxes(selected, legend, onToggle) {
    return h('fieldset', { class: 'role-choices' }, h('legend', { class: 'visually-hidden' }, legend),
      roles.map(role => {
        const boxId = uid('role');
        const box = h('input', { type: 'checkbox', id: boxId, value: role.key, checked: selected.includes(role.key) });
        box.addEventListener('change', () => onToggle(role.key, box.checked));
        return h('span', { class: 'check-inline' }, box, h('label', { for: boxId }, role.displayName || role.key));
      }));
  }

  function renderMappings() {
    const rows = mappings.map((mapping, index) => [
      h('span', {}, mapping.group.displayName,
        mapping.groupSynced ? null : h('span', { class: 'badge badge-muted', title: 'Applies once your identity provider sends a group of this name' }, 'not synced yet')),
      roleCheckboxes(mapping.roles, `Roles for ${mapping.group.displayName}`, (key, on) => {
        mapping.roles = on ? [...new Set([...mapping.roles, key])] : mapping.roles.filter(r => r !== key);
        changed();
      }),
      h('button', { type: 'button', class: 'button button-small', on: { click: () => { mappings.splice(index, 1); renderMappings(); changed(); } } },
        'Remove', h('span', { class: 'visually-hidden' }, ` mapping of ${mapping.group.displayName}`)),
    ]);
    replace(mappingsArea, h('h2', { id: 'mappings-title' }, 'Group → role mappings'),
      mappings.length === 0
        ? emptyState('No mappings yet', 'Add a group below: pick one your identity provider has sent, or type the name of one it has not sent yet.')
        : dataTable('Group to role mappings', ['Group', 'Roles', 'Actions'], rows),
      addMappingForm());
  }

  function addMappingForm() {
    const inputId = uid('group');
    const listId = uid('groups');
    const datalist = h('datalist', { id: listId }, syncedGroups.map(g => h('option', { value: g.displayName })));
    const input = h('input', { id: inputId, type: 'search', list: listId, autocomplete: 'off', required: true, placeholder: 'Search synced groups or type a name' });
    let searchTimer = null;
    input.addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(async () => {
        try {
          const found = await api.groups(id, { search: input.value.trim(), count: 50 });
          for (const g of found.groups ?? []) if (!syncedGroups.some(s => s.id === g.id)) syncedGroups.push(g);
          replace(datalist, (found.groups ?? []).map(g => h('option', { value: g.displayName })));
        } catch { /* the typed name can still be added */ }
      }, 250);
    });
    const chosen = [];
    const message = h('div');
    const form = h('form', { class: 'add-mapping' },
      h('h3', {}, 'Add a mapping'),
      h('div', { class: 'field' }, h('label', { for: inputId }, 'Group'), input, datalist),
      h('div', { class: 'field' }, h('span', { class: 'field-label', id: inputId + '-roles' }, 'Roles'),
        roleCheckboxes(chosen, 'Roles for the new mapping', (key, on) => {
          if (on) chosen.push(key); else chosen.splice(chosen.indexOf(key), 1);
        })),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, 'Add mapping')),
      message);
    form.addEventListener('submit', event => {
      event.preventDefault();
      const name = input.value.trim();
      if (!name) return;
      if (chosen.length === 0) {
        replace(message, h('p', { class: 'notice notice-error', role: 'alert' }, 'Choose at least one role for the group.'));
        return;
      }
      const synced = syncedGroups.find(g => g.displayName.toLowerCase() === name.toLowerCase());
      const group = synced ? { id: synced.id, displayName: synced.displayName } : { id: null, displayName: name };
      if (mappings.some(m => (group.id && m.group.id === group.id) || m.group.displayName.toLowerCase() === name.toLowerCase())) {
        replace(message, h('p', { class: 'notice notice-error', role: 'alert' }, 'This group is mapped already: change its roles in the table.'));
        return;
      }
      mappings.push({ group, groupSynced: Boolean(synced), roles: [...chosen] });
      renderMappings();
      changed();
      mappingsArea.querySelector('input[type=search]')?.focus();
    });
    return form;
  }

  function renderSave(message) {
    const save = h('button', { type: 'button', class: 'button button-primary', id: 'roles-save', disabled: !dirty() }, 'Save');
    const discard = h('button', { type: 'button', class: 'button', disabled: !dirty() }, 'Discard changes');
    save.addEventListener('click', async () => {
      save.disabled = true;
      try {
        const result = await api.saveRoles(id, body());
        apply(result);
        renderAll();
        renderSave(h('p', { class: 'notice notice-ok', role: 'status' }, 'Saved. Users’ roles are being updated; this takes a few seconds.'));
      } catch (error) {
        renderSave(errorBox(error));
      }
    });
    discard.addEventListener('click', () => load());
    replace(saveArea, h('h2', { id: 'save-title' }, 'Review and save'),
      preview,
      h('div', { class: 'actions' }, save, discard),
      message ?? null);
    if (!dirty()) replace(preview, h('p', { class: 'muted' }, 'No unsaved changes.'));
  }

  function changed() {
    renderSave();
    clearTimeout(previewTimer);
    if (!dirty()) return;
    replace(preview, h('p', { class: 'muted' }, 'Working out who is affected…'));
    previewTimer = setTimeout(runPreview, previewDelayMilliseconds);
  }

  async function runPreview() {
    const sequence = ++previewSequence;
    try {
      const result = await api.previewRoles(id, body());
      if (sequence !== previewSequence) return;
      const lines = [];
      for (const change of result.changes ?? []) {
        if (change.gain) lines.push(`${plural(change.gain, 'user')} ${change.gain === 1 ? 'gains' : 'gain'} ${roleName(change.role)}`);
        if (change.lose) lines.push(`${plural(change.lose, 'user')} ${change.lose === 1 ? 'loses' : 'lose'} ${roleName(change.role)}`);
      }
      replace(preview,
        h('p', { class: 'preview-summary' }, result.usersAffected
          ? `If you save: ${plural(result.usersAffected, 'user')} ${result.usersAffected === 1 ? 'is' : 'are'} affected.`
          : 'If you save: no one’s roles change.'),
        lines.length ? h('ul', { class: 'preview-lines' }, lines.map(line => h('li', {}, line))) : null);
    } catch (error) {
      if (sequence === previewSequence) replace(preview, errorBox(error));
    }
  }

  function apply(data) {
    roles = data.roles ?? [];
    defaultRole = data.defaultRole ?? null;
    mappings = (data.mappings ?? []).map(m => ({ group: { id: m.group?.id ?? null, displayName: m.group?.displayName ?? '' }, groupSynced: m.groupSynced, roles: [...(m.roles ?? [])] }));
    saved = JSON.stringify(body());
  }

  function renderAll() {
    renderRoles();
    renderDefault();
    renderMappings();
    renderSave();
  }

  async function load() {
    try {
      const [data, groups] = await Promise.all([api.roles(id), ctx.scopes.includes('users') ? api.groups(id, { count: 100 }).catch(() => ({ groups: [] })) : { groups: [] }]);
      syncedGroups = groups.groups ?? [];
      apply(data);
      replace(main, pageHeader('Roles', 'Members of a mapped group get its roles in the app. Users in no mapped group get the default role.'),
        rolesArea, defaultArea, mappingsArea, saveArea,
        ctx.scopes.includes('users') ? h('p', { class: 'muted' }, 'See each user’s roles, and the group each came from, on ', h('a', { href: directoryHref(id, 'users') }, 'Users'), '.') : null);
      renderAll();
    } catch (error) {
      replace(main, pageHeader('Roles'), errorBox(error, { retry: load }));
    }
  }

  load();
  return () => clearTimeout(previewTimer);
}
