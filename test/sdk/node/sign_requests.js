#!/usr/bin/env node
// Signs requests with Oracle's official TypeScript/JavaScript SDK (oci-common) so our C++
// signer can be checked against it (test/integration/oci/signer_sdk_crosscheck_test.cc).
//
// stdin: JSON array of {method, url, headers, body}; `headers.date` (if given) is the fixed
// date to sign with (the SDK signs it as x-date). stdout: JSON array, one entry per request:
// {authorization, headers} where headers are every header the SDK set, lower-cased.
// The key is Oracle's published test key (draft-cavage Appendix C), not a secret.
"use strict";

const common = require("oci-common");

const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jqae5f15p2b2m2yt2j6rx32uzr4h25vqstifsfdsq";
const USER = "ocid1.user.oc1..aaaaaaaat5nvwcna5j6aqzjcaty5eqbb6qt2jvpkanghtgdaqedqw3rynjq";
const FINGERPRINT = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";
const PRIVATE_KEY = [
  "-----BEGIN RSA PRIVATE KEY-----",
  "MIICXgIBAAKBgQDCFENGw33yGihy92pDjZQhl0C36rPJj+CvfSC8+q28hxA161QF",
  "NUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6Z4UMR7EOcpfdUE9Hf3m/hs+F",
  "UR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJwoYi+1hqp1fIekaxsyQIDAQAB",
  "AoGBAJR8ZkCUvx5kzv+utdl7T5MnordT1TvoXXJGXK7ZZ+UuvMNUCdN2QPc4sBiA",
  "QWvLw1cSKt5DsKZ8UETpYPy8pPYnnDEz2dDYiaew9+xEpubyeW2oH4Zx71wqBtOK",
  "kqwrXa/pzdpiucRRjk6vE6YY7EBBs/g7uanVpGibOVAEsqH1AkEA7DkjVH28WDUg",
  "f1nqvfn2Kj6CT7nIcE3jGJsZZ7zlZmBmHFDONMLUrXR/Zm3pR5m0tCmBqa5RK95u",
  "412jt1dPIwJBANJT3v8pnkth48bQo/fKel6uEYyboRtA5/uHuHkZ6FQF7OUkGogc",
  "mSJluOdc5t6hI1VsLn0QZEjQZMEOWr+wKSMCQQCC4kXJEsHAve77oP6HtG/IiEn7",
  "kpyUXRNvFsDE0czpJJBvL/aRFUJxuRK91jhjC68sA7NsKMGg5OXb5I5Jj36xAkEA",
  "gIT7aFOYBFwGgQAQkWNKLvySgKbAZRTeLBacpHMuQdl1DfdntvAyqpAZ0lY0RKmW",
  "G6aFKaqQfOXKCyWoUiVknQJAXrlgySFci/2ueKlIE1QqIiLSZ8V8OlpFLRnb1pzI",
  "7U1yQXnTAEFYM560yJlzUpOb1V4cScGd365tiSMvxLOvTA==",
  "-----END RSA PRIVATE KEY-----",
  "",
].join("\n");
const DEFAULT_DATE = "Thu, 05 Jan 2014 21:31:40 GMT";

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const requests = JSON.parse(Buffer.concat(chunks).toString("utf8"));

  const provider = new common.SimpleAuthenticationDetailsProvider(TENANCY, USER, FINGERPRINT, PRIVATE_KEY, null);
  const signer = new common.DefaultRequestSigner(provider);

  const results = [];
  for (const r of requests) {
    const headers = new Headers();
    let date = DEFAULT_DATE;
    for (const [name, value] of Object.entries(r.headers || {})) {
      if (name.toLowerCase() === "date") date = value;
      else headers.set(name, value);
    }
    // The SDK dates requests itself unless x-date is present; fix it for reproducibility.
    headers.set("x-date", date);
    const request = { method: r.method, uri: r.url, headers, body: r.body };
    await signer.signHttpRequest(request);
    const out = {};
    for (const [name, value] of request.headers.entries()) out[name.toLowerCase()] = value;
    results.push({ authorization: request.headers.get("authorization"), headers: out });
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((err) => {
  process.stderr.write(`sign_requests.js: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
