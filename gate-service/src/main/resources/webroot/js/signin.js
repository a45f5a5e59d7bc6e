// Trades an API token for a session cookie, then goes where the user was heading.

/** Only a path on this site: never "//evil.example" or an absolute URL (an open redirect). */
function safeNext() {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
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
