"""Bit-for-bit twin of packages/drift/test/helpers/prng.ts (mulberry32 and the fixture generators)."""
import math

M32 = 0xFFFFFFFF


def _imul(a, b):
    r = (a * b) & M32
    return r - (1 << 32) if r & 0x80000000 else r


def _i32(x):
    x &= M32
    return x - (1 << 32) if x & 0x80000000 else x


def mulberry32(seed):
    state = [_i32(seed)]

    def next_value():
        a = _i32(state[0] + 0x6D2B79F5)
        state[0] = a
        t = _imul(a ^ ((a & M32) >> 15), 1 | a)
        t = _i32(t + _imul(t ^ ((t & M32) >> 7), 61 | t)) ^ t
        return ((t ^ ((t & M32) >> 14)) & M32) / 4294967296

    return next_value


def generate(spec):
    nxt = mulberry32(spec["seed"])
    out = []
    for _ in range(spec["n"]):
        if spec["kind"] == "int":
            out.append(float(math.floor(nxt() * spec["k"])))
        else:
            s = nxt()
            s = s + nxt()
            s = s + nxt()
            s = s + nxt()
            out.append((s - 2) * spec["scale"] + spec["loc"])
    return out
