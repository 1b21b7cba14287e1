#!/usr/bin/env python3
"""Builds corpora/songs.csv: the bundled Psalms and Sonnets as a table of songs in the layout of
Kaggle's "380,000 lyrics" CSV (index, song, year, artist, genre, lyrics), one row per psalm or
sonnet, the lyrics multi-line and quoted as pandas/csv write them. The text is copied as it is
(no normalisation: `lyrics` normalises when it reads the table).

    python3 scripts/make_songs_csv.py            # from the repository root
"""
import csv
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = [
    # file, song name prefix, year, artist, genre
    ("corpora/psalms.txt", "psalm", 1611, "David", "Psalm"),
    ("corpora/sonnets.txt", "sonnet", 1609, "Shakespeare", "Sonnet"),
]


def blocks(path):
    """The blank-line-separated blocks of a file (one psalm or sonnet each), without the final newline."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return [b.strip("\n") for b in text.split("\n\n") if b.strip()]


def main():
    out = os.path.join(ROOT, "corpora", "songs.csv")
    rows = 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")  # QUOTE_MINIMAL: fields with commas or newlines are quoted
        w.writerow(["index", "song", "year", "artist", "genre", "lyrics"])
        for path, prefix, year, artist, genre in SOURCES:
            for k, block in enumerate(blocks(os.path.join(ROOT, path)), start=1):
                w.writerow([rows, f"{prefix}-{k}", year, artist, genre, block])
                rows += 1
    print(f"wrote {out}: {rows} songs")


if __name__ == "__main__":
    main()
