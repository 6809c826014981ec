"""The peer of sync_10k_records_per_s and sync_100k_latency_s: the official `twilio` Python SDK
(PyPI) listing every recording of an account from the loopback Twilio fake that bench_sync
started (under the fake's latency model for the latter: the same script, a slower server).

    python twilio_peer.py BASE_URL ACCOUNT_SID AUTH_TOKEN PAGE_SIZE

Prints one JSON object: {"records", "seconds", "records_per_s", "pages", "twilio_version"}.
The SDK is pointed at the fake by replacing the API domain's base URL (`client.api.base_url`);
the SDK follows Twilio's relative `next_page_uri` against that same base. Only the listing is
timed (not the interpreter's start or the import). A long listing says how far it is on stderr
every PROGRESS_PAGES pages.
"""

import json
import sys
import time

import twilio
from twilio.rest import Client

PROGRESS_PAGES = 20


def main() -> None:
    base_url, account_sid, auth_token, page_size = sys.argv[1:5]
    client = Client(account_sid, auth_token)
    client.api.base_url = base_url
    recordings = client.api.v2010.account.recordings
    started = time.perf_counter()
    records = 0
    pages = 0
    page = recordings.page(page_size=int(page_size))
    while page is not None:
        pages += 1
        for record in page:
            records += 1
            _ = (record.sid, record.call_sid, record.date_created, record.duration, record.status)
        page = page.next_page()
        if pages % PROGRESS_PAGES == 0:
            sys.stderr.write(f"twilio_peer: {pages} pages, {records} records, {time.perf_counter() - started:.0f} s\n")
    seconds = time.perf_counter() - started
    json.dump(
        {
            "records": records,
            "seconds": round(seconds, 4),
            "records_per_s": records / seconds if seconds > 0 else 0,
            "pages": pages,
            "twilio_version": twilio.__version__,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
