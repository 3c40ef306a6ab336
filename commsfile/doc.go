// Package commsfile reads files of communications from seized exhibits, phone
// call-detail records (CDR) and chat exports, and streams each row to a callback as a
// caseroom.CommRow. It holds one row (one CSV record, one JSON message) at a time, so
// memory stays flat however long the file. Endpoints are given as the file writes them,
// trimmed of surrounding space: normalising phone numbers is the importer's job.
//
// # Endpoint kinds
//
// A value with a letter and an "@" is an e-mail address (caseroom.IdentifierEmail), a
// value with a letter and no "@" a chat handle (IdentifierHandle), any other value a
// phone number (IdentifierPhone). Our JSON layout may instead say which a contact is.
//
// # Errors
//
// Input that cannot be used stops the reading with a *caseroom.Error of code EINVALID
// whose message names the line (CSV, counting the header as line 1) or record (JSON) and
// the field, says what is wrong and what to write instead. The callback has seen the rows
// before the bad one; a caller that must not import half a file reads it twice, once to
// check and once to write. An error returned by the callback stops the reading and is
// returned as it is.
//
// # CDR (ReadCDR)
//
// A CDR is a CSV file with a header row, separated by commas, semicolons or tabs (the
// one the header line holds most of), in UTF-8 with or without a byte order mark, with
// LF or CRLF line ends. ReadCDR and docs/comms-formats.md list the header names each
// field is found by, the call types and the date and time layouts.
//
// # Chat (ReadChat)
//
// ReadChat reads three layouts and tells them apart by their start: a JSON object whose
// first member is "format" is our own JSON layout; another JSON object is read as a
// Skype data export (messages.json, with "userId" and "conversations"); anything else
// must be our own CSV layout, whose header has at least from, to and at.
//
// Our JSON layout, caseroom-chat/1, is one UTF-8 JSON object (a byte order mark and
// white space around it are tolerated; insignificant white space anywhere, as JSON
// allows). Its members come in this order, each at most once:
//
//	{"format":"caseroom-chat/1","service":"skype","account":"live:rafiq.g",
//	 "contacts":[{"handle":"live:buyer.uk","name":"Buyer UK","country":"GB","added":"2015-05-01T10:00:00Z"}],
//	 "messages":[{"from":"live:rafiq.g","to":"live:buyer.uk","at":"2015-06-02T10:00:00Z","kind":"message","duration":0}]}
//
// The members are:
//
//   - "format" (required, first): the string "caseroom-chat/1".
//   - "service" (optional): the service of every endpoint of the file, such as "skype"
//     or "whatsapp"; ChatOptions.Service when absent.
//   - "account" (required when there are contacts): the handle, number or address of
//     the account whose export this is, the owner of the contact list.
//   - "contacts" (optional): an array of contact objects, the account's contact list.
//     Each becomes a row of kind contact from the account to the contact, Directed.
//   - "messages" (optional): an array of message objects. Each becomes a row of its
//     kind from "from" to "to", Directed.
//
// A contact object has, in any order: exactly one of "handle", "phone" or "email" (a
// non-empty string: the contact, of that kind); "name" (optional string, the name the
// list shows); "country" (optional, an ISO 3166-1 alpha-2 code such as "GB", the country
// the contact was stated to be in); and "added" (required, a time: when the contact was
// added, the row's At).
//
// A message object has, in any order: "from" and "to" (required non-empty strings);
// "at" (required, a time); "kind" (optional, "message", "call" or "sms"; "message" when
// absent); and "duration" (optional, a whole number of seconds, 0 or more; 0 when
// absent).
//
// A time is RFC 3339, "2015-06-02T10:00:00Z" or "2015-06-02T15:00:00+05:00", with
// optional fractions of a second; a time without an offset ("2015-06-02T10:00:00" or
// "2015-06-02 10:00:00") is in ChatOptions.Location. A null member is as if absent. A
// member not named here is an error naming it. Records are numbered in file order from
// 1: contacts 1 to n, then messages n+1 onwards; a row's Line is its record's number.
//
// Our CSV layout has the header
//
//	service,from,to,at,kind,duration,from_name,to_name,country
//
// in that order as Caseroom writes it; a reader takes the columns in any order and only
// from, to and at are required. Names are matched without regard to case or surrounding
// space; another column is an error. Each row is one Directed row from "from" to "to":
// service as in JSON (ChatOptions.Service when the column is absent or the field
// empty); at a time as in JSON, or any date and time layout ReadCDR reads, day first;
// kind "message" (when empty), "call", "sms" or "contact"; duration whole seconds or
// HH:MM:SS (0 when empty); from_name and to_name the display names of the two sides;
// country an ISO 3166-1 alpha-2 code that applies to the "to" side. The separator, byte
// order mark and line ends are as for a CDR.
//
// A Skype export is read as docs/comms-formats.md and ReadChat describe: one row per
// message or call of a one-to-one conversation, group chats and system messages left out.
package commsfile
