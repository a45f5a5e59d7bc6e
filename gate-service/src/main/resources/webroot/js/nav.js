// The header every page shares: who is signed in, and signing out.
import { post, session, toSignin } from './api.js';

/** Fills the header; resolves to the session ({name, role, tenants, csrfToken}). */
export async function initNav() {
  const me = await session();
  const who = document.getElementById('me');
  if (who) {
    who.textContent = `${me.name} (${me.role})`;
  }
  const out = document.getElementById('signout');
  if (out) {
    out.addEventListener('click', async () => {
      try {
        await post('/signout', {}, me.csrfToken);
      } finally {
        location.assign('/signin');
      }
    });
  }
  return me;
}

export { toSignin };
