package commsfile

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"caseroom"
)

// skypeMessage is what is read of a message of a Skype export's MessageList.
type skypeMessage struct {
	DisplayName         string `json:"displayName"`
	OriginalArrivalTime string `json:"originalarrivaltime"`
	MessageType         string `json:"messagetype"`
	Content             string `json:"content"`
	ConversationID      string `json:"conversationid"`
	From                string `json:"from"`
}

// readSkype reads the rest of a Skype export whose first member's key, key, has been
// read.
func readSkype(j *jsonReader, key string, loc *time.Location, fn func(caseroom.CommRow) error) error {
	var user caseroom.RawEndpoint
	sawUser, sawConversations := false, false
	var messages int64
	for {
		var err error
		switch key {
		case "userId":
			var id string
			if id, err = j.str(key); err != nil {
				return err
			}
			if id == "" {
				return invalid("userId: empty; a Skype export names the user whose export it is")
			}
			user, _ = skypeParty(id)
			if user.Value == "" {
				return invalid("userId: %s is not a Skype id", quote(id))
			}
			user.Service = skypeService
			sawUser = true
		case "conversations":
			if !sawUser {
				return invalid("\"conversations\" comes before \"userId\"; Caseroom reads a Skype export as Skype writes it, userId first")
			}
			sawConversations = true
			err = j.array(key, func() error { return j.skypeConversation(user, &messages, loc, fn) })
		case "format":
			return invalid("\"format\" must be the first member of a %s file", chatFormat)
		default:
			err = j.skip()
		}
		if err != nil {
			return err
		}
		if !j.dec.More() {
			break
		}
		t, err := j.token()
		if err != nil {
			return err
		}
		key, _ = t.(string)
	}
	if _, err := j.token(); err != nil { // '}'
		return err
	}
	if !sawUser || !sawConversations {
		return invalid("not a chat file Caseroom reads: a JSON object that is neither of format %s (its first member \"format\") nor a Skype export (with \"userId\" and \"conversations\")", chatFormat)
	}
	return nil
}

// skypeConversation reads one conversation of a Skype export; messages counts the
// messages read so far in the file.
func (j *jsonReader) skypeConversation(user caseroom.RawEndpoint, messages *int64, loc *time.Location, fn func(caseroom.CommRow) error) error {
	var id, name string
	return j.object("a conversation", false, func(key string) error {
		var err error
		switch key {
		case "id":
			id, err = j.str(key)
		case "displayName":
			name, err = j.str(key)
		case "MessageList":
			err = j.array(key, func() error {
				*messages++
				j.where = fmt.Sprintf("record %d", *messages)
				var m skypeMessage
				if err := j.decode(&m); err != nil {
					return err
				}
				row, ok, err := j.skypeRow(&m, id, name, user, loc)
				j.where = ""
				if err != nil || !ok {
					return err
				}
				row.Line = *messages
				return fn(row)
			})
		default:
			err = j.skip()
		}
		return err
	})
}

// skypeRow makes the row of message m of the conversation id named name, or reports
// false for a message that is skipped.
func (j *jsonReader) skypeRow(m *skypeMessage, id, name string, user caseroom.RawEndpoint, loc *time.Location) (caseroom.CommRow, bool, error) {
	row := caseroom.CommRow{Directed: true}
	conv := strings.TrimSpace(m.ConversationID)
	if conv == "" {
		conv = id
	}
	if conv == "" {
		return row, false, j.errorf("conversationid: missing, and the conversation has no id")
	}
	other, person := skypeParty(conv)
	if !person {
		return row, false, nil // a group chat, a bot, Skype's own
	}
	if other.Value == "" {
		return row, false, j.errorf("conversationid: %s is not a Skype id", quote(conv))
	}
	mt := m.MessageType
	switch {
	case strings.HasPrefix(mt, "Event/Call"):
		row.Kind = caseroom.CommCall
		row.Duration = skypeCallDuration(m.Content)
	case mt == "Text" || mt == "RichText" || strings.HasPrefix(mt, "RichText/") || mt == "EndToEndEncryption/EncryptedText":
		row.Kind = caseroom.CommMessage
	default:
		return row, false, nil
	}
	from := strings.TrimSpace(m.From)
	if i := strings.LastIndex(from, "/contacts/"); i >= 0 {
		from = from[i+len("/contacts/"):] // older exports give a URL ending in the id
	}
	if from == "" {
		return row, false, j.errorf("from: missing")
	}
	sender, _ := skypeParty(from)
	if sender.Value == "" {
		return row, false, j.errorf("from: %s is not a Skype id", quote(from))
	}
	at := strings.TrimSpace(m.OriginalArrivalTime)
	if at == "" {
		return row, false, j.errorf("originalarrivaltime: missing")
	}
	var msg string
	if row.At, msg = chatTime(at, loc); msg != "" {
		return row, false, j.errorf("originalarrivaltime: %s", msg)
	}
	other.Service, sender.Service = skypeService, skypeService
	other.Name = name
	switch {
	case sender.Value == user.Value:
		row.From, row.To = user, other
	case sender.Value == other.Value:
		row.From, row.To = other, user
	default:
		sender.Name = strings.TrimSpace(m.DisplayName)
		row.From, row.To = sender, user
	}
	return row, true, nil
}

// skypeParty reads a Skype id: "8:" (a Skype user) is dropped and the rest is a handle;
// "4:" (a phone number) is dropped and the rest is a phone number; an id without a
// type prefix is read as any endpoint. Other prefixes (19: group chats, 28: bots, 48:
// Skype's own) are kept and person reports false.
func skypeParty(id string) (ep caseroom.RawEndpoint, person bool) {
	i := leadingDigits(id)
	if i == 0 || i == len(id) || id[i] != ':' {
		return caseroom.RawEndpoint{Kind: endpointKind(id), Value: id}, true
	}
	switch id[:i] {
	case "8":
		return caseroom.RawEndpoint{Kind: caseroom.IdentifierHandle, Value: id[i+1:]}, true
	case "4":
		return caseroom.RawEndpoint{Kind: caseroom.IdentifierPhone, Value: id[i+1:]}, true
	}
	return caseroom.RawEndpoint{Kind: caseroom.IdentifierHandle, Value: id}, false
}

// skypeCallDuration returns the seconds of the first <duration> element of the
// content of an Event/Call message, 0 if it has none.
func skypeCallDuration(content string) int64 {
	_, rest, ok := strings.Cut(content, "<duration>")
	if !ok {
		return 0
	}
	v, _, ok := strings.Cut(rest, "</duration>")
	if !ok {
		return 0
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || !(f >= 0 && f <= 100*24*3600) {
		return 0
	}
	return int64(f + 0.5)
}
