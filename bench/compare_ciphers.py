#!/usr/bin/env python3
"""Compare the suites chainscope --ciphers found with sslscan's and
testssl.sh -e's on the same server, by IANA code point.

usage: compare_ciphers.py chainscope.json sslscan.xml [testssl.txt]
"""
import json
import re
import sys

ours = {}
for version, suites in json.load(open(sys.argv[1]))["tls"]["cipher_details"].items():
    ours[version] = {int(s["id"], 16) for s in suites}

sslscan = {}
xml = open(sys.argv[2]).read()
for m in re.finditer(r'status="(?:accepted|preferred)" sslversion="TLSv(1\.\d)"[^>]*id="(0x[0-9A-Fa-f]+)"', xml):
    sslscan.setdefault("TLS " + m.group(1), set()).add(int(m.group(2), 16))

print("| version | chainscope | sslscan | same set |")
print("|---|---|---|---|")
ok = True
for v in sorted(set(ours) | set(sslscan)):
    a, b = ours.get(v, set()), sslscan.get(v, set())
    ok &= a == b
    print(f"| {v} | {len(a)} | {len(b)} | {'yes' if a == b else 'NO: ' + str(sorted(hex(x) for x in a ^ b))} |")

if len(sys.argv) > 3:
    # testssl.sh -e lists every accepted suite once, across versions.
    testssl = {int(m.group(1), 16) for m in re.finditer(r"^\s*x([0-9a-f]{2,4})\s", open(sys.argv[3]).read(), re.M)}
    union = set().union(*ours.values()) if ours else set()
    same = union == testssl
    ok &= same
    print(f"| all versions | {len(union)} | testssl.sh -e: {len(testssl)} | {'yes' if same else 'NO: ' + str(sorted(hex(x) for x in union ^ testssl))} |")
sys.exit(0 if ok else 1)
