// A local OpenID Connect provider for the rungs-web integration tests.
//
// Started by the tests themselves (`node provider.mjs`, stdin piped). It
// listens on 127.0.0.1 on a free port and prints exactly one line to stdout:
//
//   listening http://127.0.0.1:PORT
//
// That URL (no trailing slash) is the issuer. Everything else (warnings,
// errors) goes to stderr. See README.md for the environment variables and the
// exact HTTP flow a non-browser client has to follow.

import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { once } from 'node:events';

import Provider, { errors } from 'oidc-provider';

// ---------------------------------------------------------------- config --

function fail(message) {
  process.stderr.write(`provider.mjs: ${message}\n`);
  process.exit(2);
}

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) fail(`environment variable ${name} is required`);
  return value;
}

const clientId = requiredEnv('OIDC_CLIENT_ID');
const clientSecret = requiredEnv('OIDC_CLIENT_SECRET');
const redirectUris = requiredEnv('OIDC_REDIRECT_URI').split(/\s+/).filter(Boolean);

let users;
try {
  users = JSON.parse(requiredEnv('OIDC_USERS'));
} catch (err) {
  fail(`OIDC_USERS is not valid JSON: ${err.message}`);
}
if (!Array.isArray(users)) fail('OIDC_USERS must be a JSON array');
const usersByLogin = new Map();
for (const user of users) {
  if (!user || typeof user.login !== 'string' || !user.login || typeof user.password !== 'string') {
    fail('every OIDC_USERS entry needs a non-empty string "login" and a string "password"');
  }
  usersByLogin.set(user.login, user);
}

// The account id (the ID token's `sub`) is the login.
function accountClaims(user) {
  const claims = { sub: user.login, preferred_username: user.login };
  if (user.email !== undefined) claims.email = user.email;
  if (user.email_verified !== undefined) claims.email_verified = user.email_verified;
  if (user.name !== undefined) claims.name = user.name;
  return claims;
}

function checkPassword(login, password) {
  const user = usersByLogin.get(login);
  if (!user) return undefined;
  const a = Buffer.from(String(password ?? ''));
  const b = Buffer.from(user.password);
  return a.length === b.length && crypto.timingSafeEqual(a, b) ? user : undefined;
}

// A fresh RS256 signing key for every run.
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }),
  kid: crypto.randomUUID(),
  alg: 'RS256',
  use: 'sig',
};

// ---------------------------------------------------------------- server --

// Listen first: the issuer has to contain the port the OS picked.
let handler = (_req, res) => {
  res.statusCode = 503;
  res.end();
};
const server = http.createServer((req, res) => handler(req, res));
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // oidc-provider 9 accepts client_secret_post for a client registered
      // with client_secret_basic too (and vice versa).
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
  ],
  clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
  responseTypes: ['code'],
  scopes: ['openid', 'email', 'profile'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  // Put the scope-requested claims (email, email_verified, ...) into the ID
  // token even though an access token is issued as well.
  conformIdTokenClaims: false,
  pkce: { required: () => true }, // oidc-provider 9 only supports S256
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  features: {
    devInteractions: { enabled: false },
  },
  async findAccount(_ctx, sub) {
    const user = usersByLogin.get(sub);
    if (!user) return undefined;
    return {
      accountId: sub,
      async claims() {
        return accountClaims(user);
      },
    };
  },
  interactions: {
    url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
  },
});

for (const event of ['server_error', 'authorization.error', 'grant.error', 'userinfo.error']) {
  provider.on(event, (_ctx, err) => {
    const detail = err?.error_detail ?? err?.cause?.message;
    process.stderr.write(`provider.mjs: ${event}: ${err?.name}: ${err?.message}`
      + `${err?.error_description ? ` (${err.error_description})` : ''}`
      + `${detail ? `: ${detail}` : ''}\n`);
  });
}

if (process.env.OIDC_DEBUG) {
  provider.on('interaction.started', (_ctx, prompt) => {
    process.stderr.write(`provider.mjs: interaction started: prompt=${prompt.name}`
      + ` reasons=${prompt.reasons.join(',')}\n`);
  });
}

// ----------------------------------------------------------- interactions --

function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

function sendHtml(res, status, body) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

function loginPage(uid, { login = '', error } = {}) {
  return `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Test OIDC provider: sign in</title></head>
<body>
<h1>Sign in</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>\n` : ''}<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Login <input type="text" name="login" value="${escapeHtml(login)}" autofocus></label>
<label>Password <input type="password" name="password"></label>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// Grant everything the authorization request asked for, so that no consent
// page is ever needed.
async function grantRequested(details, accountId) {
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: details.params.client_id });
  const promptDetails = details.prompt?.details ?? {};
  const scope = promptDetails.missingOIDCScope?.join(' ') ?? details.params.scope;
  if (scope) grant.addOIDCScope(scope);
  if (promptDetails.missingOIDCClaims) grant.addOIDCClaims(promptDetails.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(promptDetails.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

async function handleInteraction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new errors.SessionNotFound('interaction uid mismatch');

  if (req.method === 'GET' && action === undefined) {
    if (details.prompt.name === 'login') {
      sendHtml(res, 200, loginPage(uid));
      return;
    }
    // Only reached with an existing session whose grant lacks something:
    // consent to it straight away.
    const grantId = await grantRequested(details, details.session?.accountId);
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }

  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const login = form.get('login') ?? '';
    const user = checkPassword(login, form.get('password'));
    if (!user) {
      sendHtml(res, 401, loginPage(uid, { login, error: 'Invalid login or password.' }));
      return;
    }
    const grantId = await grantRequested(details, user.login);
    await provider.interactionFinished(req, res, {
      login: { accountId: user.login },
      consent: { grantId },
    }, { mergeWithLastSubmission: false });
    return;
  }

  res.statusCode = 405;
  res.end();
}

const providerCallback = provider.callback();
const interactionPath = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login))?\/?$/;

handler = (req, res) => {
  const { pathname } = new URL(req.url, issuer);
  const match = interactionPath.exec(pathname);
  if (!match) {
    providerCallback(req, res);
    return;
  }
  handleInteraction(req, res, match[1], match[2]).catch((err) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status = err instanceof errors.OIDCProviderError ? err.statusCode : 500;
    if (status >= 500) process.stderr.write(`provider.mjs: interaction error: ${err.stack}\n`);
    res.statusCode = status;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`${err.error ?? 'server_error'}: ${err.error_description ?? err.message}\n`);
  });
};

// -------------------------------------------------------------- lifetime --

function shutdown() {
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// A test that drops the child closes our stdin: exit then too.
if (process.env.OIDC_IGNORE_STDIN !== '1') {
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
}

process.stdout.write(`listening ${issuer}\n`);
