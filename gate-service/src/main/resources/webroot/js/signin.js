// Trades an API token for a session cookie, then goes where the user was heading.

/**
 * Only a path on this site (the server's SafeNext applies the same rule): one leading "/" not followed by "/" or "\",
 * then visible ASCII without "\". Browsers drop tabs and newlines from URLs and read "\" as "/", so "/\t/evil.example"
 * or "/\evil.example" would become "//evil.example", another site. The resolved URL must also stay on this origin.
 */
function safeNext() {
  const next = new URLSearchParams(location.search).get('next');
  if (!next || !/^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/.test(next)) {
    return '/';
  }
  try {
    const url = new URL(next, location.origin);
    return url.origin === location.origin ? url.pathname + url.search + url.hash : '/';
  } catch (e) {
    return '/';
  }
}

document.getElementById('signin').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = document.getElementById('error');
  const input = document.getElementById('token');
  error.hidden = true;
  const r = await fetch('/signin', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ token: input.value.trim() }),
  });
  if (r.ok) {
    input.value = '';
    location.assign(safeNext());
    return;
  }
  let detail = `sign-in failed (HTTP ${r.status})`;
  try {
    detail = (await r.json()).detail || detail;
  } catch (e) {
    // keep the generic message
  }
  error.textContent = detail;
  error.hidden = false;
  input.focus();
});
