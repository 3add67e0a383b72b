// An independent verifier of Open Badges 3.0 credentials secured with VC-JOSE (compact JWS),
// written against the specifications with the `jose` library, sharing no code with the
// site: resolves the issuer's did:web document over HTTP(S), checks the EdDSA signature
// with the key the `kid` names (which the DID document must list under assertionMethod),
// then fetches the BitstringStatusListCredential, verifies it the same way, decompresses
// its list and reads the credential's bit.
//
// Usage: node credential_verifier.mjs <credential.jwt> [--http]
//   --http resolves did:web over http (only for a test server on localhost).
// Prints one JSON line {"verified": true, "revoked": bool, ...} and exits 0, or prints
// {"verified": false, "error": "..."} and exits 1.

import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { compactVerify, decodeProtectedHeader, importJWK } from "jose";

const [path, ...flags] = process.argv.slice(2);
const scheme = flags.includes("--http") ? "http" : "https";

function fail(message) {
  console.log(JSON.stringify({ verified: false, error: message }));
  process.exit(1);
}

function didWebUrl(did) {
  // did:web:host%3Aport[:path:segments] -> scheme://host:port/.well-known/did.json
  const parts = did.slice("did:web:".length).split(":").map(decodeURIComponent);
  const host = parts.shift();
  const path = parts.length ? `/${parts.join("/")}/did.json` : "/.well-known/did.json";
  return `${scheme}://${host}${path}`;
}

async function verifyJws(jws, expectedTyp) {
  const header = decodeProtectedHeader(jws);
  if (header.alg !== "EdDSA") throw new Error(`unexpected alg ${header.alg}`);
  if (header.typ !== expectedTyp) throw new Error(`unexpected typ ${header.typ}`);
  if (!header.kid || !header.kid.startsWith("did:web:")) throw new Error("kid is not did:web");
  const did = header.kid.split("#")[0];
  const response = await fetch(didWebUrl(did));
  if (!response.ok) throw new Error(`DID document: HTTP ${response.status}`);
  const document = await response.json();
  if (document.id !== did) throw new Error("DID document id does not match the kid");
  const method = (document.verificationMethod || []).find((m) => m.id === header.kid);
  if (!method) throw new Error(`no verification method ${header.kid}`);
  if (!(document.assertionMethod || []).includes(header.kid)) {
    throw new Error("key is not an assertion method");
  }
  const key = await importJWK(method.publicKeyJwk, "EdDSA");
  const { payload } = await compactVerify(jws, key); // throws on a bad signature
  const credential = JSON.parse(new TextDecoder().decode(payload));
  const issuer = typeof credential.issuer === "string" ? credential.issuer : credential.issuer.id;
  if (issuer !== did) throw new Error("issuer is not the signing DID");
  if (credential.validFrom && Date.parse(credential.validFrom) > Date.now()) {
    throw new Error("not valid yet");
  }
  return credential;
}

async function readStatus(entry) {
  if (entry.type !== "BitstringStatusListEntry") throw new Error("unknown status type");
  const response = await fetch(entry.statusListCredential);
  if (!response.ok) throw new Error(`status list: HTTP ${response.status}`);
  const contentType = response.headers.get("content-type") || "";
  if (!contentType.startsWith("application/vc+jwt")) throw new Error(`status list is ${contentType}`);
  const list = await verifyJws((await response.text()).trim(), "vc+jwt");
  if (!list.type.includes("BitstringStatusListCredential")) throw new Error("not a status list");
  if (list.id !== entry.statusListCredential) throw new Error("status list id mismatch");
  const subject = list.credentialSubject;
  if (subject.statusPurpose !== entry.statusPurpose) throw new Error("status purpose mismatch");
  if (!subject.encodedList.startsWith("u")) throw new Error("encodedList is not multibase base64url");
  const bits = gunzipSync(Buffer.from(subject.encodedList.slice(1), "base64url"));
  const index = Number.parseInt(entry.statusListIndex, 10);
  if (bits.length * 8 < 131072) throw new Error("status list shorter than 131,072 entries");
  if (index >= bits.length * 8) throw new Error("index outside the list");
  const set = (bits[Math.floor(index / 8)] >> (7 - (index % 8))) & 1;
  return { set: set === 1, entries: bits.length * 8 };
}

try {
  const jws = readFileSync(path, "utf8").trim();
  const credential = await verifyJws(jws, "vc+jwt");
  if (!credential.type.includes("OpenBadgeCredential")) throw new Error("not an OpenBadgeCredential");
  const status = await readStatus(credential.credentialStatus);
  console.log(
    JSON.stringify({
      verified: true,
      revoked: status.set,
      entries: status.entries,
      issuer: credential.issuer.id,
      kid: decodeProtectedHeader(jws).kid,
      achievement: credential.credentialSubject.achievement.name,
      criteria: credential.credentialSubject.achievement.criteria.narrative,
    }),
  );
} catch (error) {
  fail(String(error && error.message ? error.message : error));
}
