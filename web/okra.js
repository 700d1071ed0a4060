// okra.js - niceties only: every page works without it.
'use strict';
(function () {
  var KEY = 'okra-token';
  // The token: remembered for this tab's session, filled into every form.
  function tokens() {
    var saved = null;
    try { saved = window.sessionStorage.getItem(KEY); } catch (e) { saved = null; }
    document.querySelectorAll('input.token').forEach(function (input) {
      if (saved && !input.value) input.value = saved;
    });
    document.querySelectorAll('form.write').forEach(function (form) {
      form.addEventListener('submit', function () {
        var t = form.querySelector('input.token');
        try { if (t && t.value) window.sessionStorage.setItem(KEY, t.value); } catch (e) { /* private mode */ }
      });
    });
  }
  // The author of check-ins: remembered in this browser, filled into
  // every check-in form.
  function authors() {
    var A = 'okra-author', saved = null;
    try { saved = window.localStorage.getItem(A); } catch (e) { saved = null; }
    document.querySelectorAll('input.author').forEach(function (input) {
      if (saved && !input.value) input.value = saved;
      input.form.addEventListener('submit', function () {
        try { if (input.value) window.localStorage.setItem(A, input.value); } catch (e) { /* private mode */ }
      });
    });
  }
  // The explorer's list: filtered while typing, from the same text the
  // server searches (data-find); groups left empty hide.
  function finder() {
    var nav = document.querySelector('nav.metrics');
    var input = nav && nav.querySelector('form.find input[name=q]');
    if (!input) return;
    var none = nav.querySelector('p.none');
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase(), any = false;
      nav.querySelectorAll('.nav-group').forEach(function (g) {
        var shown = 0;
        g.querySelectorAll('li').forEach(function (li) {
          var hit = !q || (li.getAttribute('data-find') || '').toLowerCase().indexOf(q) >= 0;
          li.hidden = !hit;
          if (hit) shown++;
        });
        g.hidden = !shown;
        if (shown) any = true;
      });
      if (none) none.hidden = any || !nav.querySelector('.nav-group');
    });
  }
  // Tooltips: elements with a title get a styled tip on hover and focus.
  function tooltips() {
    var tip = document.createElement('div');
    tip.className = 'tip';
    tip.hidden = true;
    tip.setAttribute('role', 'tooltip');
    document.body.appendChild(tip);
    document.querySelectorAll('[title].spark, [title].light').forEach(function (el) {
      var text = el.getAttribute('title');
      el.removeAttribute('title');
      el.setAttribute('aria-label', text);
      if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0');
      function show() {
        var r = el.getBoundingClientRect();
        tip.textContent = text;
        tip.hidden = false;
        tip.style.left = (window.scrollX + r.left) + 'px';
        tip.style.top = (window.scrollY + r.bottom + 4) + 'px';
      }
      function hide() { tip.hidden = true; }
      el.addEventListener('mouseenter', show);
      el.addEventListener('focus', show);
      el.addEventListener('mouseleave', hide);
      el.addEventListener('blur', hide);
    });
  }
  // Keyboard: j / k move between objectives or key results, o opens the
  // focused one, ? shows the keys.
  function keys() {
    var help = null;
    document.addEventListener('keydown', function (ev) {
      var t = ev.target;
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
      var items = Array.prototype.slice.call(document.querySelectorAll('article.objective, article.kr'));
      var at = items.indexOf(document.activeElement);
      if (ev.key === 'j' || ev.key === 'k') {
        if (!items.length) return;
        var next = ev.key === 'j' ? Math.min(at + 1, items.length - 1) : Math.max(at - 1, 0);
        items[next].focus();
        items[next].scrollIntoView({block: 'start'});
        ev.preventDefault();
      } else if (ev.key === 'o' && at >= 0) {
        var link = items[at].querySelector('a[href]');
        if (link) link.click();
      } else if (ev.key === '?') {
        if (help) { help.remove(); help = null; return; }
        help = document.createElement('div');
        help.className = 'keys';
        help.textContent = 'j / k: next / previous · o: open · ?: close this';
        document.body.appendChild(help);
      }
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    tokens();
    authors();
    finder();
    tooltips();
    keys();
  });
})();
