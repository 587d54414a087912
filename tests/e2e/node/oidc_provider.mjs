// A real OpenID Connect provider (node-oidc-provider from npm) on 127.0.0.1 for the single
// sign-on tests (tests/e2e/browser/test_single_sign_on.py): one confidential client (Collab),
// the people of a JSON file the test may rewrite between sign-ins (re-read on every lookup),
// the library's own login and consent pages (any password), and RP-initiated logout.
// Usage: node oidc_provider.mjs serve <json-args>; prints JSON lines: {"event": "ready", "issuer"},
// then {"event": "end_session", "sub"} each time a session ends through end_session_endpoint.
// Packages come from the front end's node_modules (COLLAB_FRONTEND points at frontend/).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const frontend = createRequire(path.join(process.env.COLLAB_FRONTEND, 'package.json'))
const { default: Provider } = await import(pathToFileURL(frontend.resolve('oidc-provider')).href)

const args = JSON.parse(process.argv[3])
const issuer = `http://127.0.0.1:${args.port}`
const say = (line) => process.stdout.write(JSON.stringify(line) + '\n')
const people = () => JSON.parse(readFileSync(args.peopleFile, 'utf8'))

const provider = new Provider(issuer, {
  clients: [{
    client_id: args.clientId,
    client_secret: args.clientSecret,
    redirect_uris: [args.redirectUri],
    post_logout_redirect_uris: [args.postLogoutRedirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  // The login page takes any login: it is the account id, and must be in the people file.
  async findAccount (ctx, sub) {
    const person = people()[sub]
    if (!person) return undefined
    return { accountId: sub, claims: async () => ({ sub, ...people()[sub] }) }
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  },
  cookies: { keys: ['collab-e2e-only'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
})
provider.on('end_session.success', (ctx) => say({ event: 'end_session', sub: ctx.oidc.session?.accountId ?? null }))
provider.on('server_error', (ctx, error) => process.stderr.write(`server_error: ${error.stack}\n`))

provider.listen(args.port, '127.0.0.1', () => say({ event: 'ready', issuer }))
