// A real OpenID Provider for Selfdesk's tests: `oidc-provider` (the certified Node
// implementation) with one confidential client, PKCE required, and a few people whose
// ID tokens carry email, email_verified, name and groups.
//
//   node provider.mjs [port]
//
// Listens on 127.0.0.1 only (port 0 or none: a free one) and prints one line,
// `ready <port>`, once it answers. It stops when its standard input closes, so a test
// process that dies leaves no provider behind. Lines written to its standard input
// change people while it runs (the tests move someone between groups):
//
//   groups <email> <group,group,...>     (`-` for no group)
//
// A browser test cannot write to the provider's input (xtask owns it), so with
// OIDC_TEST_CONTROL=1 the same change is also taken over HTTP, from loopback only:
//
//   POST /test-control/groups?email=<email>&groups=<group,group,...|->
//
// Settings (environment):
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET   the one client (Selfdesk)
//   OIDC_REDIRECT_URI                    its callback, exactly
//   OIDC_SIGNING_KEY                     a PEM RSA key file; default provider-signing-key.pem
//                                        beside this file (the tests sign tokens of their
//                                        own with it to check expiry and nonce handling)
//
// Sign-in is the provider's own interaction: a login page (email and password; every
// test person's password is `test-password`) and a consent page, both plain HTML forms,
// so a test can follow them with an HTTP client as a browser would.

import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import Provider from 'oidc-provider';

const here = dirname(fileURLToPath(import.meta.url));
const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) {
    console.error(`provider.mjs: ${name} is not set`);
    process.exit(2);
  }
  return value;
};

export const PASSWORD = 'test-password';

// The test people. `sub` is stable per person, as a real provider's would be.
const people = new Map([
  ['ada@example.org', { sub: 'u-ada', name: 'Ada Lovelace', email_verified: true, groups: [] }],
  ['grace@example.org', { sub: 'u-grace', name: 'Grace Hopper', email_verified: true, groups: ['helpdesk-tier2', 'staff'] }],
  ['linus@example.org', { sub: 'u-linus', name: 'Linus Torvalds', email_verified: true, groups: ['engineering'] }],
  ['eve@example.org', { sub: 'u-eve', name: 'Eve Unverified', email_verified: false, groups: [] }],
]);
const bySub = (sub) => [...people.entries()].find(([, p]) => p.sub === sub);

const signingKey = createPrivateKey(readFileSync(env('OIDC_SIGNING_KEY', join(here, 'provider-signing-key.pem'))))
  .export({ format: 'jwk' });

const configuration = {
  clients: [{
    client_id: env('OIDC_CLIENT_ID'),
    client_secret: env('OIDC_CLIENT_SECRET'),
    redirect_uris: [env('OIDC_REDIRECT_URI')],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [{ ...signingKey, kid: 'selfdesk-test-key', use: 'sig', alg: 'RS256' }] },
  // Every client must use PKCE (S256), not only public ones.
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  // Put the scopes' claims in the ID token of the code flow, as Entra ID, Google and
  // Keycloak do, rather than only at the userinfo endpoint.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['selfdesk-test-provider-cookie-key'] },
  // Set, so the provider does not print notices about its defaults.
  ttl: {
    AccessToken: 3600, AuthorizationCode: 60, Grant: 3600, IdToken: 3600, Interaction: 600, Session: 3600,
  },
  async findAccount(_ctx, sub) {
    const found = bySub(sub);
    if (!found) return undefined;
    const [email, person] = found;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email,
          email_verified: person.email_verified,
          name: person.name,
          groups: person.groups,
        };
      },
    };
  },
};

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;

const readForm = (req) => new Promise((resolve, reject) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    body += chunk;
    if (body.length > 10_000) reject(new Error('form too large'));
  });
  req.on('end', () => resolve(new URLSearchParams(body)));
  req.on('error', reject);
});

// The interaction pages: /interaction/<uid> shows what the provider needs (login or
// consent); the forms post back to /interaction/<uid>/login and /interaction/<uid>/consent.
async function interaction(provider, req, res) {
  const url = new URL(req.url, 'http://localhost');
  const [, , uid, action] = url.pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction does not match its cookie');
  const send = (status, html) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  };
  if (req.method === 'GET' && !action) {
    if (details.prompt.name === 'login') {
      return send(200, page('Sign in to Example Org', `
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Email <input name="email" type="email" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>`));
    }
    return send(200, page('Allow Selfdesk to know who you are', `
<p>Selfdesk asks for: ${escape([...(details.prompt.details.missingOIDCScope ?? [])].join(', '))}</p>
<form method="post" action="/interaction/${escape(uid)}/consent"><button type="submit">Allow</button></form>`));
  }
  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const email = (form.get('email') ?? '').trim().toLowerCase();
    const person = people.get(email);
    if (!person || form.get('password') !== PASSWORD) {
      return send(401, page('Sign in to Example Org', '<p role="alert">Wrong email or password.</p>'));
    }
    return provider.interactionFinished(req, res, { login: { accountId: person.sub } }, { mergeWithLastSubmission: false });
  }
  if (req.method === 'POST' && action === 'consent') {
    const { prompt: { details: missing }, grantId, session, params } = details;
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const result = { consent: { grantId: await grant.save() } };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
  }
  return send(404, page('Not found', ''));
}

const server = createServer();
const port = Number(process.argv[2] ?? process.env.OIDC_PORT ?? 0);
server.listen(port, '127.0.0.1', () => {
  const bound = server.address().port;
  const provider = new Provider(`http://127.0.0.1:${bound}`, configuration);
  provider.on('server_error', (_ctx, err) => console.error('provider error:', err));
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (process.env.OIDC_TEST_CONTROL === '1' && req.method === 'POST' && req.url.startsWith('/test-control/groups?')) {
      const query = new URL(req.url, 'http://localhost').searchParams;
      const ok = setGroups(query.get('email') ?? '', query.get('groups') ?? '-');
      res.writeHead(ok ? 204 : 404);
      res.end();
    } else if (req.url.startsWith('/interaction/')) {
      interaction(provider, req, res).catch((err) => {
        console.error('interaction failed:', err);
        if (!res.headersSent) {
          res.writeHead(400, { 'content-type': 'text/plain' });
        }
        res.end(`interaction failed: ${err.message}`);
      });
    } else {
      callback(req, res);
    }
  });
  console.log(`ready ${bound}`);
});

/// Moves a test person into these groups (`-` or nothing: none); false for nobody known.
function setGroups(email, list) {
  if (!people.has(email)) return false;
  people.get(email).groups = !list || list === '-' ? [] : list.split(',');
  return true;
}

// Commands from the test, one a line; end of input ends the provider.
createInterface({ input: process.stdin })
  .on('line', (line) => {
    const [command, email, list] = line.trim().split(/\s+/);
    if (command === 'groups' && setGroups(email, list)) {
      console.log(`ok ${email}`);
    } else if (command) {
      console.error(`provider.mjs: unknown command ${line}`);
    }
  })
  .on('close', () => process.exit(0));
