#!/usr/bin/env python3
"""An outside client of `deai serve`, written from the documentation alone.

Written only from docs/API.md ("Paid inference", "An inference server"), docs/TRANSACTIONS.md ("Inference:
vouchers, receipts and evidence", the codec and the transaction layout), docs/PROTOCOL.md (hashing, key files,
state values and proofs), docs/openapi-serve.yaml and docs/openapi.yaml, never from the Swift sources, so that a
disagreement points at the documentation or the code. Against a live node and inference server on 127.0.0.1 it:

  1. reads the server's catalog (GET /v1/models): the model, the chain, the price, the server's account;
  2. opens a payment channel on chain itself: builds, signs and submits `open_channel` (tag 33) from the client's
     unencrypted key file (PROTOCOL.md section 11), waits for its receipt, finds the channel the client opened and
     reads it back (GET /v1/channels/{id}, and with ?prove=true rebuilds the channel's state value and its proof);
  3. buys predictions for rows of a CSV (the label column dropped), each request paid with a voucher it signs
     itself (`DeAI-Voucher: CHANNEL:AMOUNT:SIGNATURE`, cumulative amounts), and checks each answer: what it was
     charged, the receipt's signature under the server's key over the documented signing bytes, the receipt's
     `input` = HT("deai/inference-input", InferenceRows) of the rows it sent, and the covered amount;
  4. checks the refusals: a replayed voucher, a voucher with a bad signature on a fresh channel (and that channel
     refused for good after), a voucher above the deposit, a request with no voucher: each a 402 payment_required
     with a reason, none charged;
  5. waits for the server's claims and checks that the channel's `claimed` is what it paid.

Prints one line per check, "PASS <what>" or "FAIL <what>: <why>" (and "INFO" lines that are not checks), and exits
1 if any check failed. Dependencies: `cryptography` and `bech32` (python3 -m pip install cryptography bech32); it
reuses the codec and hashing helpers of check_protocol.py (written from the docs too).

Run against a devnet (`deai devnet --keep-running` prints the node URL and writes the home with keys `server` and
`client` and the test rows), with the server started as it prints, e.g. on port 8811 with --claim-interval 5:

    python3 conformance/serve_client.py --node http://127.0.0.1:PORT --server http://127.0.0.1:8811 \\
        --key /tmp/dnpy/home/keys/client.json --rows /tmp/dnpy/test-rows.csv --target label
"""

import argparse
import csv
import json
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_protocol import (  # noqa: E402  (the codec, hashing and key helpers, from the docs)
    H, HT, TX_PREFIX, address_of, decode_address, digest, encode_address, hx, key, leaf_hash, optional,
    proof_root, public_key_of, sign, signature_valid, string, u32, u64, u8, uvarint,
)

VOUCHER_PREFIX = b"DEAI/VOUCHER/V1\x00"     # TRANSACTIONS.md, "Inference: vouchers, receipts and evidence"
ANSWER_PREFIX = b"DEAI/ANSWER/V1\x00"
OPEN_CHANNEL_TAG = 33                      # TRANSACTIONS.md, "Payloads"
EXPIRY_MARGIN = 10                         # API.md: a channel within 10 blocks of its expiry is refused


# ------------------------------------------------------------------------------------------------------------
# Reporting

class Failure(Exception):
    pass


def require(condition, why):
    if not condition:
        raise Failure(why)


def require_eq(actual, expected, label):
    if actual != expected:
        show = lambda v: v.hex() if isinstance(v, (bytes, bytearray)) else repr(v)  # noqa: E731
        raise Failure(f"{label} is {show(actual)}, expected {show(expected)}")


class Report:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, what, fn):
        """Run fn(); a check passes unless it raises. Returns fn's value, or None when it failed."""
        try:
            value = fn()
        except Failure as failure:
            self.fail(what, str(failure))
            return None
        except Exception as error:  # a crash in a check is a failed check
            self.fail(what, f"{type(error).__name__}: {error}")
            return None
        self.passed += 1
        print(f"PASS {what}", flush=True)
        return value

    def fail(self, what, why):
        self.failed += 1
        print(f"FAIL {what}: {why}", flush=True)


