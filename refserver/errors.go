package refserver

import (
	"fmt"
	"net/http"
)

// The documented answers, character for character: cli_add.txt for the call
// itself, the API's other pages for the API-wide ones (see spec/NOTES.md).
const (
	msgCreated       = "CLI successfully created"
	msgNotNumeric    = "CLI must be numeric"
	msgExistsFmt     = "CLI already exists. It is assigned to %s device"
	msgCLIEmpty      = "CLI Number cannot be empty"
	msgIVRNotFound   = "IVR was not found"
	msgDeviceIDEmpty = "Device ID cannot be empty"
	msgAccessDenied  = "Access Denied"
	msgNotAuthorised = "You are not authorised to use this functionality"
	msgIncorrectHash = "Incorrect hash"

	msgAPIDisabled    = "API Requests are disabled"
	msgGETDisabled    = "GET Requests are disabled"
	msgDeviceNotFound = "Device was not found"
)

// The reference server's own answers where the spec says nothing. They keep
// the documented sentence style: a capitalised sentence without a full stop.
const (
	msgBannedInvalid    = "Banned must be 0 or 1"
	msgDuplicateFmt     = "Parameter %s is given more than once"
	msgTooLongFmt       = "Parameter %s is too long (at most %d bytes)"
	msgNotUTF8Fmt       = "Parameter %s is not valid UTF-8"
	msgUnknownCall      = "Unknown API call"
	msgMethodFmt        = "Method %s is not allowed (use POST or GET)"
	msgMethodPOSTFmt    = "Method %s is not allowed (use POST)" // when GET is refused too
	msgBodyTooLargeFmt  = "Request body is too large (at most %d bytes)"
	msgBodyUnreadable   = "Request body could not be read"
	msgBadQuery         = "Query string is malformed"
	msgBadForm          = "Form body is malformed"
	msgBadJSONFmt       = "JSON body is malformed: %s"
	msgJSONNotObject    = "JSON body must be an object"
	msgJSONValueTypeFmt = "Parameter %s must be a string or a number in a JSON body"
	msgNoContentType    = "Request body needs a Content-Type (application/x-www-form-urlencoded, multipart/form-data or application/json)"
	msgContentTypeFmt   = "Content-Type %s is not supported (use application/x-www-form-urlencoded, multipart/form-data or application/json)"
	msgInternal         = "Internal server error"
)

// apiError is the one error type at the API edge: an answer other than
// success. Every documented outcome has status 200; transport problems carry
// the HTTP status that fits them. The XML writer is the only place that
// renders it.
type apiError struct {
	status  int
	message string
	cause   error // internal errors only: logged, never shown
}

func (e *apiError) Error() string { return e.message }

func (e *apiError) Unwrap() error { return e.cause }

// refuse is a documented (or documented-style) answer: HTTP 200.
func refuse(message string) *apiError { return &apiError{status: http.StatusOK, message: message} }

// refusef is refuse with a formatted message.
func refusef(format string, args ...any) *apiError { return refuse(fmt.Sprintf(format, args...)) }

// transportError is a problem with the HTTP request itself.
func transportError(status int, message string) *apiError {
	return &apiError{status: status, message: message}
}

// internalError hides cause behind a generic message; the logger shows it.
func internalError(cause error) *apiError {
	return &apiError{status: http.StatusInternalServerError, message: msgInternal, cause: cause}
}
