import LyricsCore
