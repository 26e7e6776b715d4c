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

  // Event names and data are Genesys Messenger's own (MessagingService plugin events:
  // https://developer.genesys.cloud/commdigital/digital/webmessaging/messengersdk/SDKCommandsEvents/messagingServicePlugin).
  // `started` is published when the messaging session starts with the server (`newSession: true` for a brand-new
  // one); `restored` on a page load that resumes a stored session. Either means the visitor is talking to us.
  // Any `started` counts, not only newSession: keeping the real Messenger for someone who only opened it is the
  // safe side of the mistake.
  genesys('subscribe', 'MessagingService.started', function () { remember(true); });
  genesys('subscribe', 'MessagingService.restored', function () { remember(true); });
  // The conversation is over: cleared by the visitor, made read-only after the agent ended it, or the session is
  // gone. `conversationDisconnected` alone is not an end (the visitor may keep writing in the same conversation),
  // and `conversationReset` starts a new one (a `started` follows).
  var ended = ['conversationCleared', 'readOnlyConversation', 'sessionCleared', 'sessionExpired'];
  for (var i = 0; i < ended.length; i++) {
    genesys('subscribe', 'MessagingService.' + ended[i], function () { remember(false); });
  }
})(window, document);
