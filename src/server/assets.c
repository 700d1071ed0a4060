/*
 * assets.c - the dashboard's static files: one stylesheet, one small
 * script and the icon, served from memory under fixed paths (there is no
 * file system lookup, so no path can reach a file).
 *
 * The pages work without the script; it only adds tooltips, keyboard
 * navigation (j/k between sections, ? for help) and remembers the token
 * for the tab's session so each check-in form need not ask for it again.
 */
#include "server/server.h"

#include <string.h>

static const char *const css[] = {
	":root{--fg:#1d2327;--muted:#5f6b73;--line:#d9dee2;--bg:#fff;--soft:#f5f7f8;",
	"--green:#1a7f37;--yellow:#9a6700;--red:#cf222e;--done:#0969da;--accent:#0b5cad}\n",
	"*{box-sizing:border-box}\n",
	"body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;",
	"color:var(--fg);background:var(--bg)}\n",
	"a{color:var(--accent)}\n",
	"header.top{display:flex;gap:1rem;align-items:baseline;padding:.6rem 1.2rem;",
	"border-bottom:1px solid var(--line);background:var(--soft)}\n",
	"header.top .brand{font-weight:700;text-decoration:none;color:var(--fg)}\n",
	"header.top .ws{color:var(--muted)}\n",
	"header.top nav{margin-left:auto;display:flex;gap:1rem}\n",
	"header.top nav a[aria-current]{font-weight:700;text-decoration:none;color:var(--fg)}\n",
	"main{max-width:1100px;margin:0 auto;padding:1rem 1.2rem 3rem}\n",
	"footer{color:var(--muted);font-size:.85rem;text-align:center;padding:1rem}\n",
	"h1{font-size:1.5rem;margin:.4rem 0}h2{font-size:1.2rem;margin:1.6rem 0 .5rem}",
	"h3{font-size:1.05rem;margin:.2rem 0}h4{margin:1rem 0 .3rem}\n",
	".head{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:1rem}\n",
	"form.asof{display:flex;gap:.4rem;align-items:center}\n",
	".meta,.muted,.crumbs{color:var(--muted)}\n",
	".big{font-size:2.2rem;font-weight:700;margin:.2rem 0}\n",
	"table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}\n",
	"caption{text-align:left;font-weight:600;padding:.3rem 0}\n",
	"th,td{padding:.3rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}\n",
	"th{font-weight:600;color:var(--muted);font-size:.85rem}\n",
	"td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n",
	"table.numbers{width:auto;min-width:18rem}\n",
	".light{display:inline-block;padding:0 .45rem;border-radius:.7rem;font-size:.8rem;",
	"font-weight:600;color:#fff;background:var(--muted);white-space:nowrap}\n",
	".light.green{background:var(--green)}.light.yellow{background:var(--yellow)}",
	".light.red{background:var(--red)}.light.done{background:var(--done)}\n",
	".light.no-data{background:#fff;color:var(--muted);border:1px solid var(--line)}\n",
	"article.objective,section.kr{border:1px solid var(--line);border-radius:.5rem;",
	"padding:.8rem 1rem;margin:.8rem 0}\n",
	"article.objective:focus,section.kr:focus{outline:3px solid var(--accent)}\n",
	"figure.chart{margin:.5rem 0;overflow-x:auto}\n",
	"figure.chart svg{max-width:100%;height:auto}\n",
	".kr-body{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}\n",
	".kr-body figure{flex:1 1 420px}\n",
	".explorer{display:flex;gap:1.2rem}\n",
	"nav.metrics{flex:0 0 13rem;font-size:.85rem;max-height:80vh;overflow:auto}\n",
	"nav.metrics ul{list-style:none;margin:0;padding:0}\n",
	"nav.metrics a{display:block;padding:.15rem .4rem;border-radius:.3rem;text-decoration:none}\n",
	"nav.metrics a[aria-current]{background:var(--soft);font-weight:700;color:var(--fg)}\n",
	".explore{flex:1;min-width:0}\n",
	".picker{display:flex;flex-wrap:wrap;gap:.3rem;align-items:center;margin:.4rem 0}\n",
	".picker span{color:var(--muted);min-width:5rem}\n",
	".picker a{padding:.1rem .5rem;border:1px solid var(--line);border-radius:1rem;",
	"text-decoration:none}\n",
	".picker a[aria-current]{background:var(--accent);color:#fff;border-color:var(--accent)}\n",
	"form.write{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;padding:.6rem;",
	"background:var(--soft);border-radius:.4rem}\n",
	"input,select,button{font:inherit}\n",
	"button{padding:.2rem .8rem;border:1px solid var(--accent);background:var(--accent);",
	"color:#fff;border-radius:.3rem;cursor:pointer}\n",
	".sev{font-weight:700}.sev.error{color:var(--red)}.sev.warning{color:var(--yellow)}",
	".sev.info{color:var(--muted)}\n",
	".error{color:var(--red)}\n",
	"pre{background:var(--soft);padding:.3rem .5rem;overflow-x:auto;margin:.3rem 0}\n",
	".hint{color:var(--muted);margin:.2rem 0}\n",
	".tag{font-size:.8rem;background:var(--soft);border:1px solid var(--line);",
	"border-radius:.3rem;padding:0 .3rem}\n",
	"nav.toc ul{padding-left:1rem}\n",
	".tip{position:absolute;z-index:10;background:#1d2327;color:#fff;padding:.25rem .5rem;",
	"border-radius:.3rem;font-size:.8rem;pointer-events:none;max-width:24rem}\n",
	".keys{position:fixed;right:1rem;bottom:1rem;background:#fff;border:1px solid var(--line);",
	"border-radius:.5rem;padding:.6rem 1rem;box-shadow:0 2px 8px rgba(0,0,0,.15)}\n",
	"@media (max-width:720px){.explorer{flex-direction:column}nav.metrics{flex:none;max-height:10rem}}\n",
	NULL,
};

