#!/usr/bin/env python3
"""Independent conformance checker for the DeAI protocol.

Written from the documentation only (docs/PROTOCOL.md, docs/TRANSACTIONS.md, docs/API.md, docs/CLI.md,
README.md and docs/protocol-vectors.json), never from the Swift sources, so that a disagreement between this
file and the node points at the documentation or the code, not at a shared bug.

    python3 conformance/check_protocol.py                      # part 1: every vector, offline
    python3 conformance/check_protocol.py --deai PATH/TO/deai  # part 2 as well: a live node

Prints one line per check, "ok  <what>" or "FAIL <what>: <why>", and exits 1 if any check failed.
Dependencies: the standard library, `cryptography` and `bech32` (python3 -m pip install cryptography bech32).
"""

import argparse
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import bech32
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

DOCS = Path(__file__).resolve().parent.parent / "docs"


# --------------------------------------------------------------------------------------------------------------
# Reporting

class CheckFailure(Exception):
    """A check that did not hold; the message says why."""


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, what, fn, *args):
        """Run fn(*args). It passes unless it raises; a CheckFailure's message is the reason."""
        try:
            fn(*args)
        except CheckFailure as failure:
            self._fail(what, str(failure))
        except Exception as error:  # a crash in a check is a failed check, not a crashed checker
            self._fail(what, f"{type(error).__name__}: {error}")
        else:
            self.passed += 1
            print(f"ok  {what}", flush=True)

    def _fail(self, what, why):
        self.failed += 1
        print(f"FAIL {what}: {why}", flush=True)


def require(condition, why):
    if not condition:
        raise CheckFailure(why)


def show(value):
    return value.hex() if isinstance(value, (bytes, bytearray)) else repr(value)


def require_eq(actual, expected, label="value"):
    if actual == expected:
        return
    if isinstance(actual, bytes) and isinstance(expected, bytes) and max(len(actual), len(expected)) > 40:
        at = next((i for i, (x, y) in enumerate(zip(actual, expected)) if x != y), min(len(actual), len(expected)))
        raise CheckFailure(f"{label} differs from byte {at} on (lengths {len(actual)} and {len(expected)}): "
                           f"...{actual[at:at + 16].hex()}... instead of ...{expected[at:at + 16].hex()}...")
    raise CheckFailure(f"{label} is {show(actual)}, expected {show(expected)}")


def hx(text):
    return bytes.fromhex(text)


# --------------------------------------------------------------------------------------------------------------
# The canonical codec (TRANSACTIONS.md, "The canonical codec")

def uvarint(n, bits=64):
    if not 0 <= n < (1 << bits):
        raise ValueError(f"{n} does not fit in u{bits}")
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def u64(n): return uvarint(n, 64)
def u32(n): return uvarint(n, 32)
def u16(n): return uvarint(n, 16)
def u8(n): return bytes([n])
def boolean(b): return b"\x01" if b else b"\x00"


def i64(n):
    if not -(1 << 63) <= n < (1 << 63):
        raise ValueError(f"{n} does not fit in i64")
    return u64(((n << 1) ^ (n >> 63)) & ((1 << 64) - 1))


def string(s): return blob(s.encode("utf-8"))
def blob(b): return uvarint(len(b)) + bytes(b)        # the codec's `bytes`


def fixed(b, n):
    if len(b) != n:
        raise ValueError(f"expected {n} bytes, got {len(b)}")
    return bytes(b)


def digest(b): return fixed(b, 32)
def address(b): return fixed(b, 20)
def key(b): return fixed(b, 32)
def signature(b): return fixed(b, 64)
def array(items, encode): return uvarint(len(items)) + b"".join(encode(x) for x in items)
def optional(value, encode): return b"\x00" if value is None else b"\x01" + encode(value)


class Reader:
    """A strict decoder: minimal varints, in-range values, 00/01 flags, valid UTF-8, no trailing bytes."""

    def __init__(self, data):
        self.data = bytes(data)
        self.pos = 0

    def take(self, n):
        if n > len(self.data) - self.pos:
            raise ValueError(f"{n} bytes wanted at offset {self.pos}, {len(self.data) - self.pos} left")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def uvarint(self, bits=64):
        start, value = self.pos, 0
        for i in range(10):
            byte = self.take(1)[0]
            value |= (byte & 0x7F) << (7 * i)
            if byte & 0x80 == 0:
                if i > 0 and byte == 0:
                    raise ValueError(f"non-minimal varint at offset {start}")
                if i == 9 and byte > 1:
                    raise ValueError(f"varint above 64 bits at offset {start}")
                break
        else:
            raise ValueError(f"varint longer than 10 bytes at offset {start}")
        if value >= 1 << bits:
            raise ValueError(f"{value} above u{bits} at offset {start}")
        return value

    def u64(self): return self.uvarint(64)
    def u32(self): return self.uvarint(32)
    def u16(self): return self.uvarint(16)
    def u8(self): return self.take(1)[0]

    def i64(self):
        z = self.u64()
        return (z >> 1) ^ -(z & 1)

    def flag(self):
        byte = self.u8()
        if byte > 1:
            raise ValueError(f"flag byte {byte:#04x} at offset {self.pos - 1}")
        return byte == 1

    def blob(self, limit=1 << 20):
        n = self.uvarint()
        if n > limit:
            raise ValueError(f"length {n} above the limit {limit}")
        return self.take(n)

    def string(self, limit=1 << 20):
        return self.blob(limit).decode("utf-8")  # strict: invalid UTF-8 raises

    def digest(self): return self.take(32)
    def address(self): return self.take(20)
    def key(self): return self.take(32)
    def signature(self): return self.take(64)

    def optional(self, decode):
        return decode() if self.flag() else None

    def array(self, decode, limit=1 << 20):
        n = self.uvarint()
        if n > limit:
            raise ValueError(f"count {n} above the limit {limit}")
        return [decode() for _ in range(n)]

    def end(self):
        if self.pos != len(self.data):
            raise ValueError(f"{len(self.data) - self.pos} trailing bytes at offset {self.pos}")


def decode_all(data, decode):
    """Decode one value that must use every byte."""
    reader = Reader(data)
    value = decode(reader)
    reader.end()
    return value


# --------------------------------------------------------------------------------------------------------------
# Hashing (PROTOCOL.md section 1)

def H(x):
    return hashlib.sha256(x).digest()


def HT(tag, x):
    t = tag.encode("utf-8")
    if len(t) > 255:
        raise ValueError("tag longer than 255 bytes")
    return H(bytes([len(t)]) + t + x)


TX_PREFIX = b"DEAI/TX/V1\x00"
VOTE_PREFIX = b"DEAI/VOTE/V2\x00"
PROPOSAL_PREFIX = b"DEAI/PROPOSAL/V1\x00"
EMPTY_ROOT = H(b"")


# --------------------------------------------------------------------------------------------------------------
# Merkle trees (PROTOCOL.md section 5)

def leaf_hash(leaf): return H(b"\x00" + leaf)
def node_hash(left, right): return H(b"\x01" + left + right)


def root_of_leaf_hashes(hashes):
    """Bottom-up: pair neighbours from the left; an odd last node moves up unchanged."""
    if not hashes:
        return EMPTY_ROOT
    level = list(hashes)
    while len(level) > 1:
        up = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            up.append(level[-1])
        level = up
    return level[0]


def merkle_root(leaves):
    return root_of_leaf_hashes([leaf_hash(x) for x in leaves])


