import * as pulumi from "@pulumi/pulumi";
import fetch from "node-fetch";

/**
 * The baseline: the dynamic provider a user writes from Pulumi's docs to purge ImageKit URLs. An
 * object-literal provider whose create and update POST ImageKit's purge endpoint (`POST /v1/files/purge`,
 * `{"url": …}`, the private key as the Basic auth user and an empty password) once per URL, one after
 * another, with node-fetch; `triggers` is an input, so a change of it makes an update that purges every
 * URL again; no `check`, no `diff` (the engine compares inputs). Kept deliberately naive: it is what this
 * package is measured against, not an example to follow.
 */
export interface NaiveUrlPurgeArgs {
    readonly baseUrl: pulumi.Input<string>;
    readonly privateKey: pulumi.Input<string>;
    readonly urls: pulumi.Input<pulumi.Input<string>[]>;
    readonly triggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

interface PurgeInputs {
    readonly baseUrl: string;
    readonly privateKey: string;
    readonly urls: string[];
}

async function purgeUrls(inputs: PurgeInputs): Promise<void> {
    const authorization = `Basic ${Buffer.from(`${inputs.privateKey}:`).toString("base64")}`;
    for (const url of inputs.urls) {
        const response = await fetch(`${inputs.baseUrl}/v1/files/purge`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization },
            body: JSON.stringify({ url }),
        });
        if (!response.ok) {
            throw new Error(`purge of ${url} failed: ${response.status} ${await response.text()}`);
        }
    }
}

const urlPurgeProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: PurgeInputs) {
        await purgeUrls(inputs);
        return { id: `purge-${Date.now()}`, outs: inputs };
    },
    async update(_id: string, _olds: PurgeInputs, news: PurgeInputs) {
        await purgeUrls(news);
        return { outs: news };
    },
};

export class NaiveUrlPurge extends pulumi.dynamic.Resource {
    constructor(name: string, args: NaiveUrlPurgeArgs, opts?: pulumi.CustomResourceOptions) {
        super(urlPurgeProvider, name, { ...args, privateKey: pulumi.secret(args.privateKey) }, opts);
    }
}
