"""Propose CMU-phone pronunciations for words the PocketSphinx dictionary lacks.

Usage: python scripts/propose_pronunciations.py WORD [WORD ...]
       python scripts/propose_pronunciations.py --dropped   (every word left out of a grammar)

It asks espeak-ng (its letter-to-sound rules) how each word is said and maps its
phonemes to the CMU set. Read what it prints before pasting it into
intents/en/pronunciations.yaml: letter-to-sound rules guess, and an acronym is
spelt out letter by letter, which the rules cannot know.
"""

from __future__ import annotations

import subprocess
import sys

# espeak-ng's English phoneme names -> CMU phones (longest names first when read)
ESPEAK_TO_CMU = {
    "aI@": "AY AH", "aU@": "AW ER", "i@3": "IY ER", "A@": "AA R", "O@": "AO R", "o@": "AO R",
    "e@": "EH R", "i@": "IH R", "U@": "UH R", "3:": "ER", "3": "ER", "@L": "AH L", "@r": "ER",
    "aI": "AY", "aU": "AW", "eI": "EY", "OI": "OY", "oU": "OW", "A:": "AA", "O:": "AO",
    "i:": "IY", "u:": "UW", "a#": "AH", "@2": "AH", "@5": "AH", "a2": "AH", "I2": "IH",
    "I#": "IH", "e#": "EH", "tS": "CH", "dZ": "JH", "t#": "T", "n-": "AH N", "l-": "AH L",
    "r-": "R", "0": "AA", "a": "AE", "@": "AH", "E": "EH", "e": "EH", "I": "IH", "i": "IY",
    "U": "UH", "V": "AH", "O": "AO", "A": "AA", "u": "UW",
    "p": "P", "b": "B", "t": "T", "d": "D", "k": "K", "g": "G", "f": "F", "v": "V",
    "T": "TH", "D": "DH", "s": "S", "z": "Z", "S": "SH", "Z": "ZH", "h": "HH", "m": "M",
    "n": "N", "N": "NG", "l": "L", "r": "R", "w": "W", "j": "Y", "x": "K",
}
LETTERS = {
    "a": "EY", "b": "B IY", "c": "S IY", "d": "D IY", "e": "IY", "f": "EH F", "g": "JH IY",
    "h": "EY CH", "i": "AY", "j": "JH EY", "k": "K EY", "l": "EH L", "m": "EH M", "n": "EH N",
    "o": "OW", "p": "P IY", "q": "K Y UW", "r": "AA R", "s": "EH S", "t": "T IY", "u": "Y UW",
    "v": "V IY", "w": "D AH B AH L Y UW", "x": "EH K S", "y": "W AY", "z": "Z IY",
}
ACRONYMS = {"copd", "ckd", "hctz", "dvt", "pad"}
_IGNORED = set("',;_:|=!%")


def espeak_phonemes(word: str) -> str:
    result = subprocess.run(["espeak-ng", "-v", "en-us", "-q", "-x", word],
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def to_cmu(phonemes: str) -> str:
    names = sorted(ESPEAK_TO_CMU, key=len, reverse=True)
    out: list[str] = []
    i = 0
    while i < len(phonemes):
        match = next((name for name in names if phonemes.startswith(name, i)), None)
        if match is None:
            if phonemes[i] not in _IGNORED and not phonemes[i].isspace():
                raise ValueError(f"unknown espeak phoneme at {phonemes[i:]!r}")
            i += 1
            continue
        out.append(ESPEAK_TO_CMU[match])
        i += len(match)
    # "o@" + "r" and the like say one r, not two
    return " ".join(out).replace("ER R", "ER").replace("R R", "R")


def propose(word: str) -> str:
    if word in ACRONYMS:
        return " ".join(LETTERS[letter] for letter in word)
    return to_cmu(espeak_phonemes(word))


def dropped_words() -> list[str]:
    from skill.asr.pocketsphinx import PocketSphinxRecognizer
    from skill.dialogue.flow import EXPECTING
    from skill.nlu.understand import default_understander

    recognizer = PocketSphinxRecognizer(default_understander())
    for question in set(EXPECTING.values()):
        recognizer.prepare(question)
    return sorted(recognizer.builder.dropped)


def main(argv: list[str]) -> int:
    words = dropped_words() if argv == ["--dropped"] else argv
    if argv == ["--dropped"] and not words:
        print("Every word the grammars use is in the dictionary.")
        return 0
    if not words:
        print(__doc__)
        return 2
    for word in words:
        print(f"  {word}: {propose(word)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
