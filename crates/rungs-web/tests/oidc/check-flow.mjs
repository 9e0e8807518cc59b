// End-to-end check of provider.mjs, acting as a relying party would.
//
//   cd crates/rungs-web/tests/oidc && npm ci && node check-flow.mjs
//
// Starts provider.mjs, runs the authorization-code + PKCE (S256) flow with a
// cookie jar and without following redirects (the way a reqwest client with
// a cookie store and redirect::Policy::none() does), and checks the failure
// cases. Prints each step and exits non-zero on the first failed check.

import * as crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const CLIENT_ID = 'rungs-test';
const CLIENT_SECRET = 'rungs-test-secret';
const REDIRECT_URI = 'http://127.0.0.1:9/auth/oidc/callback'; // never contacted
const USERS = [
  { login: 'ada', password: 'secret', email: 'ada@example.com', email_verified: true },
  { login: 'bob', password: 'hunter2', email: 'bob@example.com', email_verified: false },
];

// ------------------------------------------------------------ the provider --

const child = spawn(process.execPath, [fileURLToPath(new URL('provider.mjs', import.meta.url))], {
  env: {
    ...process.env,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_REDIRECT_URI: REDIRECT_URI,
    OIDC_USERS: JSON.stringify(USERS),
  },
  stdio: ['pipe', 'pipe', 'inherit'],
});
const firstLine = await new Promise((resolve, reject) => {
  const lines = createInterface({ input: child.stdout });
  lines.once('line', resolve);
  child.once('exit', (code) => reject(new Error(`provider exited early (${code})`)));
});
const match = /^listening (http:\/\/127\.0\.0\.1:\d+)$/.exec(firstLine);
assert.ok(match, `unexpected first line: ${firstLine}`);
const ISSUER = match[1];
console.log(`provider: ${firstLine}`);

// ---------------------------------------------------------------- helpers --

let failed = false;
async function step(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (err) {
    failed = true;
    console.log(`FAIL ${name}\n     ${err.stack.split('\n').join('\n     ')}`);
  }
}

// A minimal cookie jar honouring Path, like reqwest's cookie store.
class CookieJar {
  #cookies = new Map(); // `${path}\0${name}` -> { name, value, path }

