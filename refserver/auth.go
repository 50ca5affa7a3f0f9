package refserver

import (
	"context"
	"crypto/sha1" //nolint:gosec // the API's hash is SHA1 by specification
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/morcheck/morcheck/fixtures"
)

// cliAddHashOrders are the parameter orders a cli_add hash may be built in;
// the secret key follows the values. cli_domain, u, p, test and hash itself
// are never part of it, and an absent parameter contributes "".
//
// The public PHP client library signs device_id and cli_number only, and has
// no order of its own here: every parameter a request carries is signed, or
// the request is refused. Its hash is accepted only where it equals the
// later revision's string, that is when no optional field (cli_description,
// comment, banned, ivr_id) is sent, or each is sent empty. With any of them
// it is "Incorrect hash", because that field would travel unsigned.
var cliAddHashOrders = [][]string{
	// cli_add.txt: the order the page lists the parameters in.
	{paramNumber, paramDescription, paramComment, paramBanned, paramIVR, paramDevice},
	// The page's later revision: device_id first.
	{paramDevice, paramNumber, paramDescription, paramComment, paramBanned, paramIVR},
}

// signature is the API's hash: the lower-case hex SHA1 of the values
// concatenated, followed by the secret key.
func signature(key string, values ...string) string {
	h := sha1.New() //nolint:gosec // see the import
	for _, v := range values {
		h.Write([]byte(v))
	}
	h.Write([]byte(key))
	return hex.EncodeToString(h.Sum(nil))
}

// checkHash reports whether p carries a hash built with key in one of the
// orders. The received hash is lower-cased first: hex names the same bytes
// in either case, and a client that prints upper-case hex has still signed
// correctly. Each candidate is compared in constant time, and all of them
// are compared, so timing does not tell which order nearly matched. A
// missing hash is incorrect.
func checkHash(p params, key string, orders [][]string) bool {
	got := []byte(strings.ToLower(p.get(paramHash)))
	match := 0
	for _, order := range orders {
		values := make([]string, len(order))
		for i, name := range order {
			values[i] = p.get(name)
		}
		match |= subtle.ConstantTimeCompare(got, []byte(signature(key, values...)))
	}
	return match == 1
}

// caller is who sent a request: the account that signed in, and the admin
// or reseller it belongs to (itself for an admin or reseller), whose secret
// key signs its calls and on whose behalf it acts.
type caller struct {
	account Account
	owner   Account
}

// authenticate finds the account named by u. A missing or unknown u, or a p
// that is not the account's password, is Access Denied; a request without p
// is let through, as the spec's own example sends none.
func (s *Server) authenticate(ctx context.Context, p params) (caller, error) {
	username := p.get(paramUser)
	if username == "" {
		return caller{}, refuse(msgAccessDenied)
	}
	acct, err := s.store.AccountByUsername(ctx, username)
	switch {
	case errors.Is(err, ErrNotFound):
		return caller{}, refuse(msgAccessDenied)
	case err != nil:
		return caller{}, internalError(err)
	}
	if p.has(paramPassword) && subtle.ConstantTimeCompare([]byte(p.get(paramPassword)), []byte(acct.Password)) != 1 {
		return caller{}, refuse(msgAccessDenied)
	}
	c := caller{account: acct, owner: acct}
	if acct.Type == fixtures.TypeAccountant || acct.Type == fixtures.TypeUser {
		owner, err := s.store.AccountByID(ctx, acct.OwnerID)
		switch {
		case errors.Is(err, ErrNotFound):
			// A seeded store always has the owner; without one there is no
			// key to check a hash against and no one to act for.
			return caller{}, refuse(msgAccessDenied)
		case err != nil:
			return caller{}, internalError(err)
		}
		c.owner = owner
	}
	return c, nil
}

// signingKey is the secret key the caller signs with: an admin's or a
// reseller's own key, or for an accountant or a user its owner's key.
func (c caller) signingKey() string { return c.owner.SecretKey }

// actingAccount is the admin or reseller on whose behalf the caller may add
// CLIs: an admin or reseller itself, or an accountant's owner when the
// accountant may manage devices. A user, or an accountant without Manage
// Devices, is not authorised.
func (c caller) actingAccount() (Account, error) {
	switch c.account.Type {
	case fixtures.TypeAdmin, fixtures.TypeReseller:
		return c.account, nil
	case fixtures.TypeAccountant:
		if c.account.ManageDevices {
			return c.owner, nil
		}
	}
	return Account{}, refuse(msgNotAuthorised)
}
