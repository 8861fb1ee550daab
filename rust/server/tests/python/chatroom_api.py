"""Drives the chatroom Server API of a running rcim-server with RongCloud's Python server SDK
(rc-server-sdk 3.2.0), unchanged: only its host URL points at the server.

The SDK has no chatroom KV calls (`/chatroom/entry/*`), so those go out as plain signed
requests made here, the way any HTTP client would (RongCloud's signature: sha1 of secret,
nonce and timestamp).

Usage: chatroom_api.py HOST_URL APP_KEY APP_SECRET PHASE
Prints one JSON object per call, `{"step": name, "result": <the answer>}`; the Rust test that
runs it (tests/python_chatroom.rs) checks the answers and what clients observe between phases.
"""

import hashlib
import json
import random
import sys
import time
import urllib.parse
import urllib.request

from rongcloud.rongcloud import RongCloud


def signed_post(host_url, app_key, app_secret, path, params):
    """POSTs `params` (a list of pairs) form-encoded with RongCloud's signature headers."""
    nonce = str(random.randint(0, 1_000_000_000))
    timestamp = str(int(time.time()))
    signature = hashlib.sha1((app_secret + nonce + timestamp).encode("utf-8")).hexdigest()
    request = urllib.request.Request(
        host_url + path,
        data=urllib.parse.urlencode(params).encode("utf-8"),
        headers={
            "App-Key": app_key,
            "Nonce": nonce,
            "Timestamp": timestamp,
            "Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with urllib.request.urlopen(request) as answer:
            return json.loads(answer.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        return {"raw": e.read().decode("utf-8", "replace"), "status": e.code}


def main():
    host_url, app_key, app_secret, phase = sys.argv[1:5]
    rc = RongCloud(app_key, app_secret, host_url=host_url)

    def step(name, result):
        # Answers of HTTP errors come back as raw bytes: keep them readable.
        if isinstance(result, bytes):
            result = {"raw": result.decode("utf-8", "replace")}
        print(json.dumps({"step": name, "result": result}, ensure_ascii=False), flush=True)

    def kv(path, params):
        return signed_post(host_url, app_key, app_secret, path, params)

    chatroom = rc.get_chatroom()
    users = chatroom.get_user()
    if phase == "create":
        step("create", chatroom.create([("live", "Live Room"), ("side", "Side")]))
        step("query", chatroom.query(["live", "side", "missing"]))
    elif phase == "members":
        step("user_query", users.query("live", 10, 1))
        step("user_query_desc", users.query("live", 1, 2))
        step("exist_one", users.isexist("live", ["alice"]))
        step("exist_many", users.isexist("live", ["alice", "carol"]))
        step("missing_room", users.query("missing", 10, 1))
        step(
            "entry_set",
            kv(
                "/chatroom/entry/set.json",
                [("chatroomId", "live"), ("userId", "admin"), ("key", "topic"),
                 ("value", "Hello & welcome")],
            ),
        )
        step(
            "entry_batch_set",
            kv(
                "/chatroom/entry/batch/set.json",
                [("chatroomId", "live"), ("entryOwnerId", "alice"), ("autoDelete", "1"),
                 ("entryInfo", json.dumps({"seat1": "alice", "seat2": "bob"}))],
            ),
        )
        step(
            "entry_remove",
            kv("/chatroom/entry/remove.json",
               [("chatroomId", "live"), ("userId", "admin"), ("key", "seat2")]),
        )
        step("entry_query", kv("/chatroom/entry/query.json", [("chatroomId", "live")]))
        step(
            "entry_bad_key",
            kv(
                "/chatroom/entry/set.json",
                [("chatroomId", "live"), ("userId", "admin"), ("key", "no spaces"),
                 ("value", "v")],
            ),
        )
        step("gag", users.get_gag().add(["alice"], "live", 10))
        step("gag_list", users.get_gag().query("live"))
        step("whitelist", users.get_whitelist().add("live", ["bob"]))
        step("whitelist_query", users.get_whitelist().query("live"))
        step(
            "publish",
            rc.get_message().get_chatroom().send(
                "admin", "live", "RC:TxtMsg", {"content": "from the server"}
            ),
        )
    elif phase == "teardown":
        step("ungag", users.get_gag().remove(["alice"], "live"))
        step("unwhitelist", users.get_whitelist().remove("live", ["bob"]))
        step("block", users.get_block().add(["bob"], "live", 10))
        step("block_list", users.get_block().query("live"))
        step("destroy", chatroom.destroy(["live", "side"]))
        step("query", chatroom.query(["live", "side"]))
    else:
        sys.exit("unknown phase " + phase)


if __name__ == "__main__":
    main()
