/** @jsxImportSource hono/jsx */
/**
 * The frame of every page: the skip link, the top bar (the company's pages, sign out),
 * and <main>. No script anywhere: links and forms do everything.
 */
import type { Child, FC } from 'hono/jsx';
import { urls } from '../urls.js';

export type Section = 'today' | 'briefing' | 'trends' | 'history' | 'runs';

export interface PageFrame {
  /** The stylesheet's address (its name carries its hash). */
  stylesheet: string;
  /** Shown when the visitor signed in with the token: a sign-out button. */
  signedIn: boolean;
  csrf: string;
}

export interface LayoutProps extends PageFrame {
  title: string;
  company?: { id: string; name: string } | undefined;
  section?: Section;
  children?: Child;
}

export const Layout: FC<LayoutProps> = (p) => {
  const here = (s: Section) => (p.section === s ? { 'aria-current': 'page' as const } : {});
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${p.title} · boardroom`}</title>
        <link rel="stylesheet" href={p.stylesheet} />
        {/* No favicon request (it would 404): an empty one. */}
        <link rel="icon" href="data:," />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <div class="bar">
            <a class="brand" href={urls.today()}>
              boardroom
            </a>
            <nav aria-label="Pages">
              <ul>
                <li>
                  <a href={urls.today()} {...here('today')}>
                    Today
                  </a>
                </li>
                {p.company ? (
                  <>
                    <li>
                      <a href={urls.company(p.company.id)} {...here('briefing')}>
                        Briefing
                      </a>
                    </li>
                    <li>
                      <a href={urls.trends(p.company.id)} {...here('trends')}>
                        Trends
                      </a>
                    </li>
                    <li>
                      <a href={urls.history(p.company.id)} {...here('history')}>
                        History
                      </a>
                    </li>
                    <li>
                      <a href={urls.runs(p.company.id)} {...here('runs')}>
                        Runs
                      </a>
                    </li>
                  </>
                ) : null}
              </ul>
            </nav>
            {p.company ? <span class="company">{p.company.name}</span> : null}
            {p.signedIn ? (
              <form method="post" action={urls.logout()}>
                <input type="hidden" name="_csrf" value={p.csrf} />
                <button type="submit">Sign out</button>
              </form>
            ) : null}
          </div>
        </header>
        <main id="main">{p.children}</main>
      </body>
    </html>
  );
};

/** A short message in place of content: an empty state, or what went wrong and what to do. */
export const Notice: FC<{ kind?: 'info' | 'error'; children?: Child }> = (p) => (
  <div
    class={`notice${p.kind === 'error' ? ' error' : ''}`}
    role={p.kind === 'error' ? 'alert' : 'status'}
  >
    {p.children}
  </div>
);
