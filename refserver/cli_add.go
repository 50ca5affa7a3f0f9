package refserver

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// cliAdd is /api/cli_add. Its checks run in the order DESIGN.md fixes; the
// API-wide checks and parameter decoding have already run (serveAPI).
func (s *Server) cliAdd(ctx context.Context, p params) (string, error) {
	c, err := s.authenticate(ctx, p) // Access Denied
	if err != nil {
		return "", err
	}
	if !s.settings.DisableHashChecking && !checkHash(p, c.signingKey(), cliAddHashOrders) {
		return "", refuse(msgIncorrectHash)
	}
	actor, err := c.actingAccount() // not authorised
	if err != nil {
		return "", err
	}
	if p.get(paramDevice) == "" {
		return "", refuse(msgDeviceIDEmpty)
	}
	if p.get(paramNumber) == "" && p.get(paramDomain) == "" {
		return "", refuse(msgCLIEmpty)
	}
	deviceID, err := s.deviceOf(ctx, actor, p.get(paramDevice))
	if err != nil {
		return "", err
	}
	var ivrID int64
	if p.has(paramIVR) {
		if ivrID, err = s.ivrOf(ctx, actor, p.get(paramIVR)); err != nil {
			return "", err
		}
	}
	if n := p.get(paramNumber); n != "" && !allDigits(n) {
		return "", refuse(msgNotNumeric)
	}
	banned := p.get(paramBanned)
	if banned != "" && banned != "0" && banned != "1" {
		return "", refuse(msgBannedInvalid)
	}

	cli := CLI{
		Number:      p.get(paramNumber),
		Domain:      p.get(paramDomain),
		DeviceID:    deviceID,
		Description: p.get(paramDescription),
		Comment:     p.get(paramComment),
		Banned:      banned == "1",
		IVRID:       ivrID,
		AddedAt:     s.now(),
	}
	err = s.store.AddCLI(ctx, &cli)
	if errors.Is(err, ErrCLIExists) {
		return "", s.alreadyExists(ctx, cli.Number, cli.Domain)
	}
	if err != nil {
		return "", internalError(err)
	}
	return msgCreated, nil
}

// deviceOf returns the id of the device named by value if the acting account
// may add to it: the device exists and its owner is a user of actor.
// Anything else is "Device was not found", so a caller cannot tell a foreign
// device from a missing one.
func (s *Server) deviceOf(ctx context.Context, actor Account, value string) (int64, error) {
	d, err := owned(ctx, value, msgDeviceNotFound, s.store.Device, func(ctx context.Context, d Device) (bool, error) {
		user, err := s.store.AccountByID(ctx, d.OwnerID)
		return user.OwnerID == actor.ID, err
	})
	return d.ID, err
}

// ivrOf returns the id of the IVR named by value if it is the acting
// account's own; anything else, an empty value included, is "IVR was not
// found".
func (s *Server) ivrOf(ctx context.Context, actor Account, value string) (int64, error) {
	v, err := owned(ctx, value, msgIVRNotFound, s.store.IVR, func(_ context.Context, v IVR) (bool, error) {
		return v.OwnerID == actor.ID, nil
	})
	return v.ID, err
}

// owned looks up the row (a device or an IVR) that value names and returns
// it if mine says the acting account may use it. A value that is not an id,
// a row or owner that find or mine reports as ErrNotFound, and a row that is
// not mine are all refused with the one message notFound, so a caller
// cannot tell them apart; any other error is an internal error.
func owned[T any](ctx context.Context, value, notFound string,
	find func(context.Context, int64) (T, error),
	mine func(context.Context, T) (bool, error),
) (T, error) {
	var zero T
	id, ok := parseID(value)
	if !ok {
		return zero, refuse(notFound)
	}
	row, err := find(ctx, id)
	if err == nil {
		ok, err = mine(ctx, row)
	}
	switch {
	case errors.Is(err, ErrNotFound):
		return zero, refuse(notFound)
	case err != nil:
		return zero, internalError(err)
	case !ok:
		return zero, refuse(notFound)
	}
	return row, nil
}

// alreadyExists is the answer for a CLI that is stored already; it names the
// owner of the device that holds it.
func (s *Server) alreadyExists(ctx context.Context, number, domain string) error {
	holder, err := s.store.CLIHolder(ctx, number, domain)
	if err != nil {
		return internalError(fmt.Errorf("CLI exists but its holder is unknown: %w", err))
	}
	return refusef(msgExistsFmt, holder.Name())
}

// parseID parses a positive decimal id: ASCII digits only (no sign, no
// spaces), fitting an int64, greater than zero.
func parseID(s string) (int64, bool) {
	if !allDigits(s) {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// allDigits reports whether s is non-empty and holds only ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
