/* surge-fallback: served in place of genesys.min.js while chat is at capacity.
   Keeps the Genesys(...) command queue working so page code never throws, never fires events
   (so nothing believes a conversation opened), rejects commands through their reject callback,
   and shows an accessible notice instead of the launcher. Config text is only ever set as text. */
(function (w, d, cfg) {
  'use strict';
  var name = w._genesysJs || 'Genesys';
  var prev = w[name];
  var queued = (prev && prev.q) || [];
  var opening = { 'Messenger.open': 1, 'Messenger.openConversation': 1, 'Launcher.show': 1, 'MessagingService.startConversation': 1 };
  var notice;

  function warn(e) { if (w.console) w.console.warn('[genesys-stub]', e); }

  function el(tag, text, css) {
    var e = d.createElement(tag);
    if (text) e.textContent = text;
    if (css) e.style.cssText = css;
    return e;
  }

  function safeHref(href) { return /^(https?:|mailto:|\/(?!\/))/i.test(href) ? href : null; }

  function addLink(list, label, href) {
    href = href && safeHref(href);
    if (!href) return;
    var a = el('a', label, 'color:#0645ad');
    a.href = href;
    var li = el('li', '', 'margin:2px 0');
    li.appendChild(a);
    list.appendChild(li);
  }

  function render() {
    if (notice || !d.body) return notice;
    notice = el('div', '', 'background:#fff;color:#1a1a1a;border:1px solid #767676;border-radius:8px;padding:12px 16px;font:14px/1.4 system-ui,sans-serif;max-width:320px;box-shadow:0 2px 8px rgba(0,0,0,.2)');
    notice.id = 'genesys-capacity-notice';
    notice.setAttribute('role', 'status');
    notice.tabIndex = -1;
    notice.appendChild(el('strong', cfg.title, 'display:block;margin-bottom:4px'));
    notice.appendChild(el('p', cfg.text, 'margin:0 0 6px'));
    var list = el('ul', '', 'margin:0;padding-left:18px');
    if (cfg.email) addLink(list, 'Email ' + cfg.email, 'mailto:' + cfg.email);
    addLink(list, 'Help centre', cfg.faqUrl);
    addLink(list, 'Service status', cfg.statusUrl);
    if (list.firstChild) notice.appendChild(list);
    var launcher = null;
    try { launcher = cfg.launcherSelector && d.querySelector(cfg.launcherSelector); } catch (e) { warn(e); }
    if (launcher && launcher.parentNode) {
      launcher.parentNode.replaceChild(notice, launcher);
    } else {
      notice.style.cssText += ';position:fixed;right:16px;bottom:16px;z-index:2147483000';
      var close = el('button', '\u00d7', 'position:absolute;top:2px;right:6px;border:0;background:none;font-size:18px;cursor:pointer');
      close.type = 'button';
      close.setAttribute('aria-label', 'Dismiss');
      close.onclick = function () { notice.style.display = 'none'; };
      notice.appendChild(close);
      d.body.appendChild(notice);
    }
    return notice;
  }

  function show() {
    var n = render();
    if (n) { n.style.display = ''; n.focus(); }
  }

  function handle(args) {
    /* subscribe, registerPlugin...: accepted, never fired */
    if (args[0] !== 'command') return;
    var command = String(args[1]);
    if (opening[command]) show();
    var callbacks = [];
    for (var i = 2; i < args.length; i++) if (typeof args[i] === 'function') callbacks.push(args[i]);
    var reject = callbacks[1];
    if (reject) {
      setTimeout(function () {
        try { reject(new Error('Chat is at capacity: "' + command + '" was not run')); } catch (e) { warn(e); }
      }, 0);
    }
  }

  function stub() {
    try { handle(arguments); } catch (e) { warn(e); }
  }
  stub.q = [];
  stub.t = prev && prev.t;
  stub.c = prev && prev.c;
  stub.atCapacity = true;
  w[name] = stub;
  for (var i = 0; i < queued.length; i++) stub.apply(null, queued[i]);

  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', render);
  else render();
})(window, document, /*STUB_CONFIG*/ {});
