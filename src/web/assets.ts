/**
 * The app's one stylesheet, served from memory under a name that carries its hash, so
 * browsers may keep it for a year and a new release is fetched at once. The CSP allows
 * styles from this origin only: no inline styles, no fonts or scripts from anywhere.
 */
import { createHash } from 'node:crypto';
import { BRIEFING_CSS } from '../ceo/render-html.js';

const WEB_CSS = `
a{color:var(--link)}:root{--link:#1f5fa6}@media (prefers-color-scheme:dark){:root{--link:#8ab8f0}}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:2px solid var(--link);outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:12px;top:8px;background:var(--bg);padding:6px 10px;z-index:2}
header.top{border-bottom:1px solid var(--line);background:var(--card)}
header.top .bar{max-width:1040px;margin:0 auto;padding:10px 20px;display:flex;gap:18px;align-items:center;flex-wrap:wrap}
header.top .brand{font-weight:700;text-decoration:none;color:var(--fg);margin-right:8px}
header.top nav ul{display:flex;gap:14px;list-style:none;margin:0;padding:0;flex-wrap:wrap}
header.top nav a{text-decoration:none;padding:4px 2px}header.top nav a[aria-current="page"]{font-weight:700;border-bottom:2px solid var(--link)}
header.top .company{color:var(--muted)}header.top form{margin-left:auto}
button,.button{font:inherit;font-size:14px;padding:6px 12px;border-radius:8px;border:1px solid var(--line);background:var(--bg);color:var(--fg);cursor:pointer}
button.primary{background:#1f5fa6;border-color:#1f5fa6;color:#fff}
.toolbar{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin:12px 0}
.toolbar .spacer{flex:1}.pager{display:flex;gap:12px;align-items:center;margin:14px 0}
.filters{display:flex;gap:12px;align-items:flex-end;flex-wrap:wrap;margin:8px 0 16px}
.filters label{display:flex;flex-direction:column;font-size:13px;color:var(--muted);gap:2px}.filters input,.filters select,.filters button{height:34px}
input,select{font:inherit;font-size:14px;padding:5px 8px;border-radius:6px;border:1px solid var(--muted);background:var(--bg);color:var(--fg)}
.notice{border:1px solid var(--line);border-left:4px solid var(--info);background:var(--card);padding:10px 14px;border-radius:8px;margin:12px 0}
.notice.error{border-left-color:var(--poor)}
.companies{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:14px}
.company-card h2{margin-top:4px}.company-card ol{padding-left:20px;margin:6px 0}.company-card .nums{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:14px}
.trend-grid{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:16px;align-items:start;margin:24px 0}.trend-grid>div>h2:first-child{margin-top:0}.risk-chart{max-width:680px}
@media (max-width:760px){.trend-grid{grid-template-columns:1fr}}
.definition{font-size:14px}.definition code{font-size:13px}
.periods{display:flex;gap:8px;list-style:none;padding:0;margin:0}.periods a{padding:4px 10px;border:1px solid var(--line);border-radius:999px;text-decoration:none}
.periods a[aria-current="page"]{background:var(--link);color:var(--bg);border-color:var(--link)}
.agents{display:flex;gap:8px;flex-wrap:wrap;list-style:none;padding:0;margin:8px 0 14px}.agents a{text-decoration:none;padding:4px 10px;border-radius:8px}
.agents a[aria-current="page"]{background:var(--card);border:1px solid var(--line);font-weight:700}
.login{max-width:380px;margin:60px auto}.login label{display:block;margin:12px 0 4px}.login input{width:100%}
.status-ok{color:var(--good)}.status-bad{color:var(--poor)}.status-warn{color:var(--fair)}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

export interface Asset {
  name: string;
  type: string;
  body: string;
  etag: string;
}

function asset(base: string, ext: string, type: string, body: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { name: `${base}.${hash}.${ext}`, type, body, etag: `"${hash}"` };
}

/** The stylesheet: the briefing's own, then the app's, then the extras (the charts'). */
export function stylesheet(extraCss: readonly string[] = []): Asset {
  return asset(
    'app',
    'css',
    'text/css; charset=utf-8',
    [BRIEFING_CSS, WEB_CSS, ...extraCss].join('\n'),
  );
}
