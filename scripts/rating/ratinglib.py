"""Shared code of the blind-rating kit (scripts/rating/make-sets, scripts/rating/aggregate).

The scales and the rules given to raters are those of ../shared/judging/README.md (RULES below is
its section "The rules given to each rater", word for word). Normalised text and the figures the
tool computes (rhyme, syllables, copied runs, judge bits/char) come from the `lyrics` binary; only
the model-free counts the tool has no command for on a given text (words per line, distinct-1/2,
with the definitions of Sources/Evaluation/SampleMetrics.swift) are computed here.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

KEY_FORMAT = "lyrics-rating-key 1"
HELD_OUT = "real held-out verse"
LINES = 4
DIMENSIONS = ("fluency", "sense", "craft")

# ../shared/judging/README.md, section "The rules given to each rater", verbatim.
RULES = """\
For each stanza give:
- fluency 1-5 (5 = every line grammatical and natural English; 1 = word salad),
- sense 1-5 (5 = the stanza means something coherent; 1 = no meaning),
- craft 1-5 (5 = a line a songwriter would keep: imagery, sound, rhythm; 1 = nothing usable),
- human: a guess, 1 if written by a person, 0 if by a program.
Some stanzas are by people (published verse), some by programs; raters are not told which or how many, and are
told to ignore the missing punctuation and capitals, stripped from all of them.
"""

# Options make-sets sets itself, or that would change what a stanza is (labels, song parts, JSON).
FORBIDDEN_ARGS = ("--lines", "--seed", "--json", "--labels", "--structure", "--part-lines", "--words",
                  "--characters", "--max-tokens", "--stop-word")


class Refusal(Exception):
    """A bad input: reported as one line `error: <file>: <problem>`, exit status 1."""

    def __init__(self, file, problem):
        super().__init__(f"{file}: {problem}")
        self.file, self.problem = file, problem


def fail(e):
    print(f"error: {e.file}: {e.problem}", file=sys.stderr)
    sys.exit(1)


def rules_from_readme(path):
    """The section "The rules given to each rater" of a judging README (to check RULES against)."""
    text = open(path, encoding="utf-8").read()
    m = re.search(r"^## The rules given to each rater\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    if not m:
        raise Refusal(path, "no section '## The rules given to each rater'")
    return m.group(1).strip("\n") + "\n"


# ---------------------------------------------------------------- the binary

def find_binary(given=None):
    """--binary, else $LYRICS_BIN, else the repository's release builds, else `lyrics` on PATH."""
    candidates = [given] if given else []
    if not given:
        if os.environ.get("LYRICS_BIN"):
            candidates.append(os.environ["LYRICS_BIN"])
        candidates.append(os.path.join(REPO, ".build", "release", "lyrics"))
        found = shutil.which("lyrics")
        if found:
            candidates.append(found)
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return os.path.abspath(c)
    raise Refusal(given or "lyrics", "no lyrics binary found (build it: swift build -c release; or give --binary PATH)")


def run_tool(binary, args, what, stderr=False):
    """Runs the binary; its stdout (with stderr=True: stdout and stderr), or a Refusal naming `what`
    with the tool's own error line."""
    p = subprocess.run([binary] + list(args), capture_output=True, text=True)
    if p.returncode != 0:
        last = [l for l in p.stderr.strip().splitlines() if l.strip()]
        raise Refusal(what, f"`lyrics {' '.join(args)}` failed: {last[-1] if last else 'exit ' + str(p.returncode)}")
    return (p.stdout, p.stderr) if stderr else p.stdout


