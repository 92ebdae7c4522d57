"""Benchmark: what one offline PIN guess costs against the operator list a terminal holds.

Times, in the same run and interleaved, one guess against:

- the old verification material: scrypt (N=16384, r=8, p=1), what every terminal downloaded;
- the new one: the same scrypt, then argon2id over its hash with the server's production cost
  (`vendserver.service.common.PIN_MATERIAL`), made for one terminal.

Prints the median cost per guess of each, the ratio, and what an exhaustive search of a
4-, 6- and 8-digit PIN costs on one core with each.

Run: ``.venv/bin/python bench/pin_kdf.py [--repeat 7]``
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.api.pins import verify_pin  # noqa: E402
from vendserver.service.common import KDF, PIN_MATERIAL, pin_material  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    salt = bytes(range(16))
    scrypt_hash = hashlib.scrypt(b"4321", salt=salt, n=KDF["n"], r=KDF["r"], p=KDF["p"],
                                 dklen=KDF["dklen"])
    old_kdf: dict[str, object] = {"alg": "scrypt", **KDF, "salt": salt.hex()}
    argon_salt, material = pin_material(scrypt_hash, "T0001", salt, PIN_MATERIAL)
    new_kdf: dict[str, object] = {"alg": "scrypt+argon2id", **KDF, "salt": salt.hex(),
                                  "argon2id": {**PIN_MATERIAL, "salt": argon_salt.hex()}}
    assert verify_pin("4321", old_kdf, scrypt_hash.hex())
    assert verify_pin("4321", new_kdf, material.hex())
    old: list[float] = []
    new: list[float] = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        assert not verify_pin("0000", old_kdf, scrypt_hash.hex())
        old.append(time.perf_counter() - start)
        start = time.perf_counter()
        assert not verify_pin("0000", new_kdf, material.hex())
        new.append(time.perf_counter() - start)
    old_s, new_s = statistics.median(old), statistics.median(new)
    print(f"old scrypt N={KDF['n']}: {old_s * 1000:.1f} ms per guess")
    print(f"new scrypt + argon2id ({PIN_MATERIAL['iterations']} passes, "
          f"{PIN_MATERIAL['memory_kib'] // 1024} MiB): {new_s * 1000:.1f} ms per guess")
    print(f"ratio new/old: {new_s / old_s:.1f}x")
    for digits in (4, 6, 8):
        space = 10 ** digits
        print(f"{digits}-digit PIN, whole space on one core: old {space * old_s / 3600:.1f} h, "
              f"new {space * new_s / 3600:.1f} h")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
