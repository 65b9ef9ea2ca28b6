"""
Computes the WAMP-SCRAM principal entries of test/routers/crossbar/config.json.

Run it with the Python of the Crossbar.io virtual environment (it needs argon2-cffi
and passlib, which Crossbar.io depends on):

    <cacheDir>/crossbar-venv-<hash>/bin/python test/routers/crossbar/make_scram_keys.py

It prints the "principals" object of the "scram" authentication block. The output is
deterministic (the salts derive from the authids), so re-running it reproduces the
values that are in config.json.

What Crossbar.io (crossbar/router/auth/scram.py) expects from a static principal:
  kdf         "argon2id-13" or "pbkdf2" (sent to the client verbatim in CHALLENGE.extra.kdf)
  iterations  int (argon2 time cost, or PBKDF2 iteration count)
  memory      int, mandatory even for pbkdf2 (argon2 memory cost in KiB)
  salt        hex; the CHALLENGE carries it base64-encoded
  stored-key  hex of SHA256(HMAC(SaltedPassword, "Client Key"))
  server-key  hex of HMAC(SaltedPassword, "Server Key")

SaltedPassword, i.e. what a client has to compute from the password:
  argon2id-13: Crossbar's reference client (autobahn-python, AuthScram and
               derive_scram_credential) uses the *unpadded base64 text* of the 32-byte
               Argon2id v1.3 output (parallelism 1) as the HMAC key -- not the raw bytes
               the WAMP spec describes. We follow autobahn-python so that a client that
               works here also works with credentials made by autobahn's tooling.
  pbkdf2:      autobahn-python cannot do it (it passes the base64 salt as str to a
               function that wants bytes), so we follow the spec:
               PBKDF2-HMAC-SHA256(utf8(password), base64decode(salt), iterations, 32),
               raw 32 bytes.
"""

import base64
import hashlib
import hmac
import json

from argon2.low_level import Type, hash_secret_raw
from passlib.utils import saslprep

PASSWORD = "scram-secret"

USERS = [
    # authid, kdf, iterations, memory (KiB); costs are kept low so tests stay fast
    ("scramuser", "argon2id-13", 4, 1024),
    ("scrampbkdf2", "pbkdf2", 4096, 0),
]


def salted_password(kdf: str, password: str, salt: bytes, iterations: int, memory: int) -> bytes:
    pw = saslprep(password).encode("utf8")
    if kdf == "argon2id-13":
        raw = hash_secret_raw(
            secret=pw,
            salt=salt,
            time_cost=iterations,
            memory_cost=memory,
            parallelism=1,
            hash_len=32,
            type=Type.ID,
            version=19,
        )
        return base64.b64encode(raw).rstrip(b"=")
    if kdf == "pbkdf2":
        return hashlib.pbkdf2_hmac("sha256", pw, salt, iterations, 32)
    raise ValueError(kdf)


def principal(authid: str, kdf: str, iterations: int, memory: int) -> dict:
    salt = hashlib.sha256(("react-wamp-test:" + authid).encode("utf8")).digest()[:16]
    sp = salted_password(kdf, PASSWORD, salt, iterations, memory)
    client_key = hmac.new(sp, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(sp, b"Server Key", hashlib.sha256).digest()
    return {
        "kdf": kdf,
        "iterations": iterations,
        "memory": memory,
        "salt": salt.hex(),
        "stored-key": stored_key.hex(),
        "server-key": server_key.hex(),
        "role": "user",
    }


if __name__ == "__main__":
    print(json.dumps({a: principal(a, k, i, m) for a, k, i, m in USERS}, indent=2))