def normalize(binary, text):
    """The tool's normalisation (lowercase, accents stripped, only a-z, apostrophe, space and newline
    kept, spaces collapsed, empty lines dropped), via `lyrics corpus --part all`: the lines of the result."""
    if not re.search(r"[^\s]", text):
        return []
    with tempfile.TemporaryDirectory(prefix="rating-") as d:
        path = os.path.join(d, "text.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text if text.endswith("\n") else text + "\n")
        try:
            out = run_tool(binary, ["corpus", "--corpus", path, "--part", "all"], "lyrics corpus")
        except Refusal as e:
            if "empty" in e.problem:
                return []
            raise
    return [l for l in out.split("\n") if l.strip()]


def setting_option(args, name):
    """The value of option `name` (e.g. --rhyme) in a setting's generate arguments, or None."""
    value = None
    for i, a in enumerate(args):
        if a == name and i + 1 < len(args):
            value = args[i + 1]
        elif a.startswith(name + "="):
            value = a[len(name) + 1:]
    return value


# ---------------------------------------------------------------- key file

def load_key(path):
    try:
        key = json.load(open(path, encoding="utf-8"))
    except OSError as e:
        raise Refusal(path, e.strerror or str(e))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise Refusal(path, f"not a key file (bad JSON: {e})")
    if not isinstance(key, dict) or key.get("format") != KEY_FORMAT:
        raise Refusal(path, f"not a key file (no \"format\": \"{KEY_FORMAT}\")")
    try:
        ids = {s["id"] for s in key["stanzas"]}
        names = [s["name"] for s in key["settings"]]
        for s in key["stanzas"]:
            if s["setting"] not in names or len(s["text"].split("\n")) != key["lines"]:
                raise Refusal(path, f"stanza {s['id']}: unknown setting or wrong line count")
        for name, f in key["files"].items():
            if sorted(f["stanzas"].values()) != sorted(ids):
                raise Refusal(path, f"{name}: does not hold every stanza exactly once")
    except (KeyError, TypeError, AttributeError) as e:
        raise Refusal(path, f"not a key file (missing or malformed {e})")
    return key


# ---------------------------------------------------------------- automatic metrics

def words_per_line(lines):
    """Mean words per non-empty line (SampleMetrics.wordsPerLine)."""
    lines = [l.split() for l in lines if l.split()]
    return sum(len(l) for l in lines) / len(lines) if lines else 0.0


def distinct(lines, n):
    """distinct-n (Li et al. 2016): distinct word n-grams / all word n-grams, n-grams inside one line
    (SampleMetrics.distinct). None when there is no n-gram."""
    seen, total = set(), 0
    for line in lines:
        w = line.split()
        for i in range(len(w) - n + 1):
            seen.add(tuple(w[i:i + n]))
            total += 1
    return len(seen) / total if total else None


def scheme_pairs(scheme, lines=LINES):
    """The (anchor, line) pairs a rhyme scheme asks to rhyme in a stanza of `lines` lines: every line
    with the first line of its letter, the scheme repeating (RhymeScheme.anchor, SongMetrics)."""
    letters = [c for c in scheme.upper() if not c.isspace()]
    pairs = []
    for k in range(lines):
        j = k % len(letters)
        first = letters.index(letters[j])
        if first < j:
            pairs.append((k - j + first, k))
    return pairs


def word_sounds(binary, words):
    """`lyrics rhyme --json w1 w2 ...` in chunks: per word its syllables, and for each neighbouring
    pair (w[2i], w[2i+1]) whether they rhyme. Returns (syllables dict, list of bools for the pairs)."""
    syllables, rhymes = {}, []
    chunk = 400  # an even number: pairs never straddle two calls
    for i in range(0, len(words), chunk):
        part = words[i:i + chunk]
        out = json.loads(run_tool(binary, ["rhyme", "--json", "--"] + part, "lyrics rhyme"))
        for e in out.get("words") or []:
            syllables[e["word"]] = e["syllables"]
        pairs = out.get("rhymes") or []
        rhymes += [pairs[j]["rhyme"] == "yes" for j in range(0, len(pairs), 2)]
    return syllables, rhymes


def rhyme_accuracy(binary, stanzas, scheme):
    """Share of the line pairs the scheme asks to rhyme whose last words rhyme (dictionary + fallback),
    as `lyrics songwriting-bench` measures it."""
    words = []
    for s in stanzas:
        ends = [l.split()[-1] for l in s]
        for a, k in scheme_pairs(scheme, len(s)):
            words += [ends[a], ends[k]]
    if not words:
        return None
    _, rhymes = word_sounds(binary, words)
    return sum(rhymes) / len(rhymes)


def syllable_accuracy(binary, stanzas, syllables):
    """Share of lines with exactly the asked syllables (one count, or one per line of a stanza,
    cycling), counted as the tool counts them (first pronunciation of each word)."""
    target = [int(x) for x in syllables.split(",")]
    vocab = sorted({w for s in stanzas for l in s for w in l.split()})
    counts, _ = word_sounds(binary, vocab)
    hits = total = 0
    for s in stanzas:
        for k, l in enumerate(s):
            total += 1
            hits += sum(counts[w] for w in l.split()) == target[k % len(target)]
    return hits / total if total else None


def copied_run(binary, lines, corpus, cache=None):
    """`lyrics check --min-run 3`: the longest run of words any line shares with the training text
    (runs under 3 words count as 0, as in the tool's sample-quality table) and the share of lines
    that are exact training lines."""
    with tempfile.TemporaryDirectory(prefix="rating-") as d:
        path = os.path.join(d, "lines.txt")
        open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")
        args = ["check", "--corpus", corpus, "--min-run", "3", "--json", "--quiet"]
        if cache:
            args += ["--cache", cache]
        out = json.loads(run_tool(binary, args + [path], "lyrics check"))
    s = out["summary"]
    return s["longestRun"], (s["exactCopies"] / s["lines"] if s["lines"] else 0.0)


def judge_bits(binary, lines, judge):
    """Bits per character an independent char model gives the text (the setting's lines, one per line):
    `lyrics char evaluate --part all --batch 1`."""
    with tempfile.TemporaryDirectory(prefix="rating-") as d:
        path = os.path.join(d, "lines.txt")
        open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")
        # one stream from a fresh state, as `lyrics songwriting-bench` scores its stanzas
        out = json.loads(run_tool(binary, ["char", "evaluate", "--model", judge, "--corpus", path, "--part", "all",
                                           "--batch", "1", "--threads", "1", "--json"], "lyrics char evaluate"))
    return out["bitsPerCharacter"]


def meter_accuracy(binary, stanzas, meter):
    """Share of lines that scan in `meter` (iambic, ..., or 0/1 patterns per line of a stanza,
    cycling): exactly the pattern's syllables with no stress against it, monosyllables either way,
    as `lyrics rhyme --scan --meter` and the writer read the CMU dictionary."""
    with tempfile.TemporaryDirectory(prefix="rating-") as d:
        path = os.path.join(d, "lines.txt")
        share, total = 0.0, 0
        for s in stanzas:  # stanza by stanza, so per-line patterns restart with each stanza
            open(path, "w", encoding="utf-8").write("\n".join(s) + "\n")
            out = json.loads(run_tool(binary, ["rhyme", "--scan", path, "--meter", meter, "--json"], "lyrics rhyme --scan"))
            share += out["scanShare"] * len(s)
            total += len(s)
    return share / total if total else None


def setting_metrics(binary, key, corpus=None, judge=None, cache=None, rhyme=None, meter=None):
    """Per setting (key order), the automatic metrics of its stanzas, all stanzas of a setting pooled.
    Rhyme, syllables and meter are measured against what the setting's arguments ask, else against
    `rhyme`/`meter` when given (a form the tool writes by default, or a baseline for real verse)."""
    rows = []
    for setting in key["settings"]:
        stanzas = [s["text"].split("\n") for s in key["stanzas"] if s["setting"] == setting["name"]]
        lines = [l for s in stanzas for l in s]
        args = setting.get("args") or []
        scheme = setting_option(args, "--rhyme") or rhyme
        syl = setting_option(args, "--syllables")
        asked_meter = setting_option(args, "--meter") or meter
        row = {
            "setting": setting["name"],
            "stanzas": len(stanzas),
            "lines": len(lines),
            "wordsPerLine": words_per_line(lines),
            "distinct1": distinct(lines, 1),
            "distinct2": distinct(lines, 2),
            "rhymeScheme": scheme,
            "rhymeAccuracy": rhyme_accuracy(binary, stanzas, scheme) if scheme and binary else None,
            "syllables": syl,
            "syllableAccuracy": syllable_accuracy(binary, stanzas, syl) if syl and binary else None,
            "meter": asked_meter,
            "meterAccuracy": meter_accuracy(binary, stanzas, asked_meter) if asked_meter and binary else None,
            "longestCopiedRun": None,
            "exactTrainingLineShare": None,
            "judgeBitsPerChar": None,
        }
        if corpus:
            row["longestCopiedRun"], row["exactTrainingLineShare"] = copied_run(binary, lines, corpus, cache)
        if judge:
            row["judgeBitsPerChar"] = judge_bits(binary, lines, judge)
        rows.append(row)
    return rows
