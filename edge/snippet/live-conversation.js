/* surge-fallback: keep a visitor's live Messenger conversation across page loads while chat is at capacity.
   Add this right after the Genesys Messenger snippet. It remembers, in a first-party cookie, that the
   visitor has a conversation going; the edge Worker then serves the real Messenger to that visitor even
   when new visitors get the "at capacity" notice. The stub never fires these events, so the cookie is
   only ever set by the real Messenger. */
(function (w, d) {
  'use strict';
  var COOKIE = 'surge_live_conversation';
  var MAX_AGE = 4 * 60 * 60; // refreshed on every page load that restores the conversation
  var name = w._genesysJs || 'Genesys';
  if (typeof w[name] !== 'function') return;
  // Always call the current window.Genesys: the Messenger (or the stub) replaces the queue function.
  function genesys() { return w[name].apply(w, arguments); }

  function remember(on) {
    d.cookie = COOKIE + '=' + (on ? '1; Max-Age=' + MAX_AGE : '; Max-Age=0') + '; Path=/; SameSite=Lax' +
      (w.location.protocol === 'https:' ? '; Secure' : '');
  }

  // A conversation begins, or an existing one is restored on this page load.
  genesys('subscribe', 'MessagingService.conversationStarted', function () { remember(true); });
  genesys('subscribe', 'MessagingService.restored', function () { remember(true); });
  // The conversation is over (ended by the agent, cleared by the visitor, or the session is gone).
  var ended = ['conversationDisconnected', 'readOnlyConversation', 'conversationCleared', 'conversationReset',
    'sessionCleared', 'sessionExpired'];
  for (var i = 0; i < ended.length; i++) {
    genesys('subscribe', 'MessagingService.' + ended[i], function () { remember(false); });
  }
})(window, document);
