/*! Moderato embed.js: shows a post's approved comments, sends its form as JSON. Optional. */
(() => {
  'use strict';

  const script = document.currentScript || document.querySelector('script[data-moderato-post]');
  if (!script || !script.src || !window.fetch) return;

  const src = new URL(script.src, location.href);
  const base = src.origin + src.pathname.replace(/\/[^/]*$/, '');
  const post = script.getAttribute('data-moderato-post') || location.pathname;
  const STORE = 'moderato:commenter';
  const FIELDS = { body: 'comment', author: 'author', email: 'email', url: 'url' };

  // The server writes its catalogues' embed.* and format.* texts here, for every language it has.
  const I = /*MODERATO_I18N*/{ language: 'en', timeZone: 'UTC', languages: { en: {} } };
  // The page's language (or data-moderato-lang) picks the strings and goes to the server as
  // Accept-Language, so its messages match the page, not the browser.
  const lang = script.getAttribute('data-moderato-lang') || document.documentElement.lang || '';
  const codes = Object.keys(I.languages);
  const pick = tag => codes.find(k => k.toLowerCase() === tag.toLowerCase());
  const T = I.languages[pick(lang) || pick(lang.split('-')[0]) || I.language] || {};
  const t = k => T[k] || k;
  const fill = (text, v) => text.replace(/\{(\w+)\}/g, (m, k) => (k in v ? v[k] : m));

  // Dates as the server writes them: the catalogue's format.date_time, in site.timezone.
  const when = iso => {
    const d = new Date(iso), p = {};
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: I.timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric',
        day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(d).forEach(x => { p[x.type] = x.value; });
    } catch (e) { return iso || ''; }
    p.hour = ('0' + p.hour).slice(-2);
    p.minute = ('0' + p.minute).slice(-2);
    p.month_name = t('format.months').split('|')[p.month - 1];
    return fill(t('format.date_time'), p);
  };

  // Text always goes in with textContent, never as HTML.
  const el = (tag, className, attrs) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const k in attrs) node.setAttribute(k, attrs[k]);
    return node;
  };

  // ---- Listing ----

  const list = document.getElementById('moderato-comments');

  const item = c => {
    const a = c.author || {};
    const name = String(a.name || '');
    const n = parseInt(String(a.avatar).slice(0, 2), 16) % 8 || 0;
    const avatar = el('span', 'moderato-avatar moderato-avatar-' + n, { 'aria-hidden': 'true' });
    avatar.textContent = Array.from(name.trim())[0] || '?';
    const who = a.url
      ? el('a', 'moderato-author', { href: a.url, rel: 'nofollow ugc noopener' })
      : el('span', 'moderato-author');
    who.textContent = name;
    const time = el('time', '', { datetime: c.created_at || '' });
    time.textContent = when(c.created_at);
    const header = el('header');
    header.append(avatar, ' ', who, ' ', time);
    const body = el('div', 'moderato-body');
    body.innerHTML = c.body_html || ''; // safe by construction: the server escapes every character
    const article = el('article');
    article.append(header, body);
    const li = el('li', 'moderato-comment', { id: 'comment-' + c.id });
    li.append(article);
    return li;
  };

  const render = async fresh => {
    if (!list) return;
    list.setAttribute('aria-busy', 'true');
    try {
      let comments = [], total = 0, after = null, pages = 0;
      do {
        const r = await fetch(`${base}/comments?post=${encodeURIComponent(post)}&limit=200` +
          (after ? '&after=' + encodeURIComponent(after) : ''),
          { headers: { Accept: 'application/json' }, cache: fresh ? 'no-cache' : 'default' });
        if (!r.ok) throw new Error(r.status);
        const page = await r.json();
        comments = comments.concat(page.comments || []);
        total = page.total || 0;
        after = page.next;
      } while (after && ++pages < 1000);

      const items = {}, root = document.createDocumentFragment();
      comments.forEach(c => { items[c.id] = item(c); });
      comments.forEach(c => {
        const parent = c.parent !== c.id && items[c.parent];
        if (!parent) return root.append(items[c.id]); // top level, or its parent is not shown
        let kids = parent.lastElementChild;
        if (kids.tagName !== 'OL') kids = parent.appendChild(el('ol', 'moderato-children'));
        kids.append(items[c.id]);
      });
      list.textContent = '';
      list.append(root);
      const count = document.getElementById('moderato-count');
      if (count) count.textContent = total;
      list.setAttribute('data-moderato-state', 'loaded');
    } catch (e) {
      list.setAttribute('data-moderato-state', 'error'); // keep what the page already shows
    } finally {
      list.removeAttribute('aria-busy');
    }
  };

  render();

  // ---- Form ----

  const form = document.querySelector('form[data-moderato-form]') || document.getElementById('commentform');
  if (!form || form.tagName !== 'FORM') return;

  const field = name => {
    const node = name && form.elements.namedItem(name);
    return node && node.tagName ? node : null;
  };
  const value = name => String((field(name) || {}).value || '');

  let notice = document.getElementById('moderato-notice');
  if (!notice) {
    notice = el('div', 'moderato-notice', { id: 'moderato-notice', role: 'status', 'aria-live': 'polite' });
    form.before(notice);
  }
  const say = (message, isError) => {
    notice.classList.toggle('moderato-notice-error', !!isError);
    notice.textContent = message;
  };

  // "Save my name" (WordPress's box): with consent only, in localStorage only.
  const consent = field('wp-comment-cookies-consent');
  try {
    const saved = consent && JSON.parse(localStorage.getItem(STORE));
    if (saved) {
      ['author', 'email', 'url'].forEach(k => {
        const input = field(k);
        if (input && !input.value && typeof saved[k] === 'string') input.value = saved[k];
      });
      consent.checked = true;
    }
  } catch (e) { /* no storage, or garbage in it */ }

  // Unticked: forgotten at once. Ticked: saved once the server has accepted the comment.
  const remember = save => {
    try {
      if (consent && !consent.checked) localStorage.removeItem(STORE);
      else if (consent && save) localStorage.setItem(STORE, JSON.stringify({ author: value('author'), email: value('email'), url: value('url') }));
    } catch (e) { /* storage unavailable */ }
  };

  // <p class="moderato-error" id="FIELD-error"> after the input; aria-invalid, aria-describedby.
  const mark = (key, message) => {
    const input = field(FIELDS[key]);
    const id = key + '-error';
    const old = document.getElementById(id);
    if (old && old.hasAttribute('data-moderato-error')) old.remove();
    if (!input) return null;
    const ids = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(t => t && t !== id);
    if (message) {
      const p = el('p', 'moderato-error', { id, 'data-moderato-error': '' });
      p.textContent = message;
      input.after(p);
      ids.push(id);
      input.setAttribute('aria-invalid', 'true');
    } else {
      input.removeAttribute('aria-invalid');
    }
    if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
    else input.removeAttribute('aria-describedby');
    return input;
  };
  const clearErrors = () => Object.keys(FIELDS).forEach(key => mark(key));

  const showErrors = errors => {
    clearErrors();
    const byField = {};
    let first = null;
    errors.forEach(e => { if (FIELDS[e.field]) (byField[e.field] = byField[e.field] || []).push(e.message); });
    Object.keys(byField).forEach(key => {
      const input = mark(key, byField[key].join(' '));
      if (input && (!first || input.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING)) first = input;
    });
    say(t('problems') + errors.map(e => e.message).join(t('format.sentence_separator')), true);
    if (first) first.focus();
  };

  let busy = false;
  form.noValidate = true; // the server's messages, inline, instead of the browser's bubbles
  form.setAttribute('data-moderato-ready', '');

  form.addEventListener('submit', async event => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const buttons = form.querySelectorAll('[type=submit], button:not([type])');
    buttons.forEach(b => { b.disabled = true; });
    remember(false);
    try {
      let r, answer = null;
      try {
        r = await fetch(base + '/comments', {
          method: 'POST',
          headers: Object.assign({ 'Content-Type': 'application/json', Accept: 'application/json' },
            lang && { 'Accept-Language': lang }),
          body: JSON.stringify({
            body: value('comment'),
            author: value('author'),
            email: value('email'),
            url: value('url') || null,
            post: value('comment_post_ID') || value('post') || post,
            parent: Number(value('comment_parent') || 0) || null,
            moderato_hp: value('moderato_hp')
          })
        });
      } catch (e) {
        return say(t('network'), true);
      }
      try { answer = await r.json(); } catch (e) { /* not JSON */ }

      if (r.ok) {
        clearErrors();
        remember(true);
        const textarea = field('comment');
        if (textarea) textarea.value = '';
        if (answer && answer.status === 'approved') {
          say(t('published'));
          await render(true);
          const mine = document.getElementById('comment-' + answer.id);
          if (mine) mine.scrollIntoView({ block: 'center' });
        } else {
          say(form.getAttribute('data-pending-message') || t('pending'));
        }
      } else if (r.status === 422 && answer && Array.isArray(answer.errors) && answer.errors.length) {
        showErrors(answer.errors);
      } else {
        say((answer && (answer.detail || answer.title)) || t('failed'), true);
      }
    } finally {
      busy = false;
      buttons.forEach(b => { b.disabled = false; });
    }
  });
})();