  store(url, response) {
    const names = [];
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attrs] = header.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = new URL(url).pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = value === '';
      for (const attr of attrs) {
        const [k, v = ''] = attr.split('=');
        if (k.toLowerCase() === 'path') path = v;
        if (k.toLowerCase() === 'expires' && Date.parse(v) < Date.now()) expired = true;
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
      }
      const key = `${path}\0${name}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path });
      names.push(`${name}${expired ? ' (deleted)' : ''} path=${path}`);
    }
    return names;
  }

  header(url) {
    const { pathname } = new URL(url);
    return [...this.#cookies.values()]
      .filter(({ path }) => pathname === path || pathname.startsWith(path.endsWith('/') ? path : `${path}/`))
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
  }
}

// One request, redirects not followed, cookies stored and sent.
async function request(jar, method, url, { form, headers = {} } = {}) {
  url = new URL(url, ISSUER).href;
  const cookie = jar?.header(url);
  const response = await fetch(url, {
    method,
    redirect: 'manual',
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...headers,
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  const setCookies = jar ? jar.store(url, response) : [];
  const location = response.headers.get('location');
  const text = await response.text();
  console.log(`     ${method} ${url.replace(ISSUER, '')} -> ${response.status}`
    + `${location ? ` Location: ${location.replace(ISSUER, '')}` : ''}`
    + `${setCookies.length ? `\n       Set-Cookie: ${setCookies.join(', ')}` : ''}`);
  return { status: response.status, location, text, headers: response.headers };
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

function newAuthRequest(discovery, overrides = {}) {
  const verifier = b64url(crypto.randomBytes(32));
  const state = b64url(crypto.randomBytes(16));
  const nonce = b64url(crypto.randomBytes(16));
  const url = new URL(discovery.authorization_endpoint);
  const params = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: b64url(crypto.createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    ...overrides,
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return { url: url.href, verifier, state, nonce };
}

// Follows the authorization request up to the callback, logging in with the
// form when the provider asks. Returns the callback URL.
async function authorize(jar, authUrl, login, password) {
  let res = await request(jar, 'GET', authUrl);
  for (let hops = 0; hops < 10; hops += 1) {
    assert.equal(res.status, 303, `expected a redirect, got ${res.status}: ${res.text.slice(0, 200)}`);
    const next = new URL(res.location, ISSUER);
    if (next.href.startsWith(REDIRECT_URI)) return next;
    res = await request(jar, 'GET', next.href);
    if (res.status === 200 && /name="password"/.test(res.text)) {
      const action = /<form method="post" action="([^"]+)"/.exec(res.text)[1];
      res = await request(jar, 'POST', action, { form: { login, password } });
    }
  }
  throw new Error('too many redirects');
}

function tokenRequest(params, auth = 'basic') {
  const headers = {};
  const form = { grant_type: 'authorization_code', redirect_uri: REDIRECT_URI, ...params };
  if (auth === 'basic') {
    const enc = encodeURIComponent; // RFC 6749 2.3.1: form-urlencode, then base64
    headers.authorization = `Basic ${Buffer.from(`${enc(CLIENT_ID)}:${enc(CLIENT_SECRET)}`).toString('base64')}`;
  } else {
    Object.assign(form, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
  }
  return request(null, 'POST', '/token', { form, headers });
}

async function verifyIdToken(idToken, discovery) {
  const [h, p, s] = idToken.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const payload = JSON.parse(Buffer.from(p, 'base64url'));
  const jwks = JSON.parse((await request(null, 'GET', discovery.jwks_uri)).text);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, 'signing key not in jwks');
  const valid = crypto.verify('RSA-SHA256', Buffer.from(`${h}.${p}`), crypto.createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url'));
  assert.ok(valid, 'id_token signature does not verify');
  return { header, payload };
}

// ------------------------------------------------------------------ checks --

let discovery;
await step('discovery over plain http', async () => {
  const res = await request(null, 'GET', '/.well-known/openid-configuration');
  assert.equal(res.status, 200);
  discovery = JSON.parse(res.text);
  assert.equal(discovery.issuer, ISSUER);
  assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['RS256']);
  console.log(`     issuer=${discovery.issuer} token_endpoint_auth_methods_supported=${discovery.token_endpoint_auth_methods_supported}`);
});

const jar = new CookieJar();
const ada = newAuthRequest(discovery);
let adaCode;
let loginAction;

await step('authorization request -> login form, wrong password re-shows the form', async () => {
  const res = await request(jar, 'GET', ada.url);
  assert.equal(res.status, 303);
  assert.match(res.location, /^\/interaction\/[\w-]+$/);
  const form = await request(jar, 'GET', res.location);
  assert.equal(form.status, 200);
  assert.match(form.text, /name="login"/);
  const action = /<form method="post" action="([^"]+)"/.exec(form.text)[1];
  assert.equal(action, `${res.location}/login`);
  loginAction = action;
  const wrong = await request(jar, 'POST', action, { form: { login: 'ada', password: 'wrong' } });
  assert.equal(wrong.status, 401);
  assert.match(wrong.text, /Invalid login or password/);
  const unknown = await request(jar, 'POST', action, { form: { login: 'nobody', password: 'secret' } });
  assert.equal(unknown.status, 401);
});

await step('right password -> /auth/:uid -> redirect_uri with code and state', async () => {
  const login = await request(jar, 'POST', loginAction, { form: { login: 'ada', password: 'secret' } });
  assert.equal(login.status, 303);
  assert.match(login.location, /^http:\/\/127\.0\.0\.1:\d+\/auth\/[\w-]+$/);
  const resume = await request(jar, 'GET', login.location);
  assert.equal(resume.status, 303);
  assert.ok(resume.location.startsWith(`${REDIRECT_URI}?`), resume.location);
  const callback = new URL(resume.location);
  assert.equal(callback.searchParams.get('state'), ada.state);
  assert.equal(callback.searchParams.get('iss'), ISSUER);
  adaCode = callback.searchParams.get('code');
  assert.ok(adaCode);
  console.log(`     callback query: ${[...callback.searchParams.keys()].join(', ')}`);
});

await step('token endpoint without code_verifier fails (invalid_grant)', async () => {
  const res = await tokenRequest({ code: adaCode });
  assert.equal(res.status, 400);
  assert.equal(JSON.parse(res.text).error, 'invalid_grant');
  console.log(`     ${res.text.trim()}`);
});

await step('token endpoint with a wrong code_verifier fails (invalid_grant)', async () => {
  const res = await tokenRequest({ code: adaCode, code_verifier: b64url(crypto.randomBytes(32)) });
  assert.equal(res.status, 400);
  assert.equal(JSON.parse(res.text).error, 'invalid_grant');
});

await step('token endpoint with a wrong client secret fails (invalid_client)', async () => {
  const res = await request(null, 'POST', '/token', {
    form: {
      grant_type: 'authorization_code', code: adaCode, code_verifier: ada.verifier, redirect_uri: REDIRECT_URI,
    },
    headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:nope`).toString('base64')}` },
  });
  assert.equal(res.status, 401);
  assert.equal(JSON.parse(res.text).error, 'invalid_client');
});

await step('code + code_verifier with client_secret_basic -> id_token with email, email_verified, nonce', async () => {
  const res = await tokenRequest({ code: adaCode, code_verifier: ada.verifier }, 'basic');
  assert.equal(res.status, 200, res.text);
  const body = JSON.parse(res.text);
  console.log(`     token response keys: ${Object.keys(body).join(', ')} (token_type=${body.token_type}, scope=${body.scope})`);
  const { header, payload } = await verifyIdToken(body.id_token, discovery);
  console.log(`     id_token header: ${JSON.stringify(header)}`);
  console.log(`     id_token claims: ${JSON.stringify(payload)}`);
  assert.equal(header.alg, 'RS256');
  assert.equal(payload.iss, ISSUER);
  assert.equal(payload.aud, CLIENT_ID);
  assert.equal(payload.sub, 'ada');
  assert.equal(payload.email, 'ada@example.com');
  assert.equal(payload.email_verified, true);
  assert.equal(payload.nonce, ada.nonce);
  const me = await request(null, 'GET', discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${body.access_token}` } });
  assert.equal(me.status, 200);
  console.log(`     userinfo: ${me.text.trim()}`);
});

