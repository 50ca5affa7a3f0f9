package steps

import "strings"

// DocumentedMessage is one answer the spec page documents for cli_add.
type DocumentedMessage struct {
	Text    string // as the page prints it; user_name is the page's placeholder
	IsError bool   // inside <error>, else the <status> text
}

// DocumentedMessages lists every answer of the spec page, in its order:
// the success status, then each error.
var DocumentedMessages = []DocumentedMessage{
	{Text: "CLI successfully created"},
	{Text: "CLI must be numeric", IsError: true},
	{Text: "CLI already exists. It is assigned to user_name device", IsError: true},
	{Text: "CLI Number cannot be empty", IsError: true},
	{Text: "IVR was not found", IsError: true},
	{Text: "Device ID cannot be empty", IsError: true},
	{Text: "Access Denied", IsError: true},
	{Text: "You are not authorised to use this functionality", IsError: true},
	{Text: "Incorrect hash", IsError: true},
}

// QuotedIn reports whether a step's text expects this message: it quotes
// the message exactly, or, for the "already exists" message, quotes it with
// an owner in place of user_name.
func (m DocumentedMessage) QuotedIn(stepText string) bool {
	if prefix, _, ok := strings.Cut(m.Text, "user_name"); ok {
		return strings.Contains(stepText, `"`+prefix)
	}
	return strings.Contains(stepText, `"`+m.Text+`"`)
}
