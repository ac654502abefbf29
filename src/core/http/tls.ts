/** Node's codes for a server certificate that was not trusted; retrying never changes the answer. */
const CERTIFICATE_CODES: Readonly<Record<string, string>> = {
    DEPTH_ZERO_SELF_SIGNED_CERT: "it is self-signed",
    SELF_SIGNED_CERT_IN_CHAIN: "its chain ends in a self-signed certificate that is not trusted",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its issuer is not trusted",
    UNABLE_TO_GET_ISSUER_CERT: "its issuer is not trusted",
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "its issuer is not trusted",
    CERT_HAS_EXPIRED: "it has expired",
    CERT_NOT_YET_VALID: "it is not valid yet",
    ERR_TLS_CERT_ALTNAME_INVALID: "it does not name this host",
    CERT_REVOKED: "it was revoked",
};

/**
 * The words for a refused TLS certificate, or undefined when the failure is something else. The hint
 * says how to trust a private CA, since that is the usual cause behind a self-hosted endpoint.
 */
export function describeTlsFailure(code: string | undefined, message: string | undefined): { reason: string; hint: string } | undefined {
    const found = code !== undefined && Object.hasOwn(CERTIFICATE_CODES, code) ? code
        : Object.keys(CERTIFICATE_CODES).find((c) => message?.includes(c));
    if (found === undefined) {
        return undefined;
    }
    return {
        reason: `the server's TLS certificate was refused: ${CERTIFICATE_CODES[found]} (${found}); not retried`,
        hint: "if the server uses a certificate of your own CA, trust it by setting NODE_EXTRA_CA_CERTS=/path/to/ca.pem in the environment that runs pulumi",
    };
}