await step('the code cannot be used twice', async () => {
  const res = await tokenRequest({ code: adaCode, code_verifier: ada.verifier });
  assert.equal(res.status, 400);
  assert.equal(JSON.parse(res.text).error, 'invalid_grant');
});

await step('authorization request without code_challenge is rejected', async () => {
  const req = newAuthRequest(discovery, { code_challenge: undefined, code_challenge_method: undefined });
  const res = await request(new CookieJar(), 'GET', req.url);
  assert.equal(res.status, 303);
  const back = new URL(res.location);
  assert.ok(back.href.startsWith(REDIRECT_URI));
  assert.equal(back.searchParams.get('error'), 'invalid_request');
  console.log(`     error_description: ${back.searchParams.get('error_description')}`);
});

await step('second user, fresh cookie jar, client_secret_post; email_verified=false carried', async () => {
  const bobJar = new CookieJar();
  const bob = newAuthRequest(discovery);
  const callback = await authorize(bobJar, bob.url, 'bob', 'hunter2');
  assert.equal(callback.searchParams.get('state'), bob.state);
  const res = await tokenRequest({ code: callback.searchParams.get('code'), code_verifier: bob.verifier }, 'post');
  assert.equal(res.status, 200, res.text);
  const { payload } = await verifyIdToken(JSON.parse(res.text).id_token, discovery);
  assert.equal(payload.sub, 'bob');
  assert.equal(payload.email, 'bob@example.com');
  assert.equal(payload.email_verified, false);
  assert.equal(payload.nonce, bob.nonce);
});

await step('existing provider session: no login form again (the replayed code revoked the grant, so consent is re-granted automatically)', async () => {
  const again = newAuthRequest(discovery);
  let res = await request(jar, 'GET', again.url);
  for (let hops = 0; !res.location?.startsWith(REDIRECT_URI); hops += 1) {
    assert.equal(res.status, 303, `expected a redirect, got ${res.status}`);
    assert.ok(hops < 5, 'too many redirects');
    res = await request(jar, 'GET', res.location);
  }
  const callback = new URL(res.location);
  assert.equal(callback.searchParams.get('state'), again.state);
  const token = await tokenRequest({ code: callback.searchParams.get('code'), code_verifier: again.verifier });
  assert.equal(token.status, 200, token.text);
});

await step('provider exits when its stdin closes', async () => {
  const exited = once(child, 'exit');
  child.stdin.end();
  const [code] = await Promise.race([exited, new Promise((_, rej) => setTimeout(() => rej(new Error('still running after 5s')), 5000))]);
  assert.equal(code, 0);
});

if (child.exitCode === null) child.kill('SIGTERM');
console.log(failed ? 'check-flow: FAILED' : 'check-flow: all checks passed');
process.exit(failed ? 1 : 0);
