import * as pulumi from "@pulumi/pulumi";
import fetch from "node-fetch";

/**
 * The baseline: the dynamic provider a user writes from Pulumi's docs to clear a Flextype cache. An
 * object-literal provider whose create and update POST the clear endpoint with node-fetch; `triggers`
 * is an input, so a change of it makes an update; no `check`, no `diff` (the engine compares inputs).
 * Kept deliberately naive: it is what this package is measured against, not an example to follow.
 */
export interface NaiveCacheClearArgs {
    readonly baseUrl: pulumi.Input<string>;
    readonly token: pulumi.Input<string>;
    readonly accessToken: pulumi.Input<string>;
    readonly triggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

interface ClearInputs {
    readonly baseUrl: string;
    readonly token: string;
    readonly accessToken: string;
}

async function clearCache(inputs: ClearInputs): Promise<void> {
    const response = await fetch(`${inputs.baseUrl}/api/v1/cache/clear`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: inputs.token, access_token: inputs.accessToken }),
    });
    if (!response.ok) {
        throw new Error(`cache clear failed: ${response.status} ${await response.text()}`);
    }
}

const cacheClearProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: ClearInputs) {
        await clearCache(inputs);
        return { id: `clear-${Date.now()}`, outs: inputs };
    },
    async update(_id: string, _olds: ClearInputs, news: ClearInputs) {
        await clearCache(news);
        return { outs: news };
    },
};

export class NaiveCacheClear extends pulumi.dynamic.Resource {
    constructor(name: string, args: NaiveCacheClearArgs, opts?: pulumi.CustomResourceOptions) {
        super(cacheClearProvider, name, { ...args, accessToken: pulumi.secret(args.accessToken) }, opts);
    }
}