def info(text):
    print(f"INFO {text}", flush=True)


# ------------------------------------------------------------------------------------------------------------
# HTTP (API.md "Conventions": JSON bodies, every error {"error": {"code", "name", "message"}})

class HTTPAnswer:
    def __init__(self, status, body, headers):
        self.status, self.body, self.headers = status, body, headers

    @property
    def error(self):
        return self.body.get("error", {}) if isinstance(self.body, dict) else {}

    def __repr__(self):
        return f"{self.status} {json.dumps(self.body)[:300]}"


def request(method, url, body=None, headers=None, timeout=70):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:
            status, raw, hdrs = answer.status, answer.read(), answer.headers
    except urllib.error.HTTPError as error:
        status, raw, hdrs = error.code, error.read(), error.headers
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode("utf-8", "replace")
    return HTTPAnswer(status, parsed, hdrs)


def get_ok(url):
    answer = request("GET", url)
    require(answer.status == 200, f"GET {url}: {answer}")
    return answer.body


def loopback_only(url):
    host = urllib.parse.urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"refusing {url}: this client talks to 127.0.0.1 only")
    return url.rstrip("/")


# ------------------------------------------------------------------------------------------------------------
# The documented bytes

def read_key_file(path):
    """PROTOCOL.md section 11 and TRANSACTIONS.md "Keys and addresses": an unencrypted key file holds the seed."""
    f = json.loads(Path(path).read_text())
    require_eq(f.get("version"), 1, "key file version")
    require("seed" in f and "encryption" not in f, "the key file is encrypted (this client reads unencrypted ones)")
    seed = hx(f["seed"])
    require_eq(public_key_of(seed), hx(f["public_key"]), "public key of the seed")
    require_eq(encode_address(address_of(public_key_of(seed))), f["address"], "address of the key")
    return seed, f["address"]


def open_channel_transaction(seed, chain_id, nonce, fee, server, task_id, version, deposit, price, expires_at):
    """TRANSACTIONS.md: body = string(chain_id) ‖ key ‖ u64(nonce) ‖ u64(fee) ‖ payload ‖ string(memo);
    open_channel (33) = server: address, task_id: u64, version: u32, deposit: u64, price_per_row: u64,
    expires_at: u64; signature = Ed25519(seed, "DEAI/TX/V1\\0" ‖ body)."""
    payload = (u8(OPEN_CHANNEL_TAG) + decode_address(server) + u64(task_id) + u32(version) + u64(deposit)
               + u64(price) + u64(expires_at))
    body = string(chain_id) + key(public_key_of(seed)) + u64(nonce) + u64(fee) + payload + string("")
    return body + sign(seed, TX_PREFIX + body)


def voucher_bytes(chain_id, channel_id, amount):
    return VOUCHER_PREFIX + string(chain_id) + u64(channel_id) + u64(amount)


def voucher_header(seed, chain_id, channel_id, amount, corrupt=False):
    sig = bytearray(sign(seed, voucher_bytes(chain_id, channel_id, amount)))
    if corrupt:
        sig[0] ^= 0x01
    return {"DeAI-Voucher": f"{channel_id}:{amount}:{bytes(sig).hex()}"}


def inference_rows(rows):
    """InferenceRows = u64(row count) ‖ u64(width) ‖ for each row, for each value: u64(IEEE-754 binary64 bits)."""
    width = len(rows[0]) if rows else 0
    out = bytearray(u64(len(rows)) + u64(width))
    for row in rows:
        for value in row:
            out += u64(struct.unpack("<Q", struct.pack("<d", value))[0])
    return bytes(out)


def input_hash(rows):
    return HT("deai/inference-input", inference_rows(rows))


def receipt_signing_bytes(chain_id, r):
    return (ANSWER_PREFIX + string(chain_id) + u64(r["task_id"]) + u32(r["version"]) + digest(hx(r["model"]))
            + digest(hx(r["input"])) + digest(hx(r["output"])))


