// Small DOM helpers. Everything the gateway sends is shown with textContent, never parsed as HTML.

/** h('div', {class: 'x', onclick: f, dataset: {id: 1}}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * Keyed list rendering: items are {key, sig, build}. An element is rebuilt only when its signature changed,
 * kept (with its focus and selection) otherwise, moved into order, and removed when its key is gone.
 */
export function renderKeyed(container, items, cache) {
  const seen = new Set();
  let prev = null;
  for (const it of items) {
    if (seen.has(it.key)) continue; // one element per key, whatever the caller passes
    seen.add(it.key);
    let entry = cache.get(it.key);
    if (!entry || entry.sig !== it.sig) {
      const el = it.build();
      el.dataset.key = it.key;
      if (entry) entry.el.replaceWith(el);
      entry = { el, sig: it.sig };
      cache.set(it.key, entry);
    }
    const want = prev ? prev.nextSibling : container.firstChild;
    if (want !== entry.el) container.insertBefore(entry.el, want);
    prev = entry.el;
  }
  for (const [k, e] of cache) {
    if (!seen.has(k)) {
      e.el.remove();
      cache.delete(k);
    }
  }
}

export function uuid() {
  // crypto.randomUUID needs a secure context; a LAN address over plain HTTP is not one.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map(v => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Pretty JSON, cut to max characters. */
export function pretty(value, max = 4000) {
  let s;
  try {
    s = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  } catch {
    s = String(value);
  }
  if (s === undefined) s = '';
  return s.length > max ? `${s.slice(0, max)}… [${s.length - max} more characters]` : s;
}

export function time(ms) {
  if (!ms) return '';
  const d = new Date(ms);
  return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString() : d.toLocaleString();
}

export function ago(ms) {
  if (!ms) return 'never';
  const s = Math.round((Date.now() - ms) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}`.trim(), text });
}

/** A modal question (a <dialog>, not window.confirm, so tests and keyboards treat it like the rest of the page). */
export function confirmDialog(message, { ok = 'OK', danger = false, input = null } = {}) {
  return new Promise(resolve => {
    const field = input ? h('input', { type: 'text', class: 'dialog-input', placeholder: input.placeholder || '',
      value: input.value || '', 'aria-label': input.label || message }) : null;
    const done = value => {
      dlg.close();
      dlg.remove();
      resolve(value);
    };
    const okBtn = h('button', { class: danger ? 'danger' : 'primary', 'data-role': 'confirm',
      onclick: () => done(field ? field.value.trim() || null : true) }, ok);
    const dlg = h('dialog', { class: 'dialog' },
      h('p', { text: message }),
      field,
      h('div', { class: 'row end' },
        h('button', { 'data-role': 'cancel', onclick: () => done(field ? null : false) }, 'Cancel'),
        okBtn));
    dlg.addEventListener('cancel', e => {
      e.preventDefault();
      done(field ? null : false);
    });
    if (field) field.addEventListener('keydown', e => {
      if (e.key === 'Enter') okBtn.click();
    });
    document.body.append(dlg);
    dlg.showModal();
    (field || okBtn).focus();
  });
}

export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const t = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  box.append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 8000 : 4000);
}

/** The text of a transcript message's content (string, or parts of type "text"). */
export function messageText(message) {
  const c = message && message.content;
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return '';
  return c.filter(p => p && p.type === 'text').map(p => p.text || '').join('');
}

/** An error line for a failed request: the gateway's message and its detail code. */
export function errorText(err) {
  if (!err) return '';
  const code = err.detailCode || err.code;
  return code ? `${err.message} (${code})` : err.message || String(err);
}