def rfc6962_root(leaves):
    """The recursive RFC 6962 definition, to cross-check the bottom-up one."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(rfc6962_root(leaves[:k]), rfc6962_root(leaves[k:]))


def proof_root(index, count, path, start):
    """The root an inclusion proof leads to, or None when the proof does not fit the tree."""
    if index >= count or len(path) > 64:
        return None
    r, pos, size, used = start, index, count, 0
    while size > 1:
        if pos % 2 == 1 or pos + 1 < size:
            if used == len(path):
                return None
            sibling = path[used]
            used += 1
            r = node_hash(sibling, r) if pos % 2 == 1 else node_hash(r, sibling)
        pos, size = pos // 2, (size + 1) // 2
    return r if used == len(path) else None


# --------------------------------------------------------------------------------------------------------------
# Keys, signatures, addresses (PROTOCOL.md section 2, TRANSACTIONS.md "Keys and addresses")

def public_key_of(seed):
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def sign(seed, message):
    return Ed25519PrivateKey.from_private_bytes(seed).sign(message)


def signature_valid(public_key, sig, message):
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(sig, message)
        return True
    except InvalidSignature:
        return False


def address_of(public_key):
    return H(public_key)[:20]


def encode_address(raw):
    return bech32.bech32_encode("deai", bech32.convertbits(address(raw), 8, 5, True))


def decode_address(text):
    hrp, data = bech32.bech32_decode(text)
    if hrp != "deai":
        raise ValueError(f"{text!r} is not a bech32 deai address")
    raw = bech32.convertbits(data, 5, 8, False)
    if raw is None or len(raw) != 20:
        raise ValueError(f"{text!r} does not hold 20 bytes")
    return bytes(raw)


# --------------------------------------------------------------------------------------------------------------
# Transactions (TRANSACTIONS.md): a table of payload layouts drives both the encoder and the decoder.

ASSESSMENT = [("score", "i64"), ("harm", "i64"), ("harm_error", "i64"), ("excluded", "bool")]
TASK_SPEC = [
    ("name", "string:64"), ("model_spec", "string:4096"), ("data_schema", "string:256"),
    ("initial_model", "digest"), ("rounds", "u32"), ("participants_per_round", "u32"),
    ("enrollment_blocks", "u32"), ("update_blocks", "u32"), ("score_blocks", "u32"), ("reveal_blocks", "u32"),
    ("attest_blocks", "u32"), ("reward_pool", "u64"), ("aggregation_rule", "string:32"),
    ("minimum_stake", "u64"), ("evaluator_share_basis_points", "u16"), ("slash_basis_points", "u16"),
    ("reveal_deposit", "u64"), ("minimum_evaluators", "u32"), ("minimum_accepted", "u32"),
    ("harm_tolerance", "i64"), ("harm_confidence_hundredths", "u16"), ("regression_tolerance", "i64"),
    ("regression_confidence_hundredths", "u16"), ("full_reward_improvement", "i64"),
    ("training_settings", "string:1024"), ("evaluation_settings", "string:1024"),
    ("privacy", "optional:privacy_terms"), ("sealed_updates", "bool"),
]
PRIVACY_TERMS = [
    ("clipping_norm_millionths", "u64"), ("noise_multiplier_millionths", "u64"), ("sampling_rate_millionths", "u32"),
    ("steps_per_round", "u32"), ("epsilon_millionths", "u64"), ("delta_femtos", "u64"),
    ("order_tenths", "array:256:u16"), ("round_rdp", "array:256:u64"), ("conversion", "array:256:i64"),
]
PARAMETER_CHANGE = [("name", "string:64"), ("value", "u64")]
PROPOSAL_KINDS = {
    1: ("text", [("title", "string:140"), ("description", "string:4096")]),
    2: ("parameter_change", [("title", "string:140"), ("changes", "array:32:parameter_change")]),
    3: ("treasury_spend", [("title", "string:140"), ("recipient", "address"), ("amount", "u64")]),
}
# PROTOCOL.md section 6: a signed vote is vote ‖ signature; duplicate-vote evidence is two of them.
SIGNED_VOTE = [("kind", "u8"), ("chain_id", "string:64"), ("height", "u64"), ("round", "u32"),
               ("block_hash", "optional:digest"), ("validator", "address"), ("signature", "signature")]
EVIDENCE = [("first", "signed_vote"), ("second", "signed_vote")]
STRUCTS = {"assessment": ASSESSMENT, "task_spec": TASK_SPEC, "privacy_terms": PRIVACY_TERMS,
           "parameter_change": PARAMETER_CHANGE,
           "signed_vote": SIGNED_VOTE, "evidence": EVIDENCE}

PAYLOADS = {
    1: ("transfer", [("to", "address"), ("amount", "u64")]),
    2: ("create_validator", [("consensus_key", "key"), ("stake", "u64"), ("commission_basis_points", "u16"),
                             ("moniker", "string:64")]),
    3: ("stake", [("amount", "u64")]),
    4: ("unstake", [("amount", "u64")]),
    5: ("delegate", [("validator", "address"), ("amount", "u64")]),
    6: ("undelegate", [("validator", "address"), ("amount", "u64")]),
    7: ("submit_proposal", [("content", "proposal_content"), ("deposit", "u64")]),
    8: ("deposit", [("proposal_id", "u64"), ("amount", "u64")]),
    9: ("vote", [("proposal_id", "u64"), ("option", "u8")]),
    10: ("report_double_sign", [("evidence", "evidence")]),   # PROTOCOL.md section 6 (TRANSACTIONS.md omits it)
    18: ("leave_task", [("task_id", "u64")]),
    39: ("join_task", [("task_id", "u64"), ("role", "u8"), ("stake", "u64"), ("data_commitment", "optional:digest"),
                       ("sealing_key", "optional:key")]),
    24: ("commit_update", [("task_id", "u64"), ("round", "u32"), ("commitment", "digest")]),
    25: ("reveal_update", [("task_id", "u64"), ("round", "u32"), ("blob", "digest"), ("sample_count", "u64"),
                          ("salt", "salt")]),
    26: ("commit_scores", [("task_id", "u64"), ("round", "u32"), ("commitment", "digest")]),
    27: ("reveal_scores", [("task_id", "u64"), ("round", "u32"), ("assessments", "array:1000:assessment"),
                          ("salt", "salt")]),
    29: ("attest_model", [("task_id", "u64"), ("round", "u32"), ("model", "digest"), ("metric_basis_points", "u16"),
                         ("improvement", "i64"), ("improvement_error", "i64")]),
    38: ("create_task", [("spec", "task_spec")]),
}
PAYLOAD_TAGS = {name: tag for tag, (name, _) in PAYLOADS.items()}


def encode_field(kind, value):
    base, _, rest = kind.partition(":")
    if base in ("u64", "u32", "u16"):
        return uvarint(value, int(base[1:]))
    simple = {"u8": u8, "i64": i64, "bool": boolean, "digest": digest, "address": address, "key": key,
              "signature": signature, "salt": lambda b: fixed(b, 32)}
    if base in simple:
        return simple[base](value)
    if base == "string":
        return string(value)
    if base == "optional":
        return optional(value, lambda v: encode_field(rest, v))
    if base == "array":
        return array(value, lambda v: encode_field(rest.partition(":")[2], v))
    if base in STRUCTS:
        return encode_struct(STRUCTS[base], value)
    if base == "proposal_content":
        kind_byte = next(k for k, (name, _) in PROPOSAL_KINDS.items() if name == value["kind"])
        return u8(kind_byte) + encode_struct(PROPOSAL_KINDS[kind_byte][1], value)
    raise ValueError(f"unknown field type {kind}")


def decode_field(kind, r):
    base, _, rest = kind.partition(":")
    if base in ("u64", "u32", "u16"):
        return r.uvarint(int(base[1:]))
    simple = {"u8": r.u8, "i64": r.i64, "bool": r.flag, "digest": r.digest, "address": r.address, "key": r.key,
              "signature": r.signature, "salt": lambda: r.take(32)}
    if base in simple:
        return simple[base]()
    if base == "string":
        return r.string(int(rest) if rest else 1 << 20)
    if base == "optional":
        return r.optional(lambda: decode_field(rest, r))
    if base == "array":
        limit, _, element = rest.partition(":")
        return r.array(lambda: decode_field(element, r), int(limit))
    if base in STRUCTS:
        return decode_struct(STRUCTS[base], r)
    if base == "proposal_content":
        kind_byte = r.u8()
        if kind_byte not in PROPOSAL_KINDS:
            raise ValueError(f"unknown proposal kind {kind_byte}")
        name, fields = PROPOSAL_KINDS[kind_byte]
        return {"kind": name, **decode_struct(fields, r)}
    raise ValueError(f"unknown field type {kind}")


def encode_struct(fields, values):
    return b"".join(encode_field(kind, values[name]) for name, kind in fields)


def decode_struct(fields, r):
    return {name: decode_field(kind, r) for name, kind in fields}


def encode_body(tx):
    """tx: {chain_id, sender (32 bytes), nonce, fee, payload: {type, ...fields}, memo}."""
    tag = PAYLOAD_TAGS[tx["payload"]["type"]]
    return (string(tx["chain_id"]) + key(tx["sender"]) + u64(tx["nonce"]) + u64(tx["fee"]) + u8(tag)
            + encode_struct(PAYLOADS[tag][1], tx["payload"]) + string(tx["memo"]))


def decode_body(r):
    chain_id = r.string(64)
    sender, nonce, fee = r.key(), r.u64(), r.u64()
    tag = r.u8()
    if tag not in PAYLOADS:
        raise ValueError(f"unknown payload tag {tag}")
    name, fields = PAYLOADS[tag]
    payload = {"type": name, **decode_struct(fields, r)}
    return {"chain_id": chain_id, "sender": sender, "nonce": nonce, "fee": fee, "payload": payload,
            "memo": r.string()}


def split_transaction(encoding):
    """A transaction is body ‖ signature: the body is all but the last 64 bytes."""
    if len(encoding) < 64:
        raise ValueError("shorter than a signature")
    return encoding[:-64], encoding[-64:]


def tx_hash(encoding):
    return HT("deai/tx", encoding)


def sign_transaction(seed, tx):
    body = encode_body(tx)
    return body + sign(seed, TX_PREFIX + body)


# --------------------------------------------------------------------------------------------------------------
# Blocks, receipts, commits, votes, proposals (PROTOCOL.md sections 4 and 6). JSON in, bytes out.

def encode_commit(c):
    def one(s):
        return address(decode_address(s["validator"])) + signature(hx(s["signature"]))
    return u64(c["height"]) + u32(c["round"]) + digest(hx(c["block_hash"])) + array(c["signatures"], one)


def decode_commit(r):
    height, round_, block_hash = r.u64(), r.u32(), r.digest()
    sigs = r.array(lambda: {"validator": encode_address(r.address()), "signature": r.signature().hex()}, 10_000)
    return {"height": height, "round": round_, "block_hash": block_hash.hex(), "signatures": sigs}


HEADER_DIGESTS = ["previous_block_hash", "transactions_root", "state_root", "receipts_root"]


def encode_header(h):
    out = string(h["chain_id"]) + u64(h["height"]) + u64(h["time"])
    out += b"".join(digest(hx(h[name])) for name in HEADER_DIGESTS)
    out += address(decode_address(h["proposer"]))
    out += digest(hx(h["validator_set_hash"])) + digest(hx(h["next_validator_set_hash"]))
    return out + optional(h.get("last_commit"), encode_commit)   # absent or null at height 1


def decode_header(r):
    h = {"chain_id": r.string(64), "height": r.u64(), "time": r.u64()}
    for name in HEADER_DIGESTS:
        h[name] = r.digest().hex()
    h["proposer"] = encode_address(r.address())
    h["validator_set_hash"] = r.digest().hex()
    h["next_validator_set_hash"] = r.digest().hex()
    last_commit = r.optional(lambda: decode_commit(r))
    if last_commit is not None:
        h["last_commit"] = last_commit
    return h


def block_hash_of(header_json):
    return HT("deai/block", encode_header(header_json))


def encode_receipt_leaf(transaction_hash, height, index, code, fee):
    return digest(transaction_hash) + u64(height) + u32(index) + u16(code) + u64(fee)


def decode_receipt_leaf(r):
    return {"transaction_hash": r.digest(), "height": r.u64(), "index": r.u32(), "code": r.u16(), "fee": r.u64()}


VOTE_KINDS = {"prevote": 1, "precommit": 2}


def encode_vote(v):
    block = v.get("block_hash")
    return (u8(VOTE_KINDS[v["kind"]]) + string(v["chain_id"]) + u64(v["height"]) + u32(v["round"])
            + optional(hx(block) if block else None, digest) + address(decode_address(v["validator"])))


def precommit_signing_bytes(chain_id, height, round_, block_hash, validator_raw):
    return (VOTE_PREFIX + u8(2) + string(chain_id) + u64(height) + u32(round_) + b"\x01" + digest(block_hash)
            + address(validator_raw))


def proposal_signing_bytes(p, chain_id):
    return (PROPOSAL_PREFIX + string(chain_id) + u64(p["height"]) + u32(p["round"])
            + optional(p.get("valid_round"), u32) + digest(hx(p["block_hash"]))
            + address(decode_address(p["proposer"])))


# --------------------------------------------------------------------------------------------------------------
# Validator sets, commits' validity, proposer rotation (PROTOCOL.md sections 6, 7, 8)

def members_from_json(members):
    return [{"address": decode_address(m["address"]), "consensus_key": hx(m["consensus_key"]), "power": m["power"]}
            for m in members]


def encode_member(m):
    return address(m["address"]) + key(m["consensus_key"]) + u64(m["power"])


def set_hash(members):
    return merkle_root([encode_member(m) for m in sorted(members, key=lambda m: m["address"])])


def verify_commit(commit, chain_id, height, block_hash, members):
    """Commit.verify, as PROTOCOL.md section 6 lists it. Returns (signed power, total power)."""
    require_eq(commit["height"], height, "commit height")
    require_eq(hx(commit["block_hash"]), block_hash, "commit block_hash")
    by_address = {m["address"]: m for m in members}
    previous, signed = None, 0
    for entry in commit["signatures"]:
        validator = decode_address(entry["validator"])
        require(previous is None or previous < validator, "validators are not in strictly increasing order")
        previous = validator
        member = by_address.get(validator)
        require(member is not None, f"{entry['validator']} is not a member of the set")
        message = precommit_signing_bytes(chain_id, commit["height"], commit["round"], block_hash, validator)
        require(signature_valid(member["consensus_key"], hx(entry["signature"]), message),
                f"bad signature from {entry['validator']}")
        signed += member["power"]
    total = sum(m["power"] for m in members)
    require(signed * 3 > total * 2, f"signed power {signed} is not more than 2/3 of {total}")
    return signed, total


def proposer(members, height, round_):
    mask = (1 << 64) - 1
    ordered = sorted(members, key=lambda m: m["address"])
    total = sum(m["power"] for m in ordered)
    x = (((height + round_) & mask) * 0x9E3779B97F4A7C15) & mask
    point = (x * total) >> 64
    for m in ordered:
        if point < m["power"]:
            return m, x, (x * total) >> 64
        point -= m["power"]
    return None, x, None


# --------------------------------------------------------------------------------------------------------------
# State: keys, values, leaves and proofs (PROTOCOL.md section 10)

PARAMETER_ORDER = ["minimum_fee", "max_transaction_bytes", "max_memo_bytes", "max_block_transactions",
                   "block_reward", "treasury_share_basis_points", "unbonding_period", "max_validators",
                   "minimum_validator_stake", "proposal_minimum_deposit", "deposit_period", "voting_period",
                   "quorum_basis_points", "threshold_basis_points", "veto_basis_points",
                   "double_sign_slash_basis_points", "minimum_server_bond", "server_share_basis_points",
                   "forgery_slash_basis_points", "forgery_reporter_share_basis_points", "max_evidence_bytes"]


def account_key(raw_address):
    return b"\x01" + address(raw_address)


def decode_account(value):
    return decode_all(value, lambda r: {"balance": r.u64(), "nonce": r.u64()})


def state_leaf(key_bytes, value):
    return blob(key_bytes) + blob(value)


def state_leaf_hash(key_bytes, value):
    return leaf_hash(state_leaf(key_bytes, value))


def state_root(entries):
    """entries: {key bytes: value bytes}; one leaf per entry in ascending key order."""
    return merkle_root([state_leaf(k, entries[k]) for k in sorted(entries)])


def _leaf_leads_to(leaf, count, root):
    start = state_leaf_hash(hx(leaf["key"]), hx(leaf["value"]))
    return proof_root(leaf["leaf_index"], count, [hx(p) for p in leaf["path"]], start) == root


def verify_state_proof(proof, root, wanted_key):
    """StateProof.verify in the JSON shape of PROTOCOL.md; returns the proven value, or None for absence."""
    k = hx(proof["key"])
    require_eq(k, wanted_key, "proof key")
    count = proof["leaf_count"]
    match, left, right = proof.get("match"), proof.get("left"), proof.get("right")
    if match is not None:
        require_eq(hx(match["key"]), k, "match.key")
        require(_leaf_leads_to(match, count, root), "the matching leaf does not lead to the root")
        return hx(match["value"])
    if count == 0:
        require_eq(root, EMPTY_ROOT, "root of an empty state")
        return None
    require(left is not None or right is not None, "an absence proof with no neighbour")
    if left is not None:
        require(_leaf_leads_to(left, count, root), "the left neighbour does not lead to the root")
        require(hx(left["key"]) < k, "left.key is not below the key")
    else:
        require_eq(right["leaf_index"], 0, "right.leaf_index with no left neighbour")
    if right is not None:
        require(_leaf_leads_to(right, count, root), "the right neighbour does not lead to the root")
        require(k < hx(right["key"]), "right.key is not above the key")
    else:
        require_eq(left["leaf_index"], count - 1, "left.leaf_index with no right neighbour")
    if left is not None and right is not None:
        require_eq(right["leaf_index"], left["leaf_index"] + 1, "right.leaf_index")
    return None


def decode_state_record(data):
    """The application/octet-stream answer of GET /v1/state/{key}, turned into the JSON shapes."""
    def leaf(r):
        return {"key": r.blob(1024).hex(), "value": r.blob(64 << 20).hex(), "leaf_index": r.u64(),
                "leaf_count": r.u64(), "path": [p.hex() for p in r.array(r.digest, 64)]}

    def record(r):
        out = {"height": r.u64(), "value": r.optional(lambda: r.blob(64 << 20)), "state_root": r.digest(),
               "header": r.optional(lambda: decode_header(r))}
        proof = {"key": r.blob(1024).hex(), "leaf_count": r.u64()}
        for side in ("match", "left", "right"):
            found = r.optional(lambda: leaf(r))
            if found is not None:
                proof[side] = found
        out["proof"] = proof
        return out
    return decode_all(data, record)


# --------------------------------------------------------------------------------------------------------------
# Genesis hash (section 9) and encrypted key files (section 11)

def genesis_hash(chain_id, genesis_time, root):
    return HT("deai/genesis", string(chain_id) + u64(genesis_time) + digest(root))


def decrypt_key_file(file_json, passphrase):
    require_eq(file_json["version"], 1, "key file version")
    enc = file_json["encryption"]
    require_eq(enc["kdf"], "scrypt", "kdf")
    require_eq(enc["cipher"], "chacha20-poly1305", "cipher")
    n, r, p = (enc["kdf_parameters"][x] for x in ("n", "r", "p"))
    require(n >= 2 and n & (n - 1) == 0 and n <= 1 << 20 and 1 <= r <= 32 and 1 <= p <= 16,
            f"scrypt parameters out of range: n={n} r={r} p={p}")
    box = hx(enc["box"])
    derived = hashlib.scrypt(passphrase.encode("utf-8"), salt=hx(enc["salt"]), n=n, r=r, p=p, dklen=32,
                             maxmem=256 * 1024 * 1024)
    ad = decode_address(file_json["address"])
    return ChaCha20Poly1305(derived).decrypt(box[:12], box[12:], ad)


# ==============================================================================================================
# Part 1: the vectors of docs/protocol-vectors.json, and the worked examples of the documents

def part1(v, rep):
    keys = {name: hx(k["seed"]) for name, k in v["keys"].items()}
    vset = members_from_json(v["validator_set"]["members"])
    check_codec_examples(rep)
    check_hash_tags(rep)
    check_keys(v, rep)
    check_transactions(v, keys, rep)
    check_block(v, vset, rep)
    check_merkle(v, rep)
    check_votes(v, keys, rep)
    check_proposal(v, keys, vset, rep)
    check_validator_set(v, vset, rep)
    check_genesis(v, rep)
    check_state(v, rep)
    check_key_file(v, rep)
    check_peer_frames(v, keys, rep)
    check_transactions_md_examples(rep)
    check_api_md_example(v, keys, rep)


def check_codec_examples(rep):
    def encodings():
        for n, want in [(0, "00"), (127, "7f"), (128, "8001"), (300, "ac02"), ((1 << 64) - 1, "ffffffffffffffffff01")]:
            require_eq(u64(n).hex(), want, f"u64({n})")
            require_eq(decode_all(hx(want), Reader.u64), n, f"decoding {want}")
        for n, want in [(0, "00"), (-1, "01"), (1, "02"), (-7, "0d"), (-1234, "a313")]:
            require_eq(i64(n).hex(), want, f"i64({n})")
            require_eq(decode_all(hx(want), Reader.i64), n, f"decoding {want}")
        require_eq(string("hi").hex(), "026869", 'string("hi")')
        require_eq(array([], u64).hex(), "00", "[]")
    rep.check("codec: the examples of TRANSACTIONS.md encode and decode", encodings)

    def refusals():
        bad = [("8000", Reader.u64), ("ac8200", Reader.u64), ("8080808080808080808001", Reader.u64),
               ("ffffffffffffffffff02", Reader.u64), (u64(70000).hex(), Reader.u16), ("02", Reader.flag),
               ("02c328", Reader.string), ("0100", Reader.u64)]
        for text, decode in bad:
            try:
                decode_all(hx(text), decode)
            except ValueError:
                continue
            raise CheckFailure(f"{text} was accepted by {decode.__name__}")
    rep.check("codec: strict decoding refuses the non-canonical inputs TRANSACTIONS.md lists", refusals)


def check_hash_tags(rep):
    table = {"deai/block": 0x0a, "deai/tx": 0x07, "deai/genesis": 0x0c, "deai/update-commitment": 0x16,
             "deai/score-commitment": 0x15, "deai/commitment-salt": 0x14, "deai/round-selection": 0x14,
             "deai/hash-stream": 0x10, "deai/data-commitment": 0x14, "deai/local-training-seed": 0x18,
             "deai/devnet-key": 0x0f}

    def lengths():
        for tag, length in table.items():
            require_eq(len(tag.encode()), length, f"length of {tag}")
        require_eq(TX_PREFIX.hex(), "444541492f54582f563100", "transaction prefix")
        require_eq(VOTE_PREFIX.hex(), "444541492f564f54452f563200", "vote prefix")
        require_eq(PROPOSAL_PREFIX.hex(), "444541492f50524f504f53414c2f563100", "proposal prefix")
    rep.check("hashing: the tag length bytes and signing prefixes of PROTOCOL.md section 1", lengths)


def check_keys(v, rep):
    for name, k in v["keys"].items():
        def one(k=k):
            pub = public_key_of(hx(k["seed"]))
            require_eq(pub, hx(k["public_key"]), "public key")
            require_eq(decode_address(k["address"]), address_of(pub), "address bytes")
            require_eq(encode_address(address_of(pub)), k["address"], "bech32 address")
            require_eq(len(k["address"]), 43, "address length")
        rep.check(f"keys.{name}: public key from seed, bech32 address", one)

    def bech32_refusals():
        good = v["keys"]["alice"]["address"]
        require_eq(decode_address(good.upper()), decode_address(good), "upper-case address")
        mixed = good[:5] + good[5:].upper()
        wrong_hrp = bech32.bech32_encode("deaj", bech32.convertbits(decode_address(good), 8, 5, True))
        for bad in (mixed, good[:-1] + ("q" if good[-1] != "q" else "p"), wrong_hrp):
            try:
                decode_address(bad)
            except ValueError:
                continue
            raise CheckFailure(f"{bad} was accepted")
    rep.check("keys: upper case is read; mixed case, a bad checksum and another prefix are refused", bech32_refusals)


def check_transactions(v, keys, rep):
    alice_pub = public_key_of(keys["alice"])
    decoded = []
    for i, t in enumerate(v["transactions"]):
        body, sig, encoding = hx(t["body"]), hx(t["signature"]), hx(t["encoding"])

        def one(i=i, body=body, sig=sig, encoding=encoding, t=t):
            fields = decode_all(body, decode_body)
            decoded.append(fields)
            require_eq(encode_body(fields), body, "re-encoded body")
            require_eq(hx(t["signing_bytes"]), TX_PREFIX + body, "signing bytes")
            require_eq(encoding, body + sig, "encoding")
            require_eq(split_transaction(encoding), (body, sig), "split of the encoding")
            require(signature_valid(fields["sender"], sig, TX_PREFIX + body), "signature does not verify")
            require_eq(tx_hash(encoding), hx(t["hash"]), "hash")
            if i < 2:  # signed by keys.alice: deterministic Ed25519 reproduces the signature
                require_eq(fields["sender"], alice_pub, "sender")
                require_eq(sign(keys["alice"], TX_PREFIX + body), sig, "fresh deterministic signature")
        rep.check(f"transactions[{i}]: body decodes and re-encodes, signing bytes, signature, hash", one)

    def descriptions():
        require_eq(len(decoded), 3, "decoded transactions")
        t0, t1, t2 = decoded
        want = [(t0, "transfer", 0, 1, ""), (t1, "transfer", 1, 3, "vector ✓"), (t2, "delegate", 0, 1, "")]
        for tx, kind, nonce, fee, memo in want:
            require_eq((tx["payload"]["type"], tx["nonce"], tx["fee"], tx["memo"]), (kind, nonce, fee, memo),
                       "type, nonce, fee, memo")
        require_eq((t0["payload"]["amount"], t1["payload"]["amount"], t2["payload"]["amount"]), (25, 7, 500),
                   "amounts")
        require_eq(t2["payload"]["validator"], decode_address(v["validator_set"]["members"][0]["address"]),
                   "delegate's validator")
        require_eq(address_of(t2["sender"]), t0["payload"]["to"], "address(2): delegator vs transfer recipient")
        require_eq(v["transactions"][1]["hash"], "6f660928a38680e814cf68ff03961760e2170815daf964e4063ff15e2721e16d",
                   "transactions[1].hash quoted in PROTOCOL.md")
        require(all(tx["chain_id"] == "deai-test" for tx in decoded), "chain_id is not deai-test")
    rep.check("transactions: decoded fields match the descriptions and PROTOCOL.md's text", descriptions)


def check_block(v, vset, rep):
    b = v["block"]
    header, encoding, block_hash = b["header"], hx(b["header_encoding"]), hx(b["hash"])
    chain_id = header["chain_id"]

    def header_bytes():
        require_eq(encode_header(header), encoding, "header encoding")
        require_eq(len(encoding), 349, "header length stated in PROTOCOL.md")
        require_eq(decode_all(encoding, decode_header), header, "decoded header")
        require_eq(encoding[:17].hex(), "09646561692d7465737402d0dfdfb4ab33", "chain_id, height, time bytes")
    rep.check("block: header re-encoded from its JSON (with last_commit) equals header_encoding", header_bytes)
    rep.check("block: hash = HT(deai/block, header_encoding)",
              lambda: require_eq(HT("deai/block", encoding), block_hash, "block hash"))

    def tx_root():
        txs = [hx(t) for t in b["transactions"]]
        require_eq(txs, [hx(v["transactions"][1]["encoding"]), hx(v["transactions"][2]["encoding"])],
                   "block.transactions vs transactions[1..2]")
        require_eq(merkle_root(txs), hx(b["transactions_root"]), "transactions_root")
        require_eq(hx(header["transactions_root"]), hx(b["transactions_root"]), "header.transactions_root")
    rep.check("block: transactions root over the full encodings, equal to the header's", tx_root)

    def receipts():
        leaves = [hx(x) for x in b["receipts"]]
        require_eq(merkle_root(leaves), hx(b["receipts_root"]), "receipts_root")
        require_eq(hx(header["receipts_root"]), hx(b["receipts_root"]), "header.receipts_root")
        for index, leaf in enumerate(leaves):
            receipt = decode_all(leaf, decode_receipt_leaf)
            tx = v["transactions"][index + 1]
            fee = decode_all(hx(tx["body"]), decode_body)["fee"]
            require_eq(receipt, {"transaction_hash": hx(tx["hash"]), "height": 2, "index": index, "code": 0,
                                 "fee": fee}, f"receipt {index}")
            require_eq(encode_receipt_leaf(**receipt), leaf, f"re-encoded receipt {index}")
    rep.check("block: receipts decode (hash, height, index, code, fee), receipts root equals the header's", receipts)

    def commit_bytes():
        require_eq(encode_commit(b["commit"]), hx(b["commit_encoding"]), "commit encoding")
        require_eq(decode_all(hx(b["commit_encoding"]), decode_commit), b["commit"], "decoded commit")
    rep.check("block: commit re-encoded from its JSON equals commit_encoding", commit_bytes)

    def commit_valid():
        signed, total = verify_commit(b["commit"], chain_id, 2, block_hash, vset)
        require_eq((signed, total), (100000, 100000), "signed and total power")
    rep.check("block: commit verifies for block 2 under the validator set (>2/3 power)", commit_valid)

    def last_commit_valid():
        last = header["last_commit"]
        require_eq(last["block_hash"], header["previous_block_hash"], "last_commit.block_hash")
        verify_commit(last, chain_id, 1, hx(header["previous_block_hash"]), vset)
    rep.check("block: header.last_commit verifies for block 1 (= previous_block_hash)", last_commit_valid)

    def tampered_commit():
        bad = json.loads(json.dumps(b["commit"]))
        sig = bytearray(hx(bad["signatures"][0]["signature"]))
        sig[0] ^= 1
        bad["signatures"][0]["signature"] = sig.hex()
        try:
            verify_commit(bad, chain_id, 2, block_hash, vset)
        except CheckFailure:
            return
        raise CheckFailure("a commit with a flipped signature bit verified")
    rep.check("block: a commit with one bad signature is refused", tampered_commit)

    def set_hashes():
        require_eq(hx(header["validator_set_hash"]), set_hash(vset), "header.validator_set_hash")
        require(decode_address(header["proposer"]) in {m["address"] for m in vset}, "proposer is not a member")
        # Block 2 delegates 500 to the validator (transactions[2], receipt code 0): the next set has 100500.
        delegate = decode_all(hx(v["transactions"][2]["body"]), decode_body)["payload"]
        nxt = [dict(m, power=m["power"] + delegate["amount"]) if m["address"] == delegate["validator"] else m
               for m in vset]
        require_eq(u64(nxt[0]["power"]).hex(), "949106", "power 100500")
        require_eq(hx(header["next_validator_set_hash"]), set_hash(nxt), "header.next_validator_set_hash")
    rep.check("block: validator_set_hash is the genesis set; next_validator_set_hash is it after the delegation",
              set_hashes)


def check_merkle(v, rep):
    for n, case in enumerate(v["merkle"]):
        def one(n=n, case=case):
            leaves = [hx(x) for x in case["leaves"]]
            require_eq(leaves, [bytes(range(i)) for i in range(n)], "leaves")
            require_eq(merkle_root(leaves), hx(case["root"]), "bottom-up root")
            require_eq(rfc6962_root(leaves), hx(case["root"]), "RFC 6962 root")
        rep.check(f"merkle[{n}]: root of {n} leaves", one)

    def proofs():
        # Every inclusion proof of every tree up to 9 leaves: built here, verified with proof_root.
        for n in range(1, 10):
            leaves = [bytes([i]) * i for i in range(n)]
            root = merkle_root(leaves)
            for i in range(n):
                path = audit_path(leaves, i)
                require_eq(proof_root(i, n, path, leaf_hash(leaves[i])), root, f"proof of leaf {i} of {n}")
                require(proof_root(i, n, path + [root], leaf_hash(leaves[i])) is None, "a too long path passed")
                if path:
                    require(proof_root(i, n, path[:-1], leaf_hash(leaves[i])) is None, "a too short path passed")
        require_eq(merkle_root([]), hx("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), "H('')")
    rep.check("merkle: inclusion proofs for every leaf of trees of 1..9 leaves verify; wrong lengths fail", proofs)


def audit_path(leaves, index):
    """The RFC 6962 audit path, built recursively: an independent producer for proof_root to consume."""
    if len(leaves) <= 1:
        return []
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    if index < k:
        return audit_path(leaves[:k], index) + [rfc6962_root(leaves[k:])]
    return audit_path(leaves[k:], index - k) + [rfc6962_root(leaves[:k])]


def check_votes(v, keys, rep):
    consensus_pub = public_key_of(keys["validator_consensus"])
    for i, vote in enumerate(v["votes"]):
        def one(vote=vote):
            message = VOTE_PREFIX + encode_vote(vote)
            require_eq(message, hx(vote["signing_bytes"]), "signing bytes")
            require_eq(hx(vote["signer"]), consensus_pub, "signer")
            require(signature_valid(consensus_pub, hx(vote["signature"]), message), "signature does not verify")
            require_eq(sign(keys["validator_consensus"], message), hx(vote["signature"]), "fresh signature")
        rep.check(f"votes[{i}] ({vote['kind']}): signing bytes from fields, signature verifies and reproduces", one)

    def relations():
        prevote, precommit = v["votes"]
        validator = decode_address(prevote["validator"])
        require_eq(hx(prevote["signing_bytes"])[-23:], b"\x02\x01\x00" + validator, "prevote's tail")
        require("block_hash" not in prevote, "the prevote names a block")
        block = v["block"]
        require_eq(precommit["block_hash"], block["hash"], "precommit block_hash")
        sig = block["commit"]["signatures"][0]
        require_eq(precommit["signature"], sig["signature"], "precommit signature vs commit's")
        rebuilt = precommit_signing_bytes("deai-test", 2, 0, hx(block["hash"]), decode_address(sig["validator"]))
        require_eq(rebuilt, hx(precommit["signing_bytes"]), "precommit rebuilt from the commit")
    rep.check("votes: prevote for no block ends 02 01 00 ‖ validator; precommit is block 2's commit signature",
              relations)


def check_proposal(v, keys, vset, rep):
    p = v["proposal"]

    def signed():
        message = proposal_signing_bytes(p, v["block"]["header"]["chain_id"])
        require_eq(message, hx(p["signing_bytes"]), "signing bytes")
        require_eq(p["block_hash"], v["block"]["hash"], "proposal block_hash")
        pub = public_key_of(keys["validator_consensus"])
        require(signature_valid(pub, hx(p["signature"]), message), "signature does not verify")
        require_eq(sign(keys["validator_consensus"], message), hx(p["signature"]), "fresh signature")
    rep.check("proposal: signing bytes from fields, signature verifies and reproduces", signed)

    def rotation():
        member, x, point = proposer(vset, p["height"], p["round"])
        require_eq(x, 0xdaa66d2c7ddf743f, "x")
        require_eq(point, 85410, "point")
        require_eq(encode_address(member["address"]), p["proposer"], "proposer")
        require(p["valid_round"] < p["round"], "valid_round is not below round")
    rep.check("proposal: rotation gives slot 3, x = 0xdaa66d2c7ddf743f, point 85410, the proposer", rotation)


def check_validator_set(v, vset, rep):
    s = v["validator_set"]

    def members():
        require_eq([encode_member(m).hex() for m in sorted(vset, key=lambda m: m["address"])],
                   s["member_encodings"], "member encodings")
        require_eq(s["member_encodings"][0][-6:], "a08d06", "power 100000")
        require_eq(set_hash(vset), hx(s["hash"]), "set hash")
        require_eq(set_hash(vset), leaf_hash(hx(s["member_encodings"][0])), "single-member hash = leaf hash")
        require_eq(vset[0]["consensus_key"], hx(v["keys"]["validator_consensus"]["public_key"]), "consensus key")
        require_eq(s["hash"], "403fbbb080ca14fe9b15268b2a52be7c8020539fe3c66af0b39400a33dd30397", "hash in the text")
    rep.check("validator_set: member encodings and hash, = keys.validator_consensus", members)

    def order_independent():
        extra = {"address": bytes(20), "consensus_key": bytes(32), "power": 1}
        require_eq(set_hash(vset + [extra]), set_hash([extra] + vset), "hash in two orders")
    rep.check("validator_set: the hash does not depend on the order members are given", order_independent)


def check_genesis(v, rep):
    g = v["genesis"]

    def one():
        require_eq(u64(g["genesis_time"]).hex(), "80d0dfb4ab33", "genesis_time varint")
        require_eq(genesis_hash(g["chain_id"], g["genesis_time"], hx(g["state_root"])), hx(g["hash"]), "hash")
    rep.check("genesis: hash = HT(deai/genesis, chain_id, genesis_time, state_root)", one)


def check_state(v, rep):
    s = v["state"]
    root = hx(s["state_root"])

    def entry():
        raw = decode_address(s["address"])
        require_eq(raw, decode_address(v["keys"]["alice"]["address"]), "state.address is alice")
        require_eq(account_key(raw), hx(s["key"]), "key")
        require_eq(decode_account(hx(s["value"])), {"balance": 999964, "nonce": 2}, "account value")
        require_eq(state_leaf_hash(hx(s["key"]), hx(s["value"])), hx(s["leaf_hash"]), "leaf hash")
        preimage = "00" "15" "010f95cfd8a43dc3eaece6fbb458f43952bdca02c7" "04" "9c843d02"
        require_eq(b"\x00" + state_leaf(hx(s["key"]), hx(s["value"])), hx(preimage), "leaf preimage")
    rep.check("state: key 01 ‖ address, value (balance 999964, nonce 2), leaf hash", entry)

    def proof():
        require_eq(root, hx(v["block"]["header"]["state_root"]), "state_root vs block.header.state_root")
        value = verify_state_proof(s["proof"], root, hx(s["key"]))
        require_eq(value, hx(s["value"]), "proven value")
        m = s["proof"]["match"]
        require_eq((m["leaf_index"], s["proof"]["leaf_count"], len(m["path"])), (0, 12, 4), "index, count, path")
    rep.check("state: the proof verifies against state_root = block.header.state_root", proof)

    def tampered():
        bad = json.loads(json.dumps(s["proof"]))
        bad["match"]["value"] = "9d843d02"
        try:
            verify_state_proof(bad, root, hx(s["key"]))
        except CheckFailure:
            return
        raise CheckFailure("a proof of another value verified")
    rep.check("state: the proof fails for a changed value", tampered)


def check_key_file(v, rep):
    k = v["key_file"]
    f = json.loads(k["file"])

    def decrypt():
        require_eq(len(hx(f["encryption"]["box"])), 60, "box length")
        require_eq(len(hx(f["encryption"]["salt"])), 16, "salt length")
        require_eq(f["encryption"]["kdf_parameters"], {"n": 1024, "r": 8, "p": 1}, "kdf parameters")
        seed = decrypt_key_file(f, k["passphrase"])
        require_eq(seed, hx(k["seed"]), "decrypted seed")
        require_eq(seed, hx(v["keys"]["alice"]["seed"]), "alice's seed")
        require_eq(public_key_of(seed), hx(f["public_key"]), "public key of the seed")
        require_eq(decode_address(f["address"]), address_of(hx(f["public_key"])), "address")
        require("seed" not in f, "an encrypted file holds the seed")
    rep.check("key_file: scrypt + ChaCha20-Poly1305 with the passphrase give the seed", decrypt)

    def refusals():
        for passphrase, file_json in [("wrong horse", f), (k["passphrase"], dict(f, address=v["keys"][
                "validator_consensus"]["address"]))]:
            try:
                decrypt_key_file(file_json, passphrase)
            except InvalidTag:
                continue
            raise CheckFailure("decryption succeeded")
    rep.check("key_file: a wrong passphrase or another address (associated data) fails authentication", refusals)


def check_peer_frames(v, keys, rep):
    """PROTOCOL.md section 12: u32 big-endian length prefixes, the hello, then one frame per message tag."""
    frames = {f["description"].split(":")[0]: hx(f["frame"]) for f in v["peer_frames"]}

    def lengths():
        for name, frame in frames.items():
            require_eq(int.from_bytes(frame[:4], "big"), len(frame) - 4, f"{name}: length prefix")
    rep.check("peer_frames: every frame is a u32 big-endian length and that many bytes", lengths)

    def bodies():
        body = {name: frame[4:] for name, frame in frames.items()}
        g = v["genesis"]
        require_eq(body["hello"], uvarint(1, 32) + string(g["chain_id"]) + hx(g["hash"]), "hello")
        require_eq(body["tag 2"][0], 2, "vote tag")
        require_eq(body["tag 4"], b"\x04" + uvarint(2), "catch-up request")
        require_eq(body["tag 5"], b"\x05" + uvarint(1) + blob(hx(v["transactions"][0]["encoding"])), "transactions")
        require_eq(body["tag 64"], b"\x40", "address request")
        bob = public_key_of(keys["bob"])
        require_eq(body["tag 65"], b"\x41" + uvarint(1) + bob + string("127.0.0.1") + uvarint(26656, 16), "addresses")
        blob_hash = H(bytes([1, 2, 3]))
        require_eq(body["tag 66"], b"\x42" + blob_hash, "blob request")
        require_eq(body["tag 67"], b"\x43" + blob(bytes([1, 2, 3])), "blob")
        require_eq(body["tag 68"], b"\x44" + blob_hash, "blob missing")
    rep.check("peer_frames: hello, catch-up, transactions, addresses and blob frames byte for byte", bodies)


# The worked examples of TRANSACTIONS.md and API.md, copied from the documents.

WORKED_SEED = "cca9977fa2b5dd7de9a44b4034ba3f3d4987e1904a39bbf4311656607e76ac93"
WORKED_BODY = ("0a646561692d6c6f63616c9af287799fd085e8943c3a6ac9415afe02604909e3d644539ec2428ac72e3f4d000101fc22a6aa48a9"
               "6c47c6cd8e9bae3826d5ae27a1b5fa010b646f63206578616d706c65")
WORKED_SIGNATURE = ("84e2750e9f4476e5c7fa56e8f8734b36eca8631329458be9569bf4553bdd5f5e23c1d3ba6d8df8cc86ea7459ccde686d"
                    "614e3bb318317f944863d112691a2e0d")
WORKED_HASH = "a715e32924d994ea6bf6d3eadc3db94aa1dc60244a6d835de465ae285fd4c692"
API_EXAMPLE_TX = ("0d646561692d6170692d746573747d8cf184a77a3d133fcc620bd205d1d7ac1749a0d0430e07dd2c9f18b47d8a6900010176"
                  "8dbd3cb5141dcea342f8ac1125b1befefe1efdfa01007ab416637f7e351e78daf0e7815046e96f43b0e29e2ab213648b7f"
                  "846cfd581ff6b9de0ad2f6bef770d0151f62eaa997cfdd5ae8a25fec2a1e629695f394de0a")


def check_transactions_md_examples(rep):
    seed = hx(WORKED_SEED)

    def transfer():
        pub = public_key_of(seed)
        require_eq(pub.hex(), "9af287799fd085e8943c3a6ac9415afe02604909e3d644539ec2428ac72e3f4d", "public key")
        require_eq(address_of(pub).hex(), "f1c39f9d97bc262c06a4301a8dd1b15f3116d9b5", "address bytes")
        require_eq(encode_address(address_of(pub)), "deai178pel8vhhsnzcp4yxqdgm5d3tuc3dkd448hpzf", "sender address")
        to = decode_address("deai1ls32d2jg49ky03kd36d6uwpx6khz0gd4mds3k6")
        require_eq(to.hex(), "fc22a6aa48a96c47c6cd8e9bae3826d5ae27a1b5", "recipient bytes")
        tx = {"chain_id": "deai-local", "sender": pub, "nonce": 0, "fee": 1, "memo": "doc example",
              "payload": {"type": "transfer", "to": to, "amount": 250}}
        body = encode_body(tx)
        require_eq(body, hx(WORKED_BODY), "body")
        require_eq((len(body), len(TX_PREFIX + body)), (80, 91), "body and signing bytes lengths")
        encoding = sign_transaction(seed, tx)
        require_eq(encoding[-64:], hx(WORKED_SIGNATURE), "signature")
        require_eq(len(encoding), 144, "transaction length")
        require_eq(tx_hash(encoding).hex(), WORKED_HASH, "hash")
    rep.check("TRANSACTIONS.md worked example: a transfer, byte for byte", transfer)

    def commitment():
        task, rnd = 1, 1
        salt_preimage = blob(seed) + u64(task) + u32(rnd) + string("update")
        require_eq(salt_preimage.hex(), "20" + WORKED_SEED + "0101" + "06757064617465", "salt preimage")
        salt = HT("deai/commitment-salt", salt_preimage)
        require_eq(salt.hex(), "5d566c643ed9c0654587b4f5eb4fa2b8b513adc22d02d28595c8b9b6dc580243", "salt")
        trainer = address_of(public_key_of(seed))
        blob_hash = hx("0daa7c54b5e8160f097fede518d50bc128163bc5a9cf980950142d553a1d0014")
        commitment = HT("deai/update-commitment", u64(task) + u32(rnd) + address(trainer) + digest(blob_hash) + salt)
        require_eq(commitment.hex(), "f52292fa6f543a48431dea29b88dbdaf475152911821370ca7adf82c117d9492", "commitment")
        commit_payload = encode_field("u8", 24) + encode_struct(PAYLOADS[24][1], {
            "task_id": task, "round": rnd, "commitment": commitment})
        require_eq(commit_payload.hex(), "180101" + commitment.hex(), "commit_update payload")
        reveal = u8(25) + encode_struct(PAYLOADS[25][1], {"task_id": task, "round": rnd, "blob": blob_hash,
                                                          "sample_count": 42, "salt": salt})
        require_eq(reveal.hex(), "190101" + blob_hash.hex() + "2a" + salt.hex(), "reveal_update payload")
    rep.check("TRANSACTIONS.md commitment example: salt, commitment, commit and reveal payloads", commitment)

    def proposal_example():
        content = {"kind": "text", "title": "T", "description": "D"}
        payload = u8(7) + encode_struct(PAYLOADS[7][1], {"content": content, "deposit": 1000})
        require_eq(payload, b"\x07\x01" + string("T") + string("D") + hx("e807"), "submit_proposal payload")
    rep.check("TRANSACTIONS.md: a text proposal with deposit 1000 is 07 ‖ 01 ‖ string(T) ‖ string(D) ‖ e807",
              proposal_example)


def check_api_md_example(v, keys, rep):
    def one():
        encoding = hx(API_EXAMPLE_TX)
        body, sig = split_transaction(encoding)
        tx = decode_all(body, decode_body)
        require_eq(encode_body(tx), body, "re-encoded body")
        require_eq((tx["chain_id"], tx["nonce"], tx["fee"], tx["memo"]), ("deai-api-test", 0, 1, ""), "fields")
        require_eq(encode_address(tx["payload"]["to"]), "deai1w6xm6094zswuag6zlzkpzfd3hml0u8hagwvvqs", "to")
        require_eq(tx["payload"]["amount"], 250, "amount")
        require(signature_valid(tx["sender"], sig, TX_PREFIX + body), "signature does not verify")
        require_eq(sign(keys["alice"], TX_PREFIX + body), sig, "fresh signature by alice")
        require_eq(tx_hash(encoding).hex(), "9f1a3cb930d47bf301f009effa606886e273c8dff1290e8ac8490eeaf058008a", "hash")
    rep.check("API.md POST /v1/txs example: decodes, alice's signature reproduces, hash as shown", one)


# ==============================================================================================================
# Part 2: a live node, started from a fresh home

LIVE_CHAIN_ID = "conformance-live"


class HTTPFailure(Exception):
    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body[:300]!r}")
        self.status, self.body = status, body


class Node:
    """A small HTTP client for the API (loopback only)."""

    def __init__(self, base):
        self.base = base

    def request(self, method, path, body=None, accept="application/json"):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Accept", accept)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=70) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def get(self, path):
        status, body = self.request("GET", path)
        if status != 200:
            raise HTTPFailure(status, body)
        return json.loads(body)

    def get_binary(self, path):
        status, body = self.request("GET", path, accept="application/octet-stream")
        if status != 200:
            raise HTTPFailure(status, body)
        return body

    def post(self, path, body):
        status, answer = self.request("POST", path, body)
        return status, json.loads(answer) if answer else None


def wait_for_stable_binary(path, timeout=600):
    """Another session may be rebuilding the binary: wait until it exists and stops changing."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            st = os.stat(path)
            now = (st.st_size, st.st_mtime_ns)
            if now == last and os.access(path, os.X_OK):
                return
            last = now
        except FileNotFoundError:
            last = None
        time.sleep(1)
    raise RuntimeError(f"{path} did not appear or kept changing for {timeout} s")