def output_hash_from_answer(classes, probabilities):
    """TRANSACTIONS.md: row count and class count as u32 LE, then per row its class (u32 LE) and its
    probabilities' float32 bits (LE, NaN as 7fc00000), hashed with HT("deai/inference-output", …)."""
    class_count = len(probabilities[0]) if probabilities else 0
    out = bytearray(struct.pack("<II", len(classes), class_count))
    for c, row in zip(classes, probabilities):
        out += struct.pack("<I", c)
        for p in row:
            out += b"\x00\x00\xc0\x7f" if p != p else struct.pack("<f", p)
    return HT("deai/inference-output", bytes(out))


def channel_value(view):
    """PROTOCOL.md section 10: the payment channel's state value."""
    closed = view.get("closed_at")
    return (u64(view["id"]) + decode_address(view["client"]) + key(hx(view["client_key"]))
            + decode_address(view["server"]) + u64(view["task_id"]) + u32(view["version"]) + u64(view["deposit"])
            + u64(view["claimed"]) + u64(view["price_per_row"]) + u64(view["expires_at"])
            + optional(closed, u64))


def channel_key(channel_id):
    return b"\x0d" + channel_id.to_bytes(8, "big")


# ------------------------------------------------------------------------------------------------------------
# The client

class Client:
    def __init__(self, args, rep):
        self.args, self.rep = args, rep
        self.node, self.server = loopback_only(args.node), loopback_only(args.server)
        self.paid = {}            # channel id -> cumulative amount signed and accepted

    # -- the chain -------------------------------------------------------------------------------------------

    def submit_and_wait(self, tx):
        answer = request("POST", f"{self.node}/v1/txs?wait=true&wait_timeout_ms=30000", {"tx": tx.hex()})
        tx_hash = HT("deai/tx", tx).hex()
        require(answer.status in (200, 202), f"POST /v1/txs: {answer}")
        require_eq(answer.body.get("hash"), tx_hash, "hash the node gave the transaction")
        receipt = answer.body.get("receipt")
        deadline = time.monotonic() + 60
        while receipt is None and time.monotonic() < deadline:   # 202 without a receipt: query it later
            time.sleep(0.5)
            got = request("GET", f"{self.node}/v1/txs/{tx_hash}")
            if got.status == 200:
                receipt = got.body["receipt"]
        require(receipt is not None, "the transaction was not committed within a minute")
        require(receipt["success"], f"the receipt failed: {receipt}")
        return tx_hash, receipt

    def open_channel(self, deposit, label):
        """Build, sign and submit open_channel; return the new channel's view."""
        a, chain_id = self.args, self.chain_id
        account = get_ok(f"{self.node}/v1/accounts/{self.client_address}")
        fee = get_ok(f"{self.node}/v1/params")["parameters"]["minimum_fee"]
        height = get_ok(f"{self.node}/v1/status")["height"]
        before = {c["id"] for c in get_ok(f"{self.node}/v1/accounts/{self.client_address}/channels")["channels"]}
        expires_at = height + a.expiry_blocks
        tx = open_channel_transaction(self.seed, chain_id, account["next_nonce"], fee, self.server_address,
                                      self.model["task_id"], self.model["version"], deposit, self.price, expires_at)
        tx_hash, receipt = self.submit_and_wait(tx)
        committed = get_ok(f"{self.node}/v1/txs/{tx_hash}")
        require_eq(committed["encoding"], tx.hex(), "committed encoding")
        require_eq(committed["payload"].get("type"), "open_channel", "payload.type")
        after = get_ok(f"{self.node}/v1/accounts/{self.client_address}/channels")["channels"]
        new = [c for c in after if c["id"] not in before and c["client"] == self.client_address]
        require(len(new) == 1, f"expected one new channel of the client, found {new}")
        view = get_ok(f"{self.node}/v1/channels/{new[0]['id']}")
        expected = {"client": self.client_address, "client_key": public_key_of(self.seed).hex(),
                    "server": self.server_address, "task_id": self.model["task_id"],
                    "version": self.model["version"], "deposit": deposit, "claimed": 0, "unclaimed": deposit,
                    "price_per_row": self.price, "expires_at": expires_at, "status": "open"}
        for name, value in expected.items():
            require_eq(view.get(name), value, f"channel {view['id']} {name}")
        balance = get_ok(f"{self.node}/v1/accounts/{self.client_address}")["balance"]
        require_eq(account["balance"] - balance, deposit + receipt["fee"], "balance taken (deposit + fee)")
        print(f"INFO {label}: channel {view['id']} opened by tx {tx_hash[:16]}… at height {receipt['height']}, "
              f"deposit {deposit}, expires at {expires_at}", flush=True)
        return view

    def check_channel_proof(self, channel_id):
        view = get_ok(f"{self.node}/v1/channels/{channel_id}?prove=true")
        proof = view["proof"]
        inner = proof["proof"]
        require_eq(hx(inner["key"]), channel_key(channel_id), "proof key")
        match = inner.get("match")
        require(match is not None, "the proof proves no value")
        require_eq(hx(match["value"]), channel_value(view), "proven value vs the view's fields re-encoded")
        leaf = leaf_hash(uvarint(len(hx(match["key"]))) + hx(match["key"]) + uvarint(len(hx(match["value"])))
                         + hx(match["value"]))
        root = proof_root(match["leaf_index"], inner["leaf_count"], [hx(p) for p in match["path"]], leaf)
        require_eq(root, hx(proof["state_root"]), "root the proof leads to")
        require_eq(proof["header"]["state_root"], proof["state_root"], "header's state root")

    # -- the server ------------------------------------------------------------------------------------------

    def predict(self, rows, headers):
        return request("POST", f"{self.server}/v1/models/{self.model['id']}/predict", {"inputs": rows}, headers)

    def pay_and_predict(self, channel_id, rows):
        """A paid request: a voucher for what was paid so far plus these rows; checks the answer fully."""
        amount = self.paid.get(channel_id, 0) + self.price * len(rows)
        answer = self.predict(rows, voucher_header(self.seed, self.chain_id, channel_id, amount))
        require(answer.status == 200, f"predict: {answer}")
        body = answer.body
        require_eq(body.get("charged"), self.price * len(rows), "charged")
        require_eq(body.get("channel_id"), channel_id, "channel_id")
        require_eq(body.get("model"), self.model["id"], "model")
        require_eq(len(body["classes"]), len(rows), "number of classes")
        require_eq(len(body["probabilities"]), len(rows), "number of probability rows")
        for c, p in zip(body["classes"], body["probabilities"]):
            require(abs(sum(p) - 1) < 1e-3, f"probabilities {p} do not sum to 1")
            require_eq(c, max(range(len(p)), key=lambda i: p[i]), "class = the most probable")
        if "labels" in body and self.model.get("labels"):
            require_eq(body["labels"], [self.model["labels"][c] for c in body["classes"]], "labels")
        r = body["receipt"]
        server_key = hx(r["server"])
        require_eq(encode_address(address_of(server_key)), self.server_address,
                   "address of the receipt's server key vs the catalog's server")
        require_eq((r["task_id"], r["version"], r["model"]),
                   (self.model["task_id"], self.model["version"], self.model["model"]), "receipt's model")
        require(signature_valid(server_key, hx(r["signature"]), receipt_signing_bytes(self.chain_id, r)),
                "the receipt's signature does not verify over the documented signing bytes")
        require_eq(r["input"], input_hash(rows).hex(), "receipt input vs HT(deai/inference-input, rows sent)")
        self.paid[channel_id] = amount
        return body

    def covered(self, channel_id):
        return get_ok(f"{self.server}/v1/channels/{channel_id}/covered")

    def expect_402(self, answer, wanted_words=()):
        require_eq(answer.status, 402, f"status ({answer})")
        require_eq(answer.error.get("name"), "payment_required", "error name")
        require_eq(answer.error.get("code"), 1108, "error code")
        message = answer.error.get("message", "")
        require(message.strip(), "the refusal gives no reason")
        print(f"INFO   reason: {message}", flush=True)
        return message

    # -- the run ---------------------------------------------------------------------------------------------

    def run(self):
        rep, a = self.rep, self.args

        # 1. The catalog.
        def catalog():
            m = get_ok(f"{self.server}/v1/models")
            for field in ("server", "chain_id", "price_per_row", "models"):
                require(field in m, f"GET /v1/models has no {field}")
            status = get_ok(f"{self.node}/v1/status")
            require_eq(m["chain_id"], status["chain_id"], "server's chain vs the node's")
            decode_address(m["server"])
            require(m["models"], "the server serves no model")
            chosen = [x for x in m["models"] if a.model in (None, x["id"])]
            require(chosen, f"model {a.model} not served: {[x['id'] for x in m['models']]}")
            model = max(chosen, key=lambda x: (x["task_id"], x["version"]))
            require_eq(model["id"], f"{model['task_id']}.{model['version']}", "model id TASK.VERSION")
            require(m["price_per_row"] > 0, "the server is free: nothing to pay")
            return m, model
        got = rep.check("GET /v1/models: chain, server, price and a model", catalog)
        if got is None:
            return
        catalog_view, self.model = got
        self.chain_id, self.server_address, self.price = (catalog_view["chain_id"], catalog_view["server"],
                                                          catalog_view["price_per_row"])
        info(f"server {self.server_address} on {self.chain_id}, model {self.model['id']} "
             f"(weights {self.model['model'][:16]}…, width {self.model['row_width']}), {self.price} per row")
        rep.check("the catalog's model is the task's version on chain (GET /v1/tasks/{id}/models/{version})",
                  lambda: require_eq(get_ok(f"{self.node}/v1/tasks/{self.model['task_id']}/models/"
                                            f"{self.model['version']}")["model"], self.model["model"], "weights hash"))
        rep.check("the server is bonded and accepts channels (GET /v1/servers/{address})",
                  lambda: require(get_ok(f"{self.node}/v1/servers/{self.server_address}")["accepts_channels"],
                                  "accepts_channels is false"))

        # The rows: every column but the target, as numbers.
        def load_rows():
            with open(a.rows, newline="") as f:
                reader = csv.reader(f)
                header = next(reader)
                drop = header.index(a.target)
                rows = [[float(v) for i, v in enumerate(line) if i != drop] for line in reader if line]
            require(rows, "no rows")
            require_eq(len(rows[0]), self.model["row_width"], "features per row vs the model's row_width")
            return rows
        rows = rep.check(f"read {a.rows} without its '{a.target}' column", load_rows)
        if rows is None:
            return

        # 2. The key and the channel.
        got = rep.check("the client's key file: seed, public key and address agree", lambda: read_key_file(a.key))
        if got is None:
            return
        self.seed, self.client_address = got
        channel = rep.check("open_channel built, signed and committed; GET /v1/channels/{id} reads it back",
                            lambda: self.open_channel(a.deposit, "main"))
        if channel is None:
            return
        cid = channel["id"]
        rep.check("GET /v1/channels/{id}?prove=true: the proven value is the view re-encoded, the proof leads "
                  "to the state root", lambda: self.check_channel_proof(cid))

        # 3. Paid predictions, cumulative vouchers.
        batches, at = [], 0
        for n in a.batches:
            if at + n > len(rows):
                break
            batches.append(rows[at:at + n])
            at += n
        outputs_match = 0
        for i, batch in enumerate(batches, 1):
            body = rep.check(f"predict #{i}: {len(batch)} rows paid with a voucher for "
                             f"{self.paid.get(cid, 0) + self.price * len(batch)}: charged, receipt signature, "
                             f"input hash", lambda: self.pay_and_predict(cid, batch))
            if body is not None and output_hash_from_answer(body["classes"], body["probabilities"]).hex() \
                    == body["receipt"]["output"]:
                outputs_match += 1
        info(f"{outputs_match} of {len(batches)} receipts' output hash recomputed from the answer's JSON "
             f"(float32 of the probabilities; the docs hash the fixed-order path, which JSON need not show)")
        rep.check("GET /v1/channels/{id}/covered is the cumulative amount paid",
                  lambda: require_eq(self.covered(cid).get("covered"), self.paid.get(cid), "covered"))

        # 4. Refusals, none of them charged.
        spare = rows[at:at + 1] or rows[:1]
        last = self.paid.get(cid, 0)
        rep.check("a replayed voucher (the last amount again) is a 402 with a reason",
                  lambda: self.expect_402(self.predict(spare, voucher_header(self.seed, self.chain_id, cid, last))))
        rep.check("a voucher above the deposit is a 402 with a reason",
                  lambda: self.expect_402(self.predict(spare, voucher_header(self.seed, self.chain_id, cid,
                                                                             a.deposit + self.price))))
        rep.check("a request with no voucher is a 402 with a reason",
                  lambda: self.expect_402(self.predict(spare, {})))
        rep.check("a voucher that does not parse is a 402 with a reason",
                  lambda: self.expect_402(self.predict(spare, {"DeAI-Voucher": f"{cid}:{last + 1}:zz"})))
        rep.check("after the refusals, covered is unchanged",
                  lambda: require_eq(self.covered(cid).get("covered"), last, "covered"))
        rep.check("the channel still serves after the refusals (next cumulative voucher accepted)",
                  lambda: self.pay_and_predict(cid, spare))

        fresh = rep.check("a second channel opened on chain for the bad-signature case",
                          lambda: self.open_channel(a.price_rows_fresh * self.price, "fresh"))
        if fresh is not None:
            fid = fresh["id"]
            rep.check("a voucher with a bad signature on a fresh channel is a 402 with a reason",
                      lambda: self.expect_402(self.predict(spare, voucher_header(self.seed, self.chain_id, fid,
                                                                                 self.price, corrupt=True))))
            rep.check("that channel is then refused for good: a correctly signed voucher is a 402 too",
                      lambda: self.expect_402(self.predict(spare, voucher_header(self.seed, self.chain_id, fid,
                                                                                 2 * self.price))))

        # 5. The server's claims.
        def claimed():
            deadline = time.monotonic() + a.claim_wait
            view = None
            while time.monotonic() < deadline:
                view = get_ok(f"{self.node}/v1/channels/{cid}")
                if view["claimed"] == self.paid[cid]:
                    break
                time.sleep(1)
            require_eq(view["claimed"], self.paid[cid], f"claimed after {a.claim_wait} s")
            require_eq(view["unclaimed"], view["deposit"] - self.paid[cid], "unclaimed")
            return view
        rep.check(f"within {a.claim_wait} s the server claimed on chain exactly what was paid "
                  f"({self.paid.get(cid)})", claimed)
        if fresh is not None:
            rep.check("the bad-signature channel has nothing claimed",
                      lambda: require_eq(get_ok(f"{self.node}/v1/channels/{fresh['id']}")["claimed"], 0,
                                         "claimed"))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--node", required=True, help="the node's API, e.g. http://127.0.0.1:26657")
    p.add_argument("--server", default="http://127.0.0.1:8800", help="the inference server (deai serve)")
    p.add_argument("--key", required=True, help="the client's unencrypted key file (HOME/keys/NAME.json)")
    p.add_argument("--rows", required=True, help="CSV with a header row")
    p.add_argument("--target", default="label", help="the label column to drop")
    p.add_argument("--model", help="TASK.VERSION (default: the latest the server serves)")
    p.add_argument("--deposit", type=int, default=500)
    p.add_argument("--price-rows-fresh", type=int, default=20, help="the bad-signature channel's deposit, in rows")
    p.add_argument("--expiry-blocks", type=int, default=100000, help="expires_at = height + this")
    p.add_argument("--batches", type=lambda s: [int(x) for x in s.split(",")], default=[1, 3, 8, 20],
                   help="rows per paid request")
    p.add_argument("--claim-wait", type=float, default=90, help="seconds to wait for the server's claims")
    args = p.parse_args()
    rep = Report()
    Client(args, rep).run()
    print(f"{rep.passed} passed, {rep.failed} failed", flush=True)
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