static const char *const js[] = {
	"// okra.js - niceties only: every page works without it.\n",
	"'use strict';\n",
	"(function () {\n",
	"  var KEY = 'okra-token';\n",
	"  // The token: remembered for this tab's session, filled into every form.\n",
	"  function tokens() {\n",
	"    var saved = null;\n",
	"    try { saved = window.sessionStorage.getItem(KEY); } catch (e) { saved = null; }\n",
	"    document.querySelectorAll('input.token').forEach(function (input) {\n",
	"      if (saved && !input.value) input.value = saved;\n",
	"    });\n",
	"    document.querySelectorAll('form.write').forEach(function (form) {\n",
	"      form.addEventListener('submit', function () {\n",
	"        var t = form.querySelector('input.token');\n",
	"        try { if (t && t.value) window.sessionStorage.setItem(KEY, t.value); } catch (e) { /* private mode */ }\n",
	"      });\n",
	"    });\n",
	"  }\n",
	"  // Tooltips: elements with a title get a styled tip on hover and focus.\n",
	"  function tooltips() {\n",
	"    var tip = document.createElement('div');\n",
	"    tip.className = 'tip';\n",
	"    tip.hidden = true;\n",
	"    tip.setAttribute('role', 'tooltip');\n",
	"    document.body.appendChild(tip);\n",
	"    document.querySelectorAll('[title].spark, [title].light').forEach(function (el) {\n",
	"      var text = el.getAttribute('title');\n",
	"      el.removeAttribute('title');\n",
	"      el.setAttribute('aria-label', text);\n",
	"      if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0');\n",
	"      function show() {\n",
	"        var r = el.getBoundingClientRect();\n",
	"        tip.textContent = text;\n",
	"        tip.hidden = false;\n",
	"        tip.style.left = (window.scrollX + r.left) + 'px';\n",
	"        tip.style.top = (window.scrollY + r.bottom + 4) + 'px';\n",
	"      }\n",
	"      function hide() { tip.hidden = true; }\n",
	"      el.addEventListener('mouseenter', show);\n",
	"      el.addEventListener('focus', show);\n",
	"      el.addEventListener('mouseleave', hide);\n",
	"      el.addEventListener('blur', hide);\n",
	"    });\n",
	"  }\n",
	"  // Keyboard: j / k move between objectives or key results, o opens the\n",
	"  // focused one, ? shows the keys.\n",
	"  function keys() {\n",
	"    var help = null;\n",
	"    document.addEventListener('keydown', function (ev) {\n",
	"      var t = ev.target;\n",
	"      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;\n",
	"      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;\n",
	"      var items = Array.prototype.slice.call(document.querySelectorAll('article.objective, section.kr'));\n",
	"      var at = items.indexOf(document.activeElement);\n",
	"      if (ev.key === 'j' || ev.key === 'k') {\n",
	"        if (!items.length) return;\n",
	"        var next = ev.key === 'j' ? Math.min(at + 1, items.length - 1) : Math.max(at - 1, 0);\n",
	"        items[next].focus();\n",
	"        items[next].scrollIntoView({block: 'start'});\n",
	"        ev.preventDefault();\n",
	"      } else if (ev.key === 'o' && at >= 0) {\n",
	"        var link = items[at].querySelector('a[href]');\n",
	"        if (link) link.click();\n",
	"      } else if (ev.key === '?') {\n",
	"        if (help) { help.remove(); help = null; return; }\n",
	"        help = document.createElement('div');\n",
	"        help.className = 'keys';\n",
	"        help.textContent = 'j / k: next / previous · o: open · ?: close this';\n",
	"        document.body.appendChild(help);\n",
	"      }\n",
	"    });\n",
	"  }\n",
	"  document.addEventListener('DOMContentLoaded', function () {\n",
	"    tokens();\n",
	"    tooltips();\n",
	"    keys();\n",
	"  });\n",
	"})();\n",
	NULL,
};

static const char *const icon[] = {
	"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">",
	"<circle cx=\"8\" cy=\"8\" r=\"7\" fill=\"#1a7f37\"/>",
	"<path d=\"M4 9l3 3 5-7\" stroke=\"#fff\" stroke-width=\"2\" fill=\"none\"/></svg>\n",
	NULL,
};

/* Each file is written as pieces (C17 compilers need not take string
 * literals past 4095 bytes) and joined once, on first use. */
static const struct piece_file {
	const char *path, *content_type;
	const char *const *pieces;
} files[] = {
	{"/static/okra.css", "text/css; charset=utf-8", css},
	{"/static/okra.js", "text/javascript; charset=utf-8", js},
	{"/favicon.svg", "image/svg+xml", icon},
	{"/favicon.ico", "image/svg+xml", icon},
};

static okra_asset assets[OKRA_ARRAY_LEN(files)];
static pthread_once_t joined = PTHREAD_ONCE_INIT;

static void join(void)
{
	for (size_t i = 0; i < OKRA_ARRAY_LEN(files); i++) {
		okra_buf b = {0};
		for (const char *const *p = files[i].pieces; *p; p++)
			okra__buf_puts(&b, *p);
		/* Kept for the life of the process; NULL (not found) when out
		 * of memory. */
		assets[i] = (okra_asset){files[i].path, files[i].content_type,
		                         b.failed ? NULL : b.data};
	}
}

const okra_asset *okra__asset_find(const char *path)
{
	pthread_once(&joined, join);
	for (size_t i = 0; i < OKRA_ARRAY_LEN(assets); i++)
		if (assets[i].data && strcmp(assets[i].path, path) == 0)
			return &assets[i];
	return NULL;
}
