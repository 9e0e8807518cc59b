"""A real SMTP server for Rungs' tests (aiosmtpd): each message it accepts is written to
DIR/NNNNN.json (sender, recipients, subject, Message-ID, the decoded plain-text body), and
its port is printed on the first line of standard output.

With --delay SECONDS it waits that long before answering a message's DATA, and keeps the
message only if the client is still there to hear the answer, as a real server's delivery
stands on its 250: a client killed while waiting has sent nothing.

    python sink.py DIR [--delay SECONDS]
"""

import argparse
import asyncio
import email
import email.policy
import json
import os

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, folder, delay):
        self.folder = folder
        self.delay = delay
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
            if server.transport is None or server.transport.is_closing():
                return "451 the client went away"
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        self.count += 1
        record = {
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "subject": str(message["subject"]),
            "message_id": str(message["message-id"]),
            "body": body.get_content() if body is not None else "",
        }
        path = os.path.join(self.folder, f"{self.count:05}.json")
        with open(path + ".part", "w", encoding="utf-8") as file:
            json.dump(record, file)
        os.replace(path + ".part", path)
        return "250 OK"


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--delay", type=float, default=0.0)
    arguments = parser.parse_args()
    os.makedirs(arguments.folder, exist_ok=True)
    handler = Sink(arguments.folder, arguments.delay)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, enable_SMTPUTF8=True), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
