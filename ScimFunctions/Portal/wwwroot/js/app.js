// Entry point: finds the session, routes the hash to a screen module, keeps the nav and the connection pill.
import { api, onSessionLost } from './api.js';
import { h, replace } from './dom.js';
import { parseHash, onRouteChange, directoryHref, replaceRoute } from './router.js';
import { statusPill, errorBox, loading } from './components.js';
import * as landing from './landing.js';
import * as operator from './operator.js';
import * as setup from './setup.js';
import * as tokens from './tokens.js';
import * as roles from './roles.js';
import * as users from './users.js';
import * as groups from './groups.js';
import * as activity from './activity.js';

const allScopes = ['setup', 'tokens', 'roles', 'users', 'activity'];
const statusPollMilliseconds = 10000;

const screens = [
  { name: 'setup', title: 'Provider and setup', scope: 'setup', module: setup },
  { name: 'tokens', title: 'Tokens', scope: 'tokens', module: tokens },
  { name: 'roles', title: 'Roles', scope: 'roles', module: roles },
  { name: 'users', title: 'Users', scope: 'users', module: users },
  { name: 'groups', title: 'Groups', scope: 'users', module: groups },
  { name: 'activity', title: 'Activity', scope: 'activity', module: activity },
];

let main = document.getElementById('main');
const nav = document.getElementById('nav');
const statusSlot = document.getElementById('status-slot');
const directoryName = document.getElementById('directory-name');
const signOut = document.getElementById('sign-out');

let session = null;
let directory = null;
let cleanup = null;
let statusTimer = null;

function scopesOf(current) {
  if (session?.operator) return allScopes;
  return current?.scopes ?? session?.scopes ?? [];
}

function showChrome(visible) {
  nav.hidden = !visible;
  signOut.hidden = !session;
  if (!visible) { replace(statusSlot); directoryName.textContent = ''; }
}

function renderNav(route) {
  const scopes = scopesOf(directory);
  const links = [];
  if (session?.operator) {
    links.push(h('li', {}, h('a', { href: '#/', 'aria-current': route.name === 'home' ? 'page' : null }, 'All directories')));
  }
  if (directory) {
    for (const screen of screens.filter(s => scopes.includes(s.scope))) {
      links.push(h('li', {}, h('a', { href: directoryHref(directory.id, screen.name), 'aria-current': route.name === screen.name ? 'page' : null }, screen.title)));
    }
  }
  replace(nav, h('ul', {}, links));
}

function renderStatus() {
  if (directory) {
    replace(statusSlot, statusPill({ ...directory, scopes: scopesOf(directory) }));
    directoryName.textContent = directory.displayName;
  } else {
    replace(statusSlot);
    directoryName.textContent = '';
  }
}

function setDirectory(next) {
  directory = { ...directory, ...next };
  renderStatus();
}

function stopScreen() {
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
}

function startStatusPolling(id) {
  clearInterval(statusTimer);
  statusTimer = setInterval(async () => {
    try {
      if (directory?.id === id) setDirectory(await api.directory(id));
    } catch { /* the pill keeps its last state; a lost session is handled by the API module */ }
  }, statusPollMilliseconds);
}

function defaultRoute() {
  if (session.operator) return '#/';
  const scopes = session.scopes ?? [];
  const first = screens.find(s => scopes.includes(s.scope)) ?? screens[0];
  return directoryHref(session.directoryId, first.name);
}

function signedOutScreen(message) {
  stopScreen();
  clearInterval(statusTimer);
  session = null;
  directory = null;
  showChrome(false);
  freshMain();
  replace(main, h('section', { class: 'card landing' },
    h('h1', {}, 'Open your link to continue'),
    h('p', {}, message ?? 'This page is opened with the link you were sent (it contains “#link=”). Your session may have ended after 8 hours without use, or the link was revoked.'),
    h('p', { class: 'muted' }, 'Ask the person who sent the link for a new one if it no longer works.')));
  document.title = 'SCIM provisioning';
}

/** A fresh <main>: a screen still finishing a request writes into the old, detached one, never over the next page. */
function freshMain() {
  const fresh = h('main', { id: 'main', class: 'content', tabindex: '-1' });
  main.replaceWith(fresh);
  main = fresh;
}

// Each route change takes a number; one still waiting on a request when the next starts stops there.
let routeTicket = 0;

async function route(next = parseHash()) {
  const ticket = ++routeTicket;
  stopScreen();
  freshMain();
  if (next.name === 'landing') {
    showChrome(false);
    document.title = 'Set up provisioning · SCIM provisioning';
    landing.render({ main, link: next.link, onSession: started });
    return;
  }
  if (!session) {
    try {
      session = await api.session();
    } catch (error) {
      if (ticket !== routeTicket) return;
      if (error.status === 401) signedOutScreen();
      else replace(main, errorBox(error, { retry: () => route() }));
      return;
    }
  }
  if (ticket !== routeTicket) return;
  if (next.name === 'home') {
    if (!session.operator) { replaceRoute(defaultRoute()); return route(parseHash()); }
    directory = null;
    clearInterval(statusTimer);
    showChrome(true);
    renderNav(next);
    renderStatus();
    document.title = 'Directories · SCIM provisioning';
    cleanup = operator.render({ main, session });
    focusMain();
    return;
  }
  const screen = screens.find(s => s.name === next.name);
  if (!screen) {
    showChrome(true);
    replace(main, h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: defaultRoute() }, 'Go to the start page')));
    return;
  }
  if (directory?.id !== next.directoryId) {
    replace(main, loading());
    try {
      directory = await api.directory(next.directoryId);
    } catch (error) {
      if (ticket !== routeTicket) return;
      showChrome(true);
      replace(main, errorBox(error));
      return;
    }
    if (ticket !== routeTicket) return;
    startStatusPolling(next.directoryId);
  }
  showChrome(true);
  renderNav(next);
  renderStatus();
  document.title = `${screen.title} · ${directory.displayName} · SCIM provisioning`;
  const scopes = scopesOf(directory);
  if (!scopes.includes(screen.scope)) {
    replace(main, h('h1', {}, screen.title), h('p', { class: 'notice notice-warn' }, 'The link you used does not include this page. Ask the person who sent it if you need it.'));
    return;
  }
  cleanup = screen.module.render({ main, id: directory.id, directory, session, scopes, itemId: next.itemId, setDirectory });
  focusMain();
}

let firstRender = true;
function focusMain() {
  // Moves keyboard and screen-reader focus to the new page, except on the first load.
  if (firstRender) { firstRender = false; return; }
  main.focus({ preventScroll: false });
}

function started(newSession) {
  session = newSession;
  directory = null;
  // The link secret must not stay in the address bar or the history.
  replaceRoute(defaultRoute());
  route(parseHash());
}

signOut.addEventListener('click', async () => {
  try { await api.signOut(); } catch { /* signed out either way */ }
  signedOutScreen('You are signed out. Open your link again to come back.');
});

onSessionLost(() => signedOutScreen());
onRouteChange(next => route(next));
route();
