// A visitor mid-conversation keeps the real Messenger across page loads, even in surge.
// The page sets this cookie from the Messenger's conversation events (edge/snippet/live-conversation.js).

export const LIVE_CONVERSATION_COOKIE = 'surge_live_conversation';

export function hasLiveConversation(request: Request): boolean {
  const header = request.headers.get('cookie');
  if (!header) return false;
  return header.split(';').some((pair) => {
    const [name, value] = pair.split('=', 2).map((s) => s.trim());
    return name === LIVE_CONVERSATION_COOKIE && value === '1';
  });
}
