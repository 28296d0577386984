// Hash routes: #/ (operator home), #/directories/{id}/{screen}[/{itemId}], and #link=… (a portal link).

export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#/, '');
  if (raw.startsWith('link=')) return { name: 'landing', link: decodeURIComponent(raw.slice(5)) };
  const parts = raw.replace(/^\//, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'home' };
  if (parts[0] === 'directories' && parts[1]) {
    return { name: parts[2] ?? 'setup', directoryId: parts[1], itemId: parts[3] ?? null };
  }
  return { name: 'unknown' };
}

export function directoryHref(directoryId, screen = 'setup', itemId) {
  const path = ['directories', directoryId, screen, itemId].filter(Boolean).map(encodeURIComponent).join('/');
  return '#/' + path;
}

export function navigate(href) {
  if (location.hash === href) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = href;
}

/** Replaces the current URL's fragment without a history entry (the link secret must not stay in it). */
export function replaceRoute(href) {
  history.replaceState(null, '', location.pathname + location.search + href);
}

export function onRouteChange(handler) {
  window.addEventListener('hashchange', () => handler(parseHash()));
}
