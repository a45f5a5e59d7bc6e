// The public API, called with the session cookie. State-changing calls send the session's CSRF token.

/** An API answer that was not 2xx: status and the problem+json body (title, detail, field). */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

/** Goes to the sign-in page, coming back here afterwards. */
export function toSignin() {
  location.assign('/signin?next=' + encodeURIComponent(location.pathname + location.search));
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch (e) {
    return null;
  }
}

/** GET a JSON resource; a 401 (session ended) goes to the sign-in page. */
export async function get(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (r.status === 401) {
    toSignin();
    throw new ApiError(401, await problemOf(r));
  }
  if (!r.ok) {
    throw new ApiError(r.status, await problemOf(r));
  }
  return r.json();
}

/** POST JSON with the CSRF token; resolves to the parsed body, rejects with an ApiError. */
export async function post(path, body, csrfToken) {
  return send('POST', path, body, csrfToken);
}

/** DELETE with a JSON body and the CSRF token (unlock). */
export async function del(path, body, csrfToken) {
  return send('DELETE', path, body, csrfToken);
}

async function send(method, path, body, csrfToken) {
  const r = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrfToken || '' },
    body: JSON.stringify(body),
  });
  const parsed = await problemOf(r);
  if (!r.ok) {
    throw new ApiError(r.status, parsed);
  }
  return parsed;
}

let current = null;

/** Who is signed in: {name, role, tenants, csrfToken}. Fetched once per page. */
export function session() {
  if (!current) {
    current = get('/api/v1/session');
  }
  return current;
}

/** True when the role may vote on overrides. */
export function canApprove(me) {
  return me && (me.role === 'approver' || me.role === 'admin');
}
