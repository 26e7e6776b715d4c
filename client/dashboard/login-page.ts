// The login form: plain HTML that works without script (and so needs none under the CSP).
const MESSAGES = {
  none: '',
  wrong: 'That token was not accepted. Check DASHBOARD_TOKEN and try again.',
  required: 'Sign in with your operator token to see events.',
  throttled: 'Too many sign-in attempts from this address. Wait a few minutes and try again.',
} as const;

export type LoginMessage = keyof typeof MESSAGES;

export function loginPage(message: LoginMessage): string {
  const text = MESSAGES[message];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · surge-fallback</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/style.css">
</head>
<body class="login">
<main class="login-box">
<h1>surge-fallback ops</h1>
${text ? `<p class="notice" role="alert">${text}</p>` : ''}
<form method="post" action="/login">
<input type="text" name="username" value="operator" autocomplete="username" hidden>
<label for="token">Operator token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
`;
}
