"""Drives the Server API of a running rcim-server with RongCloud's Python server SDK
(rc-server-sdk 3.2.0), unchanged: only its host URL points at the server.

Usage: server_api.py HOST_URL APP_KEY APP_SECRET PHASE
Prints one JSON object per call, `{"step": name, "result": <the SDK's answer>}`; the Rust test
that runs it (tests/python_sdk.rs) checks the answers and what clients observe between phases.
"""

import json
import sys

from rongcloud.rongcloud import RongCloud


def main():
    host_url, app_key, app_secret, phase = sys.argv[1:5]
    rc = RongCloud(app_key, app_secret, host_url=host_url)

    def step(name, result):
        # Answers of HTTP errors come back as raw bytes: keep them readable.
        if isinstance(result, bytes):
            result = {"raw": result.decode("utf-8", "replace")}
        print(json.dumps({"step": name, "result": result}, ensure_ascii=False), flush=True)

    sensitive = rc.get_sensitive()
    block = rc.get_user().get_block()
    gag = rc.get_group().get_user().get_gag()
    if phase == "apply":
        step("word_replace", sensitive.add("darn", "d**n"))
        step("word_replace_cjk", sensitive.add("坏蛋", "**"))
        step("word_block", sensitive.add("forbidden"))
        step("word_tmp1", sensitive.add("tmp1"))
        step("word_tmp2", sensitive.add("tmp2"))
        step("words_all", sensitive.query(2))
        step("words_replace", sensitive.query(0))
        step("words_block", sensitive.query())
        step("block", block.add(["banned"], 10))
        step("block_query", block.query())
        step("gag", gag.add(["muted"], "g", 30))
        step("gag_forever", gag.add(["quiet"], "g", 0))
        step("gag_list", gag.query("g"))
        group = rc.get_message().get_group()
        step(
            "directed",
            group.send_direction("alice", "g", ["bob"], "RC:TxtMsg", {"content": "for bob"}),
        )
        step("group", group.send("alice", "g", "RC:TxtMsg", {"content": "for all"}))
    elif phase == "lift":
        # One word goes through /sensitiveword/delete.json, several through batch/delete.
        step("word_delete", sensitive.remove(["darn"]))
        step("word_batch_delete", sensitive.remove(["tmp1", "tmp2"]))
        step("words_all", sensitive.query(2))
        step("unblock", block.remove(["banned"]))
        step("block_query", block.query())
        step("gag_rollback", gag.remove(["muted", "quiet"], "g"))
        step("gag_list", gag.query("g"))
    elif phase == "blacklist":
        blacklist = rc.get_user().get_blacklist()
        step("blacklist_add", blacklist.add("alice", ["bob", "carol"]))
        step("blacklist_query", blacklist.query("alice"))
        step("blacklist_remove", blacklist.remove("alice", ["carol"]))
        step("blacklist_query_after", blacklist.query("alice"))
    else:
        sys.exit("unknown phase " + phase)


if __name__ == "__main__":
    main()
