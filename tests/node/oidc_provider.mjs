// A real OpenID Connect provider for the sign-in tests (node-oidc-provider with its development login page, where
// any login name signs in as that account). Usage: node oidc_provider.mjs CONFIG.json
// CONFIG: {"port": N, "client": {client_id, client_secret, redirect_uris: [...]},
//          "accounts": {"<login>": {"name": "...", "personal_number": "...", "groups": ["..."]}}}
import { readFileSync } from "node:fs";
import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const issuer = `http://127.0.0.1:${config.port}`;
const provider = new Provider(issuer, {
  clients: [{ ...config.client, grant_types: ["authorization_code"], response_types: ["code"] }],
  pkce: { required: () => true },
  claims: { openid: ["sub"], profile: ["name", "personal_number", "groups"] },
  async findAccount(ctx, id) {
    const account = config.accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
  cookies: { keys: ["sohoa-test-cookie-key"] },
});
provider.proxy = false;
provider.listen(config.port, "127.0.0.1", () => console.log(`ready ${issuer}`));
