import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { codemagic, flextype, imagekit } from "../../src";
import { register } from "../harness/serialize";

/** A promise of an Output: the types refuse it, a JavaScript program (or a cast) passes it all the same. */
function untyped<T>(value: Promise<unknown>): T {
    return value as T;
}

/**
 * What a resource registers, program side. Every input costs the SDK four promises with a stack trace
 * each, for every resource of a program, so the resource sends only what the provider needs: the
 * secret markers only when a value may be secret.
 */
describe("the inputs a purge resource registers", () => {
    it("sends no secret markers when no trigger or forcePurge is an Output", async () => {
        const [cms] = await register(() => {
            new flextype.CachePurge("cms", { baseUrl: "https://cms.example.com", triggers: { entries: "abc" }, forcePurge: "1" });
        });
        // The declared outputs (receipt, purgePlan) are registered undefined, which the SDK leaves out.
        assert.deepEqual(Object.keys(cms.inputs).sort(), ["__provider", "__urn", "baseUrl", "forcePurge", "triggers"]);
        assert.equal(cms.inputs.__urn, "urn:pulumi:stack::project::pulumi-nodejs:dynamic/flextype:CachePurge::cms");
    });

    it("names the secret triggers, and says whether forcePurge is secret, when they are Outputs", async () => {
        const [cms] = await register(() => {
            new flextype.CachePurge("cms", {
                baseUrl: "https://cms.example.com",
                triggers: { entries: "abc", apiKey: pulumi.secret("sk_live_1") },
                forcePurge: pulumi.secret("2"),
            });
        });
        assert.deepEqual(cms.inputs.__secretTriggers, ["apiKey"]);
        assert.equal(cms.inputs.__secretForcePurge, true);
    });

    it("says whether a target's own trigger is secret: a secret hash in a map of targets, or the whole map a secret", async () => {
        const registered = await register(() => {
            new codemagic.CachePurge("ios", { appId: "app1", workflows: { "build-ipa": pulumi.secret("hash1"), lint: "hash2" } });
            new imagekit.UrlPurge("img", { urls: pulumi.secret({ "https://ik.imagekit.io/acme/a.jpg": "hash3" }) });
            new imagekit.UrlPurge("plain", { urls: { "https://ik.imagekit.io/acme/b.jpg": pulumi.output("hash4") } });
        });
        const marker = (name: string) => registered.find((r) => r.name === name)?.inputs.__secretTargets;
        assert.deepEqual(["ios", "img", "plain"].map(marker), [true, true, false]);
    });

    it("names the inputs whose target names are secret: a map or list that is a secret as a whole, not one holding a secret hash", async () => {
        const registered = await register(() => {
            new codemagic.CachePurge("ios", { appId: "app1", workflows: { "build-ipa": pulumi.secret("hash1") } });
            new imagekit.UrlPurge("img", { urls: pulumi.secret({ "https://ik.imagekit.io/acme/a.jpg": "hash3" }) });
            new imagekit.UrlPurge("list", { urls: pulumi.secret(["https://ik.imagekit.io/acme/b.jpg"]) });
            new imagekit.UrlPurge("plain", { urls: pulumi.output({ "https://ik.imagekit.io/acme/c.jpg": "hash4" }) });
            new imagekit.UrlPurge("known", { urls: ["https://ik.imagekit.io/acme/d.jpg"] });
        });
        const marker = (name: string) => registered.find((r) => r.name === name)?.inputs.__secretTargetNames;
        assert.deepEqual(["ios", "img", "list", "plain", "known"].map(marker), [undefined, ["urls"], ["urls"], [], undefined]);
    });

    it("sends no target marker when no target trigger is an Output", async () => {
        const [ios] = await register(() => {
            new codemagic.CachePurge("ios", { appId: "app1", workflows: { "build-ipa": "hash1" } });
        });
        assert.equal(Object.hasOwn(ios.inputs, "__secretTargets"), false);
    });

    it("names a secret trigger reached through a promise, an async function's result, a promise of a secret, nested Inputs and pulumi.all", async () => {
        const apiKey = pulumi.secret("sk_live_1");
        const siteTriggers = async () => ({ site: await Promise.resolve("abc"), apiKey });
        const registered = await register(() => {
            new flextype.CachePurge("promise", { baseUrl: "https://cms.example.com", triggers: Promise.resolve({ release: "1", apiKey }) });
            new flextype.CachePurge("async", { baseUrl: "https://cms.example.com", triggers: siteTriggers() });
            new flextype.CachePurge("inner", { baseUrl: "https://cms.example.com", triggers: { release: "1", apiKey: untyped(Promise.resolve(apiKey)) } });
            new flextype.CachePurge("applied", { baseUrl: "https://cms.example.com", triggers: { release: "1", apiKey: pulumi.output("x").apply(() => apiKey) } });
            new flextype.CachePurge("all", {
                baseUrl: "https://cms.example.com",
                triggers: pulumi.all(["1", apiKey]).apply(([release, key]) => ({ release, apiKey: key })),
            });
            new flextype.CachePurge("plain-promise", { baseUrl: "https://cms.example.com", triggers: Promise.resolve({ release: "1" }) });
        });
        const marker = (name: string) => registered.find((r) => r.name === name)?.inputs.__secretTriggers;
        // pulumi.all makes the whole map one secret: no name can be told apart, so all are named.
        assert.deepEqual(["promise", "async", "inner", "applied", "all", "plain-promise"].map(marker),
            [["apiKey"], ["apiKey"], ["apiKey"], ["apiKey"], ["release", "apiKey"], []]);
    });

    it("says a target's own trigger is secret when it is reached through a promise", async () => {
        const [images] = await register(() => {
            new imagekit.UrlPurge("img", { urls: Promise.resolve({ "https://ik.imagekit.io/acme/a.jpg": pulumi.secret("hash1") }) });
        });
        assert.equal(images.inputs.__secretTargets, true);
        assert.deepEqual(images.inputs.__secretTargetNames, []);
    });

    it("names the inputs with a secret name in a plain list, or a secret map behind a promise, and the settings that are secret", async () => {
        const registered = await register(() => {
            new imagekit.UrlPurge("element", { urls: ["https://ik.imagekit.io/acme/public.jpg", pulumi.secret("https://ik.imagekit.io/acme/private.jpg")] });
            new imagekit.UrlPurge("promised", { urls: untyped(Promise.resolve(pulumi.secret({ "https://ik.imagekit.io/acme/a.jpg": "h" }))) });
            new imagekit.UrlPurge("base", { baseUrl: untyped(Promise.resolve(pulumi.secret("https://ik.example.com"))), urls: ["https://ik.imagekit.io/acme/b.jpg"] });
        });
        const inputs = (name: string) => registered.find((r) => r.name === name)?.inputs;
        assert.deepEqual(["element", "promised", "base"].map((name) => inputs(name)?.__secretTargetNames), [["urls"], ["urls"], undefined]);
        assert.deepEqual(["element", "promised", "base"].map((name) => inputs(name)?.__secretSettings), [undefined, undefined, ["baseUrl"]]);
    });
});
