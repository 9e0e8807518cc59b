"""Runs the SCIM conformance checker scim2-tester against a served Rungs (see .ci/scim-check).

Usage: python scim_check.py BASE_URL TOKEN. Prints every check with its status; exits 1 when
any check errors or when fewer checks passed than expected (a checker that ran nothing must
not pass).
"""

import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

base, token = sys.argv[1], sys.argv[2]
http = Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
client = SyncSCIMClient(http)
client.discover()
results = check_server(client, raise_exceptions=False)

counts = {}
for result in results:
    counts[result.status] = counts.get(result.status, 0) + 1
    line = f"{result.status.name:8} {result.title}"
    if result.reason:
        line += f": {result.reason}"
    print(line.replace("\n", " | "))

print("summary:", ", ".join(f"{status.name} {count}" for status, count in sorted(counts.items(), key=lambda item: item[0].name)))
failed = counts.get(Status.ERROR, 0) + counts.get(Status.CRITICAL, 0)
passed = sum(counts.get(status, 0) for status in (Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE))
if failed or passed < 60:
    print(f"SCIM conformance: {failed} failed, {passed} passed (at least 60 must pass)")
    sys.exit(1)
print(f"SCIM conformance: all {passed} checks that ran passed")
