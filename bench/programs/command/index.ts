import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

// What a user pastes instead of this package: curl in a local.Command, re-run when `triggers` changes.
// The credentials travel as environment variables so they are not in the command line.
const config = new pulumi.Config();
const count = config.requireNumber("count");
for (let i = 0; i < count; i++) {
    new command.local.Command(`cms-${i}`, {
        create: `curl -fsS -X POST -H 'content-type: application/json' --data "{\\"token\\":\\"$FLEXTYPE_TOKEN\\",\\"access_token\\":\\"$FLEXTYPE_ACCESS_TOKEN\\"}" "$BASE_URL/api/v1/cache/clear"`,
        environment: {
            BASE_URL: config.require("baseUrl"),
            FLEXTYPE_TOKEN: config.require("token"),
            FLEXTYPE_ACCESS_TOKEN: config.requireSecret("accessToken"),
        },
        triggers: [config.require("contentHash")],
    });
}
