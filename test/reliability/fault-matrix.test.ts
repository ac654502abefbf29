import assert from "node:assert/strict";
import { ProviderError, ProviderHost } from "../harness/provider-host";
import type { Props } from "../harness/sdk";
import { serializedProvider } from "../harness/serialize";
import { linkPackageIntoNodeModules, REPO_ROOT } from "../harness/workspace";
import { conformanceCases } from "../conformance/cases";
import { type Arena, type Expected, FAULT_NAMES, LIMITS } from "./fault-cases";
import { SERVICE_FAULTS } from "./fault-services";

/** Cases run and faults survived, for the README's reliability section. */
const tally = { cases: 0, purgedDespiteFault: 0, failedAsExpected: 0 };

function behaviour(expected: Expected): string {
    if (expected.outcome === "failed") {
        return expected.purgeCalls === 1
            ? "fails at once, quoting the status and the service's message"
            : `fails after ${expected.purgeCalls} calls, quoting the status and the service's message`;
    }
    return expected.retries > 0 ? `is retried ${expected.retries === 1 ? "once" : `${expected.retries} times`} and the purge succeeds` : "is a success";
}

describe(`fault matrix: 11 faults on the purge call of each of the ${SERVICE_FAULTS.length} services, through the provider host`, function () {
    this.timeout(60_000);

    before(linkPackageIntoNodeModules);

    after(() => {
        console.log(`      fault matrix: ${tally.cases} cases run, ${tally.purgedDespiteFault} purged despite the fault, `
            + `${tally.failedAsExpected} failed with the expected message`);
    });

    for (const service of SERVICE_FAULTS) {
        describe(service.service, () => {
            let host: ProviderHost;
            let provider: string;
            let arena: Arena | undefined;
            let accounts = 0;

            before(async () => {
                const build = conformanceCases.find((c) => c.service === service.service)!;
                provider = await serializedProvider(() => build.build("faulty", build.canary));
                // No credential from the environment: each case passes its own, for an account (and rate gate) of its own.
                host = await ProviderHost.start({ cwd: REPO_ROOT, env: { FLEXTYPE_TOKEN: "", FLEXTYPE_ACCESS_TOKEN: "", CODEMAGIC_TOKEN: "",
                    MSTR_USERNAME: "", MSTR_PASSWORD: "", MSTR_AUTH_TOKEN: "", MSTR_COOKIES: "", BUDDY_TOKEN: "", IMAGEKIT_PRIVATE_KEY: "", AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "", CLOUDFLARE_API_TOKEN: "", FASTLY_API_TOKEN: "" } });
                await host.configure({});
            });

            after(() => host.stop());

            afterEach(async () => {
                await arena?.emulator.stop();
                arena = undefined;
            });

            async function created(inputs: Props): Promise<{ outputs?: Props; error?: ProviderError }> {
                const checked = await host.check(service.urn, {}, { ...inputs, __provider: provider });
                assert.deepEqual(checked.failures, []);
                return host.create(service.urn, checked.inputs).then((r) => ({ outputs: r.outputs }), (error: ProviderError) => ({ error }));
            }

            for (const name of FAULT_NAMES) {
                const expected = service.expected[name];

                it(`${name} on ${service.service}'s purge call ${behaviour(expected)} (${expected.why})`, async () => {
                    arena = await service.arena(`CANARY-${service.service}-fault-${++accounts}-${Math.random().toString(16).slice(2, 10)}`);
                    const { emulator, isPurgeCall } = arena;
                    emulator.inject(service.faults(name), isPurgeCall);

                    const result = await created(arena.inputs);

                    tally.cases++;
                    const purgeCalls = emulator.requests.filter(isPurgeCall).length;
                    if (expected.outcome === "purged") {
                        assert.equal(result.error, undefined, result.error?.message);
                        const receipt = result.outputs!.receipt as Props;
                        assert.equal(purgeCalls, expected.purgeCalls, "purge calls");
                        assert.equal(receipt.retries, expected.retries, "retries in the receipt");
                        assert.equal(arena.purged(), expected.emulatorPurges, "purges the emulator carried out");
                        tally.purgedDespiteFault++;
                    } else {
                        assert.equal(result.outputs, undefined, "the create must fail");
                        assert.equal(result.error?.message, expected.message(arena.purgeUrl));
                        assert.equal(result.error?.partialOutputs, undefined, "nothing recorded as purged");
                        assert.equal(purgeCalls, expected.purgeCalls, "purge calls");
                        assert.equal(arena.purged(), 0);
                        tally.failedAsExpected++;
                    }
                    assert.ok(purgeCalls <= LIMITS.maxRetries + 1, "never more attempts than maxRetries allows");
                });
            }
        });
    }
});
