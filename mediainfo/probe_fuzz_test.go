package mediainfo

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// probeJSON writes ffprobe's JSON for what Probe reads of info: the inverse of
// parseProbeOutput on the fields it sets.
func probeJSON(info Info) []byte {
	type stream struct {
		CodecType string `json:"codec_type"`
		CodecName string `json:"codec_name,omitempty"`
		Width     int    `json:"width,omitempty"`
		Height    int    `json:"height,omitempty"`
	}
	var out struct {
		Streams []stream `json:"streams"`
		Format  struct {
			Duration string            `json:"duration"`
			Tags     map[string]string `json:"tags,omitempty"`
		} `json:"format"`
	}
	if info.Codec != "" || info.Width > 0 {
		out.Streams = append(out.Streams, stream{CodecType: "video", CodecName: info.Codec, Width: info.Width, Height: info.Height})
	}
	out.Format.Duration = strconv.FormatFloat(info.Duration, 'g', -1, 64)
	if info.CreatedAt != nil {
		out.Format.Tags = map[string]string{"creation_time": info.CreatedAt.Format(time.RFC3339Nano)}
	}
	b, err := json.Marshal(out)
	if err != nil {
		panic(err)
	}
	return b
}

// FuzzParseProbeOutput parses fuzzed ffprobe output over what Inspect found of a file,
// and checks: a refusal leaves that unchanged; otherwise only the ffprobe fields
// change, to a finite duration that is not negative, both dimensions or neither, a
// creation time in UTC; the metadata as an ingest records it survives its JSON form
// (the contents row's meta column); and writing what was read back as ffprobe JSON reads
// the same again.
func FuzzParseProbeOutput(f *testing.F) {
	f.Add(`{"streams":[{"index":0,"codec_name":"h264","codec_type":"video","width":64,"height":48,"duration":"1.000000","disposition":{"default":1,"attached_pic":0}},` +
		`{"index":1,"codec_name":"aac","codec_type":"audio","duration":"1.021678"}],` +
		`"format":{"filename":"file:/evidence/testsrc.mp4","format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"1.021678","size":"12345",` +
		`"tags":{"major_brand":"isom","creation_time":"2026-11-20T10:15:00.000000Z","encoder":"Lavf60.16.100"}}}`)
	f.Add(`{"streams":[{"codec_name":"aac","codec_type":"audio","duration":"2.000000"},` +
		`{"codec_name":"mjpeg","codec_type":"video","width":300,"height":300,"disposition":{"attached_pic":1}}],` +
		`"format":{"duration":"2.000000","tags":{"title":"tone"}}}`)
	f.Add(`{"streams":[{"codec_type":"video","codec_name":"vp9","width":1920,"height":1080,"duration":"N/A"}],` +
		`"format":{"duration":"N/A","tags":{"CREATION_TIME":"2026-11-20 10:15:00","DATE_UTC":"2026-11-20"}}}`)
	f.Add(`{"streams":[{"codec_type":"video","codec_name":"hevc","width":0,"height":720,"duration":"-1"},{"codec_type":"audio","duration":"3.5"}],` +
		`"format":{"duration":"NaN","tags":{"creation_time":"2026-11-20T15:45:00+05:30"}}}`)
	f.Add(`{"format":{"duration":"1e308","tags":{"creation_time":"not a time"}},"streams":[{"codec_type":"video","width":"64"}]}`)
	f.Add(`{"streams":[],"format":{}}`)
	f.Add(`{}`)
	f.Add(`null`)
	f.Add(`[]`)
	f.Add(`{"streams":[{"codec_type":"video"`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, out string) {
		// What Inspect found of a video, before ffprobe.
		inspected := Info{MIME: "video/mp4", Extension: ".mp4", Camera: "Canon EOS 5D", Orientation: 6}
		info, err := parseProbeOutput([]byte(out), inspected)
		if err != nil {
			if diff := cmp.Diff(inspected, info); diff != "" {
				t.Fatalf("parseProbeOutput(%q) failed (%v) but changed info (-before +after):\n%s", out, err, diff)
			}
			return
		}
		probed := info
		probed.Duration, probed.Codec, probed.Width, probed.Height, probed.CreatedAt = 0, "", 0, 0, nil
		if diff := cmp.Diff(inspected, probed); diff != "" {
			t.Fatalf("parseProbeOutput(%q) changed what is not ffprobe's (-before +after):\n%s", out, diff)
		}
		if math.IsNaN(info.Duration) || math.IsInf(info.Duration, 0) || info.Duration < 0 {
			t.Fatalf("parseProbeOutput(%q): duration %v", out, info.Duration)
		}
		if info.Width < 0 || info.Height < 0 || (info.Width == 0) != (info.Height == 0) {
			t.Fatalf("parseProbeOutput(%q): dimensions %dx%d", out, info.Width, info.Height)
		}
		if info.CreatedAt != nil && info.CreatedAt.Location() != time.UTC {
			t.Fatalf("parseProbeOutput(%q): creation time %v is not in UTC", out, info.CreatedAt)
		}
		if !utf8.ValidString(info.Codec) {
			t.Fatalf("parseProbeOutput(%q): codec %q", out, info.Codec)
		}

		// As ingest records it.
		meta := caseroom.MediaMeta{Width: info.Width, Height: info.Height, Camera: info.Camera, TakenAt: info.TakenAt,
			Orientation: info.Orientation, Duration: info.Duration, Codec: info.Codec, CreatedAt: info.CreatedAt}
		b, err := json.Marshal(meta)
		if err != nil {
			t.Fatalf("parseProbeOutput(%q) gives metadata that cannot be recorded: %v", out, err)
		}
		var back caseroom.MediaMeta
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("parseProbeOutput(%q): the recorded metadata %s does not read back: %v", out, b, err)
		}
		if diff := cmp.Diff(meta, back); diff != "" {
			t.Fatalf("parseProbeOutput(%q): the recorded metadata reads back otherwise (-recorded +read):\n%s", out, diff)
		}

		again, err := parseProbeOutput(probeJSON(info), inspected)
		if err != nil {
			t.Fatalf("parseProbeOutput(%s), written from what %q gave: %v", probeJSON(info), out, err)
		}
		if diff := cmp.Diff(info, again); diff != "" {
			t.Fatalf("parseProbeOutput(%q) and the same written back differ (-first +again):\n%s", out, diff)
		}
	})
}
