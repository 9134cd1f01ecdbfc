// A real OpenID provider for the browser test: panva's oidc-provider with its own login and consent forms.
// Started by tests/browser/test_sso_browser.py: node tests/support/op.mjs PORT CONFIG_JSON
// CONFIG_JSON: {"client_id", "client_secret", "redirect_uri", "post_logout_redirect_uri",
//               "accounts": {"login name": {claims}}}
import Provider from "oidc-provider";

const port = Number(process.argv[2]);
const config = JSON.parse(process.argv[3]);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: [config.redirect_uri],
    post_logout_redirect_uris: [config.post_logout_redirect_uri],
  }],
  // roles and the staff number come with the openid scope, like Entra's app roles and optional claims.
  claims: { openid: ["sub", "roles", "employeeid"], email: ["email", "email_verified"], profile: ["name"] },
  conformIdTokenClaims: false, // put the claims in the ID token, as Entra does
  findAccount: async (ctx, id) => config.accounts[id]
    ? { accountId: id, claims: async () => ({ sub: id, ...config.accounts[id] }) }
    : undefined,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ["klarret-browser-test"] },
});
provider.listen(port, "127.0.0.1", () => console.log(`oidc-provider listening on ${issuer}`));