def run_cli(deai, *args, attempts=3):
    for attempt in range(attempts):
        wait_for_stable_binary(deai)
        done = subprocess.run([deai, *map(str, args)], capture_output=True, text=True, timeout=120)
        if done.returncode == 0:
            return done.stdout
        if attempt == attempts - 1:
            raise RuntimeError(f"deai {' '.join(map(str, args))} exited {done.returncode}: {done.stderr.strip()}")
        time.sleep(5)


def start_node(deai, home, log_dir):
    """deai start; returns (process, base URL) once 'API listening on http://HOST:PORT' is printed."""
    wait_for_stable_binary(deai)
    out = open(log_dir / "stdout.txt", "w")
    err = open(log_dir / "stderr.txt", "w")
    proc = subprocess.Popen([deai, "start", "--home", str(home)], stdout=out, stderr=err,
                            stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for line in (log_dir / "stdout.txt").read_text().splitlines():
            if line.startswith("API listening on "):
                return proc, line[len("API listening on "):].strip()
        if proc.poll() is not None:
            raise RuntimeError(f"deai start exited {proc.returncode}: {(log_dir / 'stderr.txt').read_text()[-500:]}")
        time.sleep(0.1)
    raise RuntimeError("deai start printed no 'API listening on' line within 60 s")


def stop_node(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return None
    return proc.returncode


def part2(deai, rep):
    workdir = Path(tempfile.mkdtemp(prefix="deai-conformance-"))
    proc = None
    try:
        home = workdir / "home"
        run_cli(deai, "init", "--home", home, "--chain-id", LIVE_CHAIN_ID, "--json")
        configure_loopback(home)
        for attempt in range(3):   # the binary may be replaced under us by a build: retry
            try:
                proc, base = start_node(deai, home, workdir)
                break
            except RuntimeError:
                if attempt == 2:
                    raise
                time.sleep(5)
        rep.check("live: the API listens on 127.0.0.1 only",
                  lambda: require(base.startswith("http://127.0.0.1:"), f"the node printed {base}"))
        if not base.startswith("http://127.0.0.1:"):
            return
        live_checks(Node(base), home, rep)
    finally:
        if proc is not None:
            code = stop_node(proc)
            rep.check("live: SIGTERM stops the node with exit code 0",
                      lambda: require_eq(code, 0, "exit code (None: had to be killed)"))
        shutil.rmtree(workdir, ignore_errors=True)


def configure_loopback(home):
    """CLI.md's config.json: api.host and api.port (0 picks a free port)."""
    path = home / "config.json"
    config = json.loads(path.read_text())
    config.setdefault("api", {})
    config["api"]["host"] = "127.0.0.1"
    config["api"]["port"] = 0
    path.write_text(json.dumps(config, indent=2) + "\n")


def wait_for_height(node, height, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status = node.get("/v1/status")
            if status["height"] >= height:
                return status
        except (HTTPFailure, urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the node did not reach height {height} within {timeout} s")


def read_key_file(path):
    """An unencrypted key file: {version, address, public_key, seed}; returns the checked seed."""
    f = json.loads(path.read_text())
    require_eq(f["version"], 1, f"{path.name} version")
    require("encryption" not in f, f"{path.name} is encrypted")
    seed = hx(f["seed"])
    require_eq(public_key_of(seed), hx(f["public_key"]), f"{path.name} public key")
    require_eq(decode_address(f["address"]), address_of(hx(f["public_key"])), f"{path.name} address")
    return seed


def genesis_members(genesis):
    """The active set of the genesis state: validators with power > 0, top max_validators, by address."""
    members = [{"address": decode_address(x["operator_address"]), "consensus_key": hx(x["consensus_key"]),
                "power": x["stake"]} for x in genesis["validators"]]
    members = sorted((m for m in members if m["power"] > 0), key=lambda m: (-m["power"], m["address"]))
    return sorted(members[:genesis["parameters"]["max_validators"]], key=lambda m: m["address"])


class LightClient:
    """Trusts the genesis set, then follows set changes as PROTOCOL.md section 7 describes."""

    def __init__(self, node, chain_id, members):
        self.node, self.chain_id = node, chain_id
        self.trusted, self.since, self.changes = members, 1, 0

    def set_for(self, height):
        while True:
            served = self.node.get(f"/v1/validator_sets/{self.since}")
            require_eq(set_hash(members_from_json(served["members"])), set_hash(self.trusted),
                       f"served set for block {self.since} vs the trusted set")
            change = served.get("next_change")
            if change is None or not self.since < change <= height:
                return self.trusted
            before = self.verified_block(change - 1, self.trusted)
            nxt = self.node.get(f"/v1/validator_sets/{change}")
            members = members_from_json(nxt["members"])
            require_eq(set_hash(members), hx(before["header"]["next_validator_set_hash"]),
                       f"set of block {change} vs next_validator_set_hash of block {change - 1}")
            require_eq(nxt["since"], change, "since of the new set")
            self.trusted, self.since, self.changes = members, change, self.changes + 1

    def verified_block(self, height, members):
        block = self.node.get(f"/v1/blocks/{height}")
        header = block["header"]
        computed = block_hash_of(header)
        require_eq(computed, hx(block["hash"]), f"hash of block {height}")
        require_eq((header["height"], header["chain_id"]), (height, self.chain_id), "height and chain")
        require_eq(hx(header["validator_set_hash"]), set_hash(members), f"validator_set_hash of block {height}")
        verify_commit(block["commit"], self.chain_id, height, computed, members)
        return block

    def verify(self, height):
        return self.verified_block(height, self.set_for(height))


def live_checks(node, home, rep):
    genesis = json.loads((home / "genesis.json").read_text())
    status = wait_for_height(node, 1)
    chain_id = status["chain_id"]
    rep.check("live: /v1/status answers with the chosen chain ID and the genesis file's",
              lambda: require_eq((chain_id, genesis["chain_id"]), (LIVE_CHAIN_ID, LIVE_CHAIN_ID), "chain IDs"))
    g_members = genesis_members(genesis)
    state = {}

    def home_keys():
        state["seed"] = read_key_file(home / "keys" / "default.json")
        validator_seed = read_key_file(home / "validator_key.json")
        read_key_file(home / "node_key.json")
        default = address_of(public_key_of(state["seed"]))
        require_eq([m["address"] for m in g_members], [default], "genesis validator operator vs default key")
        require_eq(g_members[0]["consensus_key"], public_key_of(validator_seed), "genesis consensus key")
        require(any(decode_address(a["address"]) == default for a in genesis["accounts"]), "default is not funded")
    rep.check("live: home key files (default, validator, node) are consistent; genesis names them", home_keys)
    if "seed" not in state:
        return
    client = LightClient(node, chain_id, g_members)

    def block_one():
        block = client.verify(1)
        header = block["header"]
        require("last_commit" not in header or header["last_commit"] is None, "block 1 has a last_commit")
        require_eq(header["previous_block_hash"], status["genesis_hash"], "previous_block_hash vs genesis_hash")
        require_eq(block["hash"], block["hash"].lower(), "lowercase hex")
    rep.check("live: block 1 chains to /v1/status genesis_hash; signed by the genesis.json set", block_one)

    rep.check("live: genesis hash rebuilt from genesis.json (state root from PROTOCOL.md section 10)",
              check_live_genesis_hash, genesis, status)

    seed = state["seed"]
    sender_pub = public_key_of(seed)
    recipient = address_of(secrets.token_bytes(32))   # a fresh address nobody holds a key for
    recipient_text = encode_address(recipient)

    rep.check("live: an unused address has an absence proof against a signed header",
              lambda: require_eq(proven_account(node, client, recipient), None, "proven value"))

    params = node.get("/v1/params")["parameters"]
    account = node.get(f"/v1/accounts/{encode_address(address_of(sender_pub))}")
    amount = 123_457
    tx = {"chain_id": chain_id, "sender": sender_pub, "nonce": account["next_nonce"], "fee": params["minimum_fee"],
          "memo": "conformance ✓", "payload": {"type": "transfer", "to": recipient, "amount": amount}}
    encoding = sign_transaction(seed, tx)
    our_hash = tx_hash(encoding)

    check_refusals(node, seed, tx, rep)
    check_evidence_refusal(node, home, seed, tx, rep)

    submitted = {}

    def submit():
        status_code, answer = node.post("/v1/txs?wait=true&wait_timeout_ms=30000", {"tx": encoding.hex()})
        require_eq(status_code, 200, f"status (answer {answer})")
        submitted.update(answer)
        require_eq(hx(answer["hash"]), our_hash, "returned hash")
        receipt = answer["receipt"]
        require_eq((receipt["success"], receipt["code"]), (True, 0), "receipt success and code")
        require_eq(hx(receipt["transaction_hash"]), our_hash, "receipt.transaction_hash")
        require_eq(receipt["fee"], tx["fee"], "receipt.fee")
    rep.check("live: POST /v1/txs?wait=true of our own transfer returns our hash and a successful receipt", submit)
    if "receipt" not in submitted:
        return
    height = submitted["receipt"]["height"]

    def fetch_tx():
        served = node.get(f"/v1/txs/{our_hash.hex()}")
        require_eq(hx(served["encoding"]), encoding, "encoding")
        require_eq(hx(served["hash"]), our_hash, "hash")
        require_eq((served["sender"], hx(served["sender_key"]), served["nonce"], served["fee"], served["memo"],
                    served["chain_id"], hx(served["signature"])),
                   (encode_address(address_of(sender_pub)), sender_pub, tx["nonce"], tx["fee"], tx["memo"], chain_id,
                    encoding[-64:]), "signed fields")
        require_eq(served["payload"], {"type": "transfer", "to": recipient_text, "amount": amount}, "payload")
        require_eq((served["height"], served["index"]), (height, submitted["receipt"]["index"]), "height, index")
    rep.check("live: GET /v1/txs/{hash} returns our exact encoding and fields", fetch_tx)

    rep.check(f"live: block {height} header hash, transactions root, receipts root, commit by the trusted set",
              check_live_block, node, client, height, our_hash)

    def recipient_proof():
        value = proven_account(node, client, recipient)
        require(value is not None, "no account entry was proven")
        require_eq(decode_account(value), {"balance": amount, "nonce": 0}, "proven account")
        require_eq(node.get(f"/v1/accounts/{recipient_text}")["balance"], amount, "served balance")
    rep.check("live: GET /v1/accounts/{recipient}?prove=true proves the transferred balance", recipient_proof)

    def sender_proof():
        value = proven_account(node, client, address_of(sender_pub))
        require_eq(decode_account(value)["nonce"], tx["nonce"] + 1, "proven sender nonce")
    rep.check("live: the sender's proven nonce moved past our transaction", sender_proof)

    rep.check("live: GET /v1/state/{key} as application/octet-stream decodes and verifies",
              check_binary_state, node, client, account_key(recipient), amount)

    rep.check("live: PUT /v1/blobs of a blob the chain does not name: refused unsigned or signed by an account "
              "without stake (403 upload_not_allowed); stored when the staked default key signs it as API.md says",
              check_blob_upload, node, chain_id, seed)


def proven_account(node, client, raw_address):
    """GET /v1/accounts/{address}?prove=true, fully verified; returns the proven value (None: absent)."""
    answer = node.get(f"/v1/accounts/{encode_address(raw_address)}?prove=true")
    return verify_served_proof(client, answer["proof"], account_key(raw_address), answer)


def verify_served_proof(client, proof, wanted_key, answer):
    header = proof["header"]
    computed = block_hash_of(header)
    require_eq(computed, hx(proof["block_hash"]), "proof.block_hash vs the rebuilt header")
    require_eq(header["state_root"], proof["state_root"], "proof.state_root vs header.state_root")
    require_eq(header["height"], answer["height"], "answer height vs header height")
    block = client.verify(header["height"])
    require_eq(hx(block["hash"]), computed, "the signed block is the proof's header")
    value = verify_state_proof(proof["proof"], hx(header["state_root"]), wanted_key)
    if "balance" in answer:  # an account answer: the proven value is what it shows
        shown = {"balance": answer["balance"], "nonce": answer["nonce"]}
        require_eq(decode_account(value) if value is not None else {"balance": 0, "nonce": 0}, shown, "account")
    return value


def check_live_block(node, client, height, our_hash):
    block = client.verify(height)          # header hash, validator set from genesis, commit
    header = block["header"]
    hashes = [hx(x) for x in block["transactions"]]
    require(our_hash in hashes, "our transaction is not in the block")
    require_eq(block.get("transaction_count", len(hashes)), len(hashes), "transaction_count")
    encodings, leaves = [], []
    for index, h in enumerate(hashes):
        served = node.get(f"/v1/txs/{h.hex()}")
        encoding = hx(served["encoding"])
        require_eq(tx_hash(encoding), h, f"hash of transaction {index}")
        body, sig = split_transaction(encoding)
        fields = decode_all(body, decode_body)
        require(signature_valid(fields["sender"], sig, TX_PREFIX + body), f"signature of transaction {index}")
        r = served["receipt"]
        require_eq((r["height"], r["index"]), (height, index), f"receipt {index} place")
        encodings.append(encoding)
        leaves.append(encode_receipt_leaf(hx(r["transaction_hash"]), r["height"], r["index"], r["code"], r["fee"]))
    require_eq(merkle_root(encodings), hx(header["transactions_root"]), "transactions_root")
    require_eq(merkle_root(leaves), hx(header["receipts_root"]), "receipts_root")
    served_set = node.get(f"/v1/validator_sets/{height}")
    members = members_from_json(served_set["members"])
    require_eq(set_hash(members), hx(header["validator_set_hash"]), "validator set hash vs header")
    require_eq(hx(served_set["hash"]), set_hash(members), "served hash field")
    if height >= 2:
        previous = client.verify(height - 1)
        require_eq(header["previous_block_hash"], previous["hash"], "previous_block_hash")
        verify_commit(header["last_commit"], client.chain_id, height - 1, hx(previous["hash"]),
                      client.set_for(height - 1))


def check_binary_state(node, client, state_key, amount):
    record = decode_state_record(node.get_binary(f"/v1/state/{state_key.hex()}"))
    require(record["header"] is not None, "no header")
    header = record["header"]
    require_eq(record["height"], header["height"], "height")
    require_eq(record["state_root"], hx(header["state_root"]), "state root")
    block = client.verify(header["height"])
    require_eq(block_hash_of(header), hx(block["hash"]), "header of the record vs the signed block")
    proof = record["proof"]
    for side in ("match", "left", "right"):
        if side in proof:
            require_eq(proof[side].pop("leaf_count"), proof["leaf_count"], f"{side}.leaf_count")
    value = verify_state_proof(proof, record["state_root"], state_key)
    require_eq(value, record["value"], "value")
    require_eq(decode_account(value), {"balance": amount, "nonce": 0}, "account")
    as_json = node.get(f"/v1/state/{state_key.hex()}")
    if as_json["height"] == record["height"]:
        require_eq(as_json["value"], value.hex(), "JSON value")
        require_eq(as_json["value_hash"], H(value).hex(), "value_hash")


def check_blob_upload(node, chain_id, seed):
    blob = b"conformance blob " + secrets.token_bytes(16)
    name = H(blob)
    path = f"/v1/blobs/{name.hex()}"

    def put(signer):
        req = urllib.request.Request(node.base + path, data=blob, method="PUT")
        req.add_header("Content-Type", "application/octet-stream")
        if signer is not None:   # API.md: "DEAI/BLOB/V1\0" ‖ string(chain_id) ‖ digest(hash)
            req.add_header("DeAI-Uploader", public_key_of(signer).hex())
            req.add_header("DeAI-Signature", sign(signer, b"DEAI/BLOB/V1\x00" + string(chain_id) + name).hex())
        try:
            with urllib.request.urlopen(req, timeout=30) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    for signer in (None, secrets.token_bytes(32)):
        status, answer = put(signer)
        require_eq((status, answer["error"]["name"]), (403, "upload_not_allowed"), "unauthorized upload")
    status, answer = put(seed)
    require_eq((status, answer), (201, {"hash": name.hex(), "bytes": len(blob)}), "signed upload")
    served_status, served = node.request("GET", path, accept="application/octet-stream")
    require_eq((served_status, served), (200, blob), "the stored blob served back")


def check_refusals(node, seed, tx, rep):
    """The node must refuse what TRANSACTIONS.md says it refuses, with the documented codes."""
    good = sign_transaction(seed, tx)
    body = good[:-64]
    bad_signature = body + bytes([good[-64] ^ 1]) + good[-63:]
    trailing = good + b"\x00"
    other_chain = sign_transaction(seed, dict(tx, chain_id=tx["chain_id"] + "-other"))
    # The same transaction with its nonce written as a redundant two-byte varint, then properly signed.
    prefix = string(tx["chain_id"]) + key(tx["sender"])
    rest = body[len(prefix) + len(u64(tx["nonce"])):]
    padded_nonce = prefix + bytes([tx["nonce"] | 0x80, 0x00]) + rest if tx["nonce"] < 128 else None
    cases = [("a flipped signature bit", bad_signature, 400, 103),
             ("a trailing byte", trailing, 400, 101),
             ("another chain ID", other_chain, 400, 102)]
    if padded_nonce is not None:
        cases.append(("a non-minimal varint nonce", padded_nonce + sign(seed, TX_PREFIX + padded_nonce), 400, 101))
    for what, encoding, want_status, want_code in cases:
        def one(encoding=encoding, want_status=want_status, want_code=want_code):
            status, answer = node.post("/v1/txs", {"tx": encoding.hex()})
            require_eq((status, answer["error"]["code"]), (want_status, want_code), "status and error code")
        rep.check(f"live: a transaction with {what} is refused with {want_code}", one)


def check_evidence_refusal(node, home, seed, tx, rep):
    """PROTOCOL.md section 6: tag 10, report_double_sign, carries signed_vote ‖ signed_vote. Two properly signed
    prevotes for the same block do not conflict, so the node must refuse the report with 233 invalid_evidence
    (a node that did not know tag 10 would answer 101, as TRANSACTIONS.md's table implies)."""
    consensus_seed = read_key_file(home / "validator_key.json")
    operator = address_of(tx["sender"])

    def signed_prevote():
        vote = {"kind": "prevote", "chain_id": tx["chain_id"], "height": 1, "round": 0,
                "block_hash": (b"\x5a" * 32).hex(), "validator": encode_address(operator)}
        fields = dict(vote, kind=1, block_hash=hx(vote["block_hash"]), validator=operator,
                      signature=sign(consensus_seed, VOTE_PREFIX + encode_vote(vote)))
        require_eq(encode_struct(SIGNED_VOTE, fields)[:-64], encode_vote(vote), "signed vote layout")
        return fields

    def one():
        report = dict(tx, payload={"type": "report_double_sign",
                                   "evidence": {"first": signed_prevote(), "second": signed_prevote()}})
        status, answer = node.post("/v1/txs", {"tx": sign_transaction(seed, report).hex()})
        require_eq((status, answer["error"]["code"]), (400, 233), "status and error code")
    rep.check("live: report_double_sign (tag 10) of two non-conflicting votes is refused with 233", one)


def check_live_genesis_hash(genesis, status):
    """Rebuild the genesis state (accounts, validators, parameters, globals) and hash it.

    PROTOCOL.md section 9 says what the genesis state holds, section 10 how each entry is laid out."""
    entries = {}
    for a in genesis["accounts"]:
        entries[account_key(decode_address(a["address"]))] = u64(a["balance"]) + u64(0)
    for x in genesis["validators"]:
        operator = decode_address(x["operator_address"])
        entries[b"\x02" + operator] = (address(operator) + key(hx(x["consensus_key"])) + string(x["moniker"])
                                       + u64(x["stake"]) + u64(0) + u16(x["commission_basis_points"]) + boolean(False))
    entries[b"\x07"] = b"".join(u64(genesis["parameters"][name]) for name in PARAMETER_ORDER)
    supply = (sum(a["balance"] for a in genesis["accounts"]) + sum(x["stake"] for x in genesis["validators"])
              + genesis["treasury"])                                   # balances + stakes + treasury
    entries[b"\x08"] = (u64(genesis["treasury"]) + u64(supply)
                        + u64(1) + u64(1) + u64(1) + u64(1)            # the next identifiers: 1
                        + u64(0) + u64(genesis["genesis_time"]))       # height 0, the genesis time
    computed = genesis_hash(genesis["chain_id"], genesis["genesis_time"], state_root(entries))
    require_eq(computed, hx(status["genesis_hash"]), "genesis hash")


# ==============================================================================================================

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deai", metavar="PATH", help="also run the live checks against this deai binary")
    parser.add_argument("--vectors", default=str(DOCS / "protocol-vectors.json"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    rep = Report()

    started = time.monotonic()
    vectors = json.loads(Path(args.vectors).read_text())
    part1(vectors, rep)
    print(f"-- part 1 (vectors and documented examples): {time.monotonic() - started:.2f} s", flush=True)

    if args.deai:
        started = time.monotonic()
        try:
            part2(os.path.abspath(args.deai), rep)
        except Exception as error:
            rep._fail("live: the node could not be set up", f"{type(error).__name__}: {error}")
        print(f"-- part 2 (live node): {time.monotonic() - started:.2f} s", flush=True)

    print(f"{rep.passed} passed, {rep.failed} failed")
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
