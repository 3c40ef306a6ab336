package caseroom

// VideoHash is the vPDQ hash of a video content: the PDQ hash and quality of frames
// sampled every SecondsPerHash seconds (0: every frame) of a video of FrameRate frames
// a second. Two videos are compared as bags of frames (see VideoMatchPercent).
type VideoHash struct {
	SecondsPerHash float64      `json:"secondsPerHash"`
	FrameRate      float64      `json:"frameRate"`
	Frames         []VideoFrame `json:"frames"`
}

// VideoFrame is one hashed frame of a video: its number from 0 in decoding order,
// quality (0-100), PDQ hash (hex) and time in seconds (frame / average frame rate).
type VideoFrame struct {
	Number    int     `json:"frame"`
	Quality   int     `json:"quality"`
	PDQ       string  `json:"pdq"`
	Timestamp float64 `json:"timestamp"`
}

// VideoMatchPercent is the share of one video's distinct frames (of quality
// MinMatchQuality or more) that must have a frame of the other within MatchRadius for
// the two to be recorded as a match: a copy (both ways high) or a clip cut from the
// other (high one way only). Both percentages are kept with the match.
const VideoMatchPercent = 80

// VideoMatch is the frame overlap of a video match: the percentage of this video's
// frames found in the other, and of the other's found in this one.
type VideoMatch struct {
	ThisInOther float64 `json:"thisInOther"`
	OtherInThis float64 `json:"otherInThis"`
}
