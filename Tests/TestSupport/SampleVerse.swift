import LyricsCore

/// A few hundred characters of normalised verse (the opening of Sonnet 18) that the model tests
/// train and score on, so they run in milliseconds without a corpus file.
public enum SampleVerse {
    public static let sonnet = TextNormalizer.normalize("""
    Shall I compare thee to a summer's day?
    Thou art more lovely and more temperate:
    Rough winds do shake the darling buds of May,
    And summer's lease hath all too short a date;
    Sometime too hot the eye of heaven shines,
    And often is his gold complexion dimm'd;
    And every fair from fair sometime declines,
    By chance or nature's changing course untrimm'd;
    """)

    /// Six lines with one repeated and some shared runs: the training text of the originality
    /// index tests and of `lyrics check`'s.
    public static let copyCheck = """
    the quick brown fox jumps over the lazy dog
    my love is like a red red rose
    o my luve is like a melody
    the night is dark and full of stars
    my love is like a red red rose
    shall i compare thee to a summer's day

    """
}
