/** A throwaway self-signed certificate for 127.0.0.1/localhost, generated per simulator start. */
export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
}

export function generateLoopbackCertificate(): TestCertificate {
  const selfsigned = require("selfsigned") as {
    generate(attributes: unknown[], options: unknown): { private: string; cert: string };
  };
  const generated = selfsigned.generate([{ name: "commonName", value: "localhost" }], {
    days: 1,
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  return { key: generated.private, cert: generated.cert };
}
