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
}
