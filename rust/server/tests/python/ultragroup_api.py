"""Drives the ultra-group Server API of a running rcim-server through RongCloud's Python server
SDK (rc-server-sdk 3.2.0), unchanged: only its host URL points at the server.

The SDK has no ultra-group module. The calls here go through the SDK's own request layer all
the same: `Module._http_post` of the SDK (rongcloud/module.py), which signs each request
(App-Key, Nonce, Timestamp, Signature) and sends it, form-encoded, or as JSON when the body is
JSON (the publish). So signing and transport are the SDK's; only the paths and parameters,
RongCloud's documented ones, are written here.

Usage: ultragroup_api.py HOST_URL APP_KEY APP_SECRET PHASE
Prints one JSON object per call, `{"step": name, "result": <the answer>}`; the Rust test that
runs it (tests/python_ultragroup.rs) checks the answers and what clients observe between
phases.
"""

import json
import sys
import urllib.parse

from rongcloud.module import Module
from rongcloud.rongcloud import RongCloud


def main():
    host_url, app_key, app_secret, phase = sys.argv[1:5]
    rc = RongCloud(app_key, app_secret, host_url=host_url)
    sdk = Module(rc)

    def step(name, result):
        # Answers of HTTP errors come back as raw bytes: keep them readable.
        if isinstance(result, bytes):
            result = {"raw": result.decode("utf-8", "replace")}
        print(json.dumps({"step": name, "result": result}, ensure_ascii=False), flush=True)

    def form(path, params):
        return sdk._http_post(path, urllib.parse.urlencode(params))

    def publish(channel, text):
        body = {
            "fromUserId": "alice",
            "toGroupIds": ["ug"],
            "busChannel": channel,
            "objectName": "RC:TxtMsg",
            "content": json.dumps({"content": text}),
        }
        return sdk._http_post("/message/ultragroup/publish.json", json.dumps(body))

    if phase == "setup":
        step("create", form("/ultragroup/create.json",
                            [("userId", "alice"), ("groupId", "ug"), ("groupName", "Guild")]))
        step("join_bob", form("/ultragroup/join.json", [("userId", "bob"), ("groupId", "ug")]))
        step("join_carol",
             form("/ultragroup/join.json", [("userId", "carol"), ("groupId", "ug")]))
        step("channel_general", form("/ultragroup/channel/create.json",
                                     [("groupId", "ug"), ("busChannel", "general"),
                                      ("type", "0")]))
        step("channel_staff", form("/ultragroup/channel/create.json",
                                   [("groupId", "ug"), ("busChannel", "staff"), ("type", "1")]))
        step("private_add", form("/ultragroup/channel/private/users/add.json",
                                 [("groupId", "ug"), ("busChannel", "staff"),
                                  ("userIds", "alice,bob")]))
        step("private_get", form("/ultragroup/channel/private/users/get.json",
                                 [("groupId", "ug"), ("busChannel", "staff"), ("page", "1"),
                                  ("pageSize", "50")]))
        step("channels", form("/ultragroup/channel/get.json",
                              [("groupId", "ug"), ("page", "1"), ("limit", "20")]))
        step("exist_carol", form("/ultragroup/member/exist.json",
                                 [("groupId", "ug"), ("userId", "carol")]))
        step("exist_dave", form("/ultragroup/member/exist.json",
                                [("groupId", "ug"), ("userId", "dave")]))
    elif phase == "publish":
        step("publish_staff", publish("staff", "staff only"))
        step("publish_general", publish("general", "hello all"))
    elif phase == "teardown":
        step("mute_carol", form("/ultragroup/userbanned/add.json",
                                [("groupId", "ug"), ("userIds", "carol")]))
        step("muted", form("/ultragroup/userbanned/get.json", [("groupId", "ug")]))
        step("level_set", form("/ultragroup/notdisturb/set.json",
                               [("groupId", "ug"), ("busChannel", "general"),
                                ("unpushLevel", "1")]))
        step("level_get", form("/ultragroup/notdisturb/get.json",
                               [("groupId", "ug"), ("busChannel", "general")]))
        step("missing_group", form("/ultragroup/channel/get.json", [("groupId", "nope")]))
        step("dismiss", form("/ultragroup/dis.json", [("groupId", "ug")]))
        step("exist_after", form("/ultragroup/member/exist.json",
                                 [("groupId", "ug"), ("userId", "alice")]))
    else:
        sys.exit("unknown phase " + phase)


if __name__ == "__main__":
    main()
