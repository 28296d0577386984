// The portal's JSON API (docs/portal-api.md). The session cookie travels by itself (same origin); every
// request that changes something carries X-Portal-Request, which a cross-site form cannot add.

const base = '/portal/api';

export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

const fallbackMessages = {
  0: 'The portal could not be reached. Check your network connection and try again.',
  400: 'The request was not accepted. Check the values and try again.',
  401: 'Your session has ended. Open the link you were sent again to continue.',
  403: 'This link does not give access to this page.',
  404: 'This item no longer exists, or this link does not cover it.',
  409: 'This conflicts with the current state. Reload the page and try again.',
  503: 'The service is busy or briefly unavailable. Try again in a moment.',
};

const sessionListeners = new Set();

/** Called with the error when the session is gone (401 outside the redeem call). */
export function onSessionLost(listener) {
  sessionListeners.add(listener);
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

export async function request(path, { method = 'GET', body, redeem = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-Portal-Request'] = '1';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', fallbackMessages[0]);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (response.ok) return data;
  const code = data?.error ?? 'error';
  const message = data?.message || fallbackMessages[response.status] || `The request failed (status ${response.status}).`;
  const error = new ApiError(response.status, code, message, response.headers.get('Retry-After'));
  if (response.status === 401 && !redeem) sessionListeners.forEach(listener => listener(error));
  throw error;
}

const dir = id => `/directories/${encodeURIComponent(id)}`;

export const api = {
  session: () => request('/session'),
  redeem: link => request('/session', { method: 'POST', body: { link }, redeem: true }),
  signOut: () => request('/session', { method: 'DELETE' }),

  directories: () => request('/directories'),
  createDirectory: (displayName, provider) => request('/directories', { method: 'POST', body: { displayName, provider } }),
  mintLink: (id, body = {}) => request(`${dir(id)}/portal-links`, { method: 'POST', body }),

  directory: id => request(dir(id)),
  setProvider: (id, provider) => request(`${dir(id)}/provider`, { method: 'PUT', body: { provider } }),
  setup: id => request(`${dir(id)}/setup`),

  tokens: id => request(`${dir(id)}/tokens`),
  createToken: (id, label) => request(`${dir(id)}/tokens`, { method: 'POST', body: label ? { label } : {} }),
  revokeToken: (id, tokenId) => request(`${dir(id)}/tokens/${encodeURIComponent(tokenId)}`, { method: 'DELETE' }),

  roles: id => request(`${dir(id)}/roles`),
  previewRoles: (id, body) => request(`${dir(id)}/roles/preview`, { method: 'POST', body }),
  saveRoles: (id, body) => request(`${dir(id)}/roles`, { method: 'PUT', body }),

  users: (id, params) => request(`${dir(id)}/users${query(params)}`),
  user: (id, userId) => request(`${dir(id)}/users/${encodeURIComponent(userId)}`),
  groups: (id, params) => request(`${dir(id)}/groups${query(params)}`),
  group: (id, groupId) => request(`${dir(id)}/groups/${encodeURIComponent(groupId)}`),
  members: (id, groupId, params) => request(`${dir(id)}/groups/${encodeURIComponent(groupId)}/members${query(params)}`),

  requests: (id, params) => request(`${dir(id)}/requests${query(params)}`),
};
