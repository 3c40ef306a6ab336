-- Video hashes (vPDQ) and the details of video matches (issue 9). Record tables: each
-- row carries the audit entry that created it.

-- The vPDQ hash of a video content: the frames hashed (every seconds_per_hash seconds,
-- 0 for every frame, of a video of frame_rate frames a second; both as decimal text),
-- one "frame,quality,pdq,timestamp" line each, as the reference tools write them.
CREATE TABLE content_vpdq (
    sha256           TEXT PRIMARY KEY REFERENCES contents (sha256),
    seconds_per_hash TEXT NOT NULL,
    frame_rate       TEXT NOT NULL,
    frame_count      BIGINT NOT NULL,
    frames           TEXT NOT NULL,
    entry            BIGINT NOT NULL
);
CREATE INDEX content_vpdq_entry ON content_vpdq (entry);

-- The details of a match by vPDQ (matches.method 'vpdq'): between two videos, the
-- percentage of the first video's (matches.sha256) distinct matchable frames found in
-- the other and of the other's found in it (decimal text, 4 places); for a known-set
-- entry, the number of the video's frame that matched it.
CREATE TABLE video_matches (
    match_id  TEXT PRIMARY KEY REFERENCES matches (id),
    this_pct  TEXT,
    other_pct TEXT,
    frame    BIGINT,
    entry    BIGINT NOT NULL
);
CREATE INDEX video_matches_entry ON video_matches (entry);
