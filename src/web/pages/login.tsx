/** @jsxImportSource hono/jsx */
/** The sign-in form (BOARDROOM_WEB_TOKEN set), and the pages for what is not there. */
import type { FC } from 'hono/jsx';
import { urls } from '../urls.js';
import { Layout, Notice, type PageFrame } from './layout.js';

export const LoginPage: FC<PageFrame & { next: string; failed: boolean }> = (p) => (
  <Layout {...p} signedIn={false} title="Sign in">
    <div class="login card">
      <h1>Sign in</h1>
      <p class="muted">This boardroom needs its access token (BOARDROOM_WEB_TOKEN).</p>
      {p.failed ? <Notice kind="error">That token is not the right one.</Notice> : null}
      <form method="post" action={urls.login()}>
        <input type="hidden" name="next" value={p.next} />
        <label for="token">Access token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required />
        <p>
          <button type="submit" class="primary">
            Sign in
          </button>
        </p>
      </form>
    </div>
  </Layout>
);

export const ErrorPage: FC<
  PageFrame & { title: string; message: string; company?: { id: string; name: string } }
> = (p) => (
  <Layout {...p} title={p.title} company={p.company}>
    <h1>{p.title}</h1>
    <Notice kind="error">{p.message}</Notice>
    <p>
      <a href={urls.today()}>Back to Today</a>
    </p>
  </Layout>
);
